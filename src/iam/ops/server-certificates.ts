// Server certificates: UploadServerCertificate, GetServerCertificate, ListServerCertificates,
// UpdateServerCertificate, DeleteServerCertificate (their tags are in tagging.ts). The certificate and
// its chain are public and live in the account's `server-certificate` entity; the private key is a
// secret: sealed, in a GLOBAL entity of its own keyed by the certificate's id (so a rename leaves it
// where it is and key rotation re-seals it), and never returned by any operation.

import type { AuthzCheck, CallContext } from '../../common/call.ts';
import type { ContextValues } from '../../policy/types.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import { noSuchServerCertificate, serverCertificateExists } from '../credential-errors.ts';
import type { IamDeps } from '../deps.ts';
import { quotaExceeded } from '../errors.ts';
import { pathFilter } from '../lookups.ts';
import { GLOBAL, KIND, nameKey, newRandomId, PARTITION, type Tag } from '../model.ts';
import { tagsOut } from '../output.ts';
import { pageMembers, type PageInput, pageOfEntities } from '../pagination.ts';
import { serverCertificateKeyAt } from '../sealed.ts';
import type { Sealed } from '../../secrets/index.ts';
import { mergeTags, requestTagContext, resourceTagContext } from '../tags.ts';
import { checkServerCertificate } from '../x509.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

export interface ServerCertificateDoc {
  ServerCertificateName: string;
  ServerCertificateId: string;
  Path: string;
  Arn: string;
  UploadDate: string;
  Expiration: string;
  CertificateBody: string;
  CertificateChain?: string;
  Tags: Tag[];
}

/** The sealed private key (GLOBAL, key: the certificate's id). */
interface ServerCertificateKeyDoc {
  account: string;
  PrivateKey: Sealed;
}

export const serverCertificateArn = (account: string, path: string, name: string): string =>
  `arn:${PARTITION}:iam::${account}:server-certificate${path}${name}`;

export async function requireServerCertificate(tx: Tx, account: string, name: string): Promise<Entity<ServerCertificateDoc>> {
  const e = await tx.get<ServerCertificateDoc>(account, KIND.serverCertificate, nameKey(name));
  if (!e) throw noSuchServerCertificate(name);
  return e;
}

/** A check on the certificate `name` (the root path's ARN when it does not exist), with its tags as `aws:ResourceTag/…`. */
export async function serverCertificateCheck(tx: Tx, ctx: CallContext, action: string, name: string, extra: ContextValues = {}): Promise<AuthzCheck> {
  const doc = (await tx.get<ServerCertificateDoc>(ctx.account, KIND.serverCertificate, nameKey(name)))?.doc;
  return check(action, doc?.Arn ?? serverCertificateArn(ctx.account, '/', name), { ...resourceTagContext(doc?.Tags ?? [], false), ...extra });
}

const metadataOut = (doc: ServerCertificateDoc) => ({
  Path: doc.Path,
  ServerCertificateName: doc.ServerCertificateName,
  ServerCertificateId: doc.ServerCertificateId,
  Arn: doc.Arn,
  UploadDate: new Date(doc.UploadDate),
  Expiration: new Date(doc.Expiration),
});

interface UploadInput {
  Path?: string;
  ServerCertificateName: string;
  CertificateBody: string;
  PrivateKey: string;
  CertificateChain?: string;
  Tags?: Tag[];
}

export function serverCertificateOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const upload = defineOp<UploadInput>('UploadServerCertificate', {
    authorize(input, ctx) {
      const arn = serverCertificateArn(ctx.account, input.Path ?? '/', input.ServerCertificateName);
      const checks = [check('UploadServerCertificate', arn, requestTagContext(input.Tags))];
      if (input.Tags?.length) checks.push(check('TagServerCertificate', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
      const { expiration } = checkServerCertificate(input.CertificateBody, input.PrivateKey, input.CertificateChain, ctx.now);
      if (await tx.get(ctx.account, KIND.serverCertificate, nameKey(input.ServerCertificateName))) throw serverCertificateExists(input.ServerCertificateName);
      if ((await tx.count(ctx.account, KIND.serverCertificate)) >= quotas.serverCertificatesPerAccount) {
        throw quotaExceeded('ServerCertificatesPerAccount', quotas.serverCertificatesPerAccount);
      }
      const path = input.Path ?? '/';
      const doc: ServerCertificateDoc = {
        ServerCertificateName: input.ServerCertificateName,
        ServerCertificateId: newRandomId('ASCA', 17),
        Path: path,
        Arn: serverCertificateArn(ctx.account, path, input.ServerCertificateName),
        UploadDate: nowIso(ctx),
        Expiration: expiration.toISOString(),
        CertificateBody: input.CertificateBody,
        Tags: tags,
      };
      if (input.CertificateChain !== undefined) doc.CertificateChain = input.CertificateChain;
      const name = input.ServerCertificateName;
      await insertNew(tx, ctx.account, KIND.serverCertificate, nameKey(name), doc, null, () => serverCertificateExists(name));
      const key: ServerCertificateKeyDoc = {
        account: ctx.account,
        PrivateKey: await deps.secrets.seal(tx, input.PrivateKey, serverCertificateKeyAt(doc.ServerCertificateId)),
      };
      await tx.insert(GLOBAL, KIND.serverCertificateKey, doc.ServerCertificateId, key, ctx.account);
      const out: Record<string, unknown> = { ServerCertificateMetadata: metadataOut(doc) };
      if (tags.length > 0) out.Tags = tagsOut(tags);
      return out;
    },
  });

  const get = defineOp<{ ServerCertificateName: string }>('GetServerCertificate', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await serverCertificateCheck(tx, ctx, 'GetServerCertificate', input.ServerCertificateName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireServerCertificate(tx, ctx.account, input.ServerCertificateName);
      const ServerCertificate: Record<string, unknown> = { ServerCertificateMetadata: metadataOut(doc), CertificateBody: doc.CertificateBody };
      if (doc.CertificateChain !== undefined) ServerCertificate.CertificateChain = doc.CertificateChain;
      // Recorded: Tags is there even when empty.
      ServerCertificate.Tags = tagsOut(doc.Tags);
      return { ServerCertificate };
    },
  });

  const list = defineOp<{ PathPrefix?: string } & PageInput>('ListServerCertificates', {
    readOnly: true,
    authorize: (input, ctx) => [check('ListServerCertificates', serverCertificateArn(ctx.account, input.PathPrefix ?? '/', ''))],
    async handle(input, ctx, tx) {
      const page = await pageOfEntities<ServerCertificateDoc>(tx, ctx.account, KIND.serverCertificate, input, { keep: pathFilter(input.PathPrefix) });
      return { ServerCertificateMetadataList: page.items.map((e) => metadataOut(e.doc)), ...pageMembers(page) };
    },
  });

  const update = defineOp<{ ServerCertificateName: string; NewPath?: string; NewServerCertificateName?: string }>('UpdateServerCertificate', {
    async authorize(input, ctx, tx) {
      const checks = [await serverCertificateCheck(tx, ctx, 'UpdateServerCertificate', input.ServerCertificateName)];
      // As for users: a rename or move needs permission on the target too.
      const current = (await tx.get<ServerCertificateDoc>(ctx.account, KIND.serverCertificate, nameKey(input.ServerCertificateName)))?.doc;
      const target = serverCertificateArn(ctx.account, input.NewPath ?? current?.Path ?? '/', input.NewServerCertificateName ?? input.ServerCertificateName);
      if (target !== checks[0]!.resource) checks.push(check('UpdateServerCertificate', target));
      return checks;
    },
    async handle(input, ctx, tx) {
      const { doc } = await requireServerCertificate(tx, ctx.account, input.ServerCertificateName);
      const name = input.NewServerCertificateName ?? doc.ServerCertificateName;
      const path = input.NewPath ?? doc.Path;
      const updated: ServerCertificateDoc = { ...doc, ServerCertificateName: name, Path: path, Arn: serverCertificateArn(ctx.account, path, name) };
      if (nameKey(name) === nameKey(doc.ServerCertificateName)) {
        await tx.update(ctx.account, KIND.serverCertificate, nameKey(name), updated);
      } else {
        await insertNew(tx, ctx.account, KIND.serverCertificate, nameKey(name), updated, null, () => serverCertificateExists(name));
        await tx.delete(ctx.account, KIND.serverCertificate, nameKey(doc.ServerCertificateName));
      }
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const del = defineOp<{ ServerCertificateName: string }>('DeleteServerCertificate', {
    authorize: async (input, ctx, tx) => [await serverCertificateCheck(tx, ctx, 'DeleteServerCertificate', input.ServerCertificateName)],
    async handle(input, ctx, tx) {
      const e = await requireServerCertificate(tx, ctx.account, input.ServerCertificateName);
      await tx.delete(ctx.account, KIND.serverCertificate, e.key);
      await tx.delete(GLOBAL, KIND.serverCertificateKey, e.doc.ServerCertificateId);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [upload, get, list, update, del];
}

// Service-specific credentials: CreateServiceSpecificCredential, ListServiceSpecificCredentials,
// ResetServiceSpecificCredential, UpdateServiceSpecificCredential, DeleteServiceSpecificCredential —
// a user name and generated password for CodeCommit's Git or Amazon Keyspaces, or an API key for
// Bedrock. The password is shown once (on create and on reset) and otherwise kept sealed, in a GLOBAL
// entity keyed by the credential's id so that master key rotation re-seals it.

import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../common/call.ts';
import type { Sealed } from '../../secrets/index.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import { cannotSetExpired, noSuchServiceCredential, unsupportedService } from '../credential-errors.ts';
import type { IamDeps } from '../deps.ts';
import { invalidInput, quotaExceeded } from '../errors.ts';
import { GLOBAL, KIND, newRandomId, userArn, type AccessKeyStatus, type UserDoc } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { serviceCredentialSecretAt } from '../sealed.ts';
import { serviceCredentialOwnerRef } from '../user-credentials.ts';
import { credentialOwner, credentialOwnerCheck } from './credential-owner.ts';
import { defineOp, nowIso } from './define.ts';

/** The services IAM issues these credentials for; Bedrock's are API keys (an alias and a secret). */
const SERVICES = new Set(['codecommit.amazonaws.com', 'cassandra.amazonaws.com', 'bedrock.amazonaws.com']);
const isApiKey = (service: string): boolean => service === 'bedrock.amazonaws.com';

export interface ServiceCredentialDoc {
  ServiceSpecificCredentialId: string;
  account: string;
  UserName: string;
  ServiceName: string;
  /** `<user>-at-<account>` (password services) or the API key's alias (Bedrock). */
  login: string;
  /** Sealed: the password, or the API key's secret. */
  ServicePassword: Sealed;
  Status: AccessKeyStatus;
  CreateDate: string;
  ExpirationDate?: string;
}

/** A password like AWS's: 44 characters of base64. Bedrock's secret: `ABSK` + base64 of `<alias>:<random>`, as its API keys read. */
function newSecret(doc: Pick<ServiceCredentialDoc, 'ServiceName' | 'login'>): string {
  const random = randomBytes(32).toString('base64');
  return isApiKey(doc.ServiceName) ? `ABSK${Buffer.from(`${doc.login}:${random}`).toString('base64')}` : random;
}

function metadataOut(doc: ServiceCredentialDoc) {
  const out: Record<string, unknown> = {
    UserName: doc.UserName,
    Status: doc.Status,
    CreateDate: new Date(doc.CreateDate),
    ServiceSpecificCredentialId: doc.ServiceSpecificCredentialId,
    ServiceName: doc.ServiceName,
  };
  if (isApiKey(doc.ServiceName)) out.ServiceCredentialAlias = doc.login;
  else out.ServiceUserName = doc.login;
  if (doc.ExpirationDate) out.ExpirationDate = new Date(doc.ExpirationDate);
  return out;
}

/** The whole credential with its secret in plaintext: only Create and Reset answer so. */
const credentialOut = (doc: ServiceCredentialDoc, secret: string) => ({
  ...metadataOut(doc),
  [isApiKey(doc.ServiceName) ? 'ServiceCredentialSecret' : 'ServicePassword']: secret,
});

function requireService(service: string): void {
  if (!SERVICES.has(service)) throw unsupportedService(service);
}

async function requireOwnCredential(tx: Tx, ctx: CallContext, owner: string | undefined, id: string): Promise<Entity<ServiceCredentialDoc>> {
  const e = await tx.get<ServiceCredentialDoc>(GLOBAL, KIND.serviceCredential, id);
  if (!e || owner === undefined || e.ref !== serviceCredentialOwnerRef(ctx.account, owner)) throw noSuchServiceCredential(id);
  return e;
}

type IdInput = { UserName?: string; ServiceSpecificCredentialId: string };

export function serviceCredentialOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const create = defineOp<{ UserName: string; ServiceName: string; CredentialAgeDays?: number }>('CreateServiceSpecificCredential', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'CreateServiceSpecificCredential', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = (await credentialOwner(tx, ctx, input.UserName))!;
      requireService(input.ServiceName);
      const ref = serviceCredentialOwnerRef(ctx.account, owner);
      const held = await tx.listByRef<ServiceCredentialDoc>(GLOBAL, KIND.serviceCredential, ref);
      if (held.filter((e) => e.doc.ServiceName === input.ServiceName).length >= quotas.serviceCredentialsPerUserPerService) {
        throw quotaExceeded('ServiceSpecificCredentialsPerUserPerService', quotas.serviceCredentialsPerUserPerService);
      }
      const id = newRandomId('ACCA', 17);
      const base = { ServiceName: input.ServiceName, login: `${owner}-at-${ctx.account}` };
      const secret = newSecret(base);
      const doc: ServiceCredentialDoc = {
        ServiceSpecificCredentialId: id,
        account: ctx.account,
        UserName: owner,
        ...base,
        ServicePassword: await deps.secrets.seal(tx, secret, serviceCredentialSecretAt(id)),
        Status: 'Active',
        CreateDate: nowIso(ctx),
      };
      // Only API keys expire (the model: "only present for Bedrock API keys … created with an expiration period").
      if (input.CredentialAgeDays !== undefined && isApiKey(input.ServiceName)) {
        doc.ExpirationDate = new Date(ctx.now.getTime() + input.CredentialAgeDays * 86_400_000).toISOString();
      }
      await tx.insert(GLOBAL, KIND.serviceCredential, id, doc, ref);
      await tx.bumpGeneration(ctx.account);
      return { ServiceSpecificCredential: credentialOut(doc, secret) };
    },
  });

  const list = defineOp<{ UserName?: string; ServiceName?: string; AllUsers?: boolean } & PageInput>('ListServiceSpecificCredentials', {
    readOnly: true,
    async authorize(input, ctx, tx) {
      if (input.AllUsers) return [check('ListServiceSpecificCredentials', userArn(ctx.account, '/', '*'))];
      return [await credentialOwnerCheck(tx, ctx, 'ListServiceSpecificCredentials', input.UserName)];
    },
    async handle(input, ctx, tx) {
      if (input.AllUsers && input.UserName !== undefined) throw invalidInput('AllUsers cannot be specified together with UserName.');
      let owners: string[];
      if (input.AllUsers) owners = (await tx.list<UserDoc>(ctx.account, KIND.user)).map((e) => e.doc.UserName);
      else {
        const owner = await credentialOwner(tx, ctx, input.UserName);
        // The root has no service-specific credentials.
        owners = owner === undefined ? [] : [owner];
      }
      if (input.ServiceName !== undefined) requireService(input.ServiceName);
      const all: Entity<ServiceCredentialDoc>[] = [];
      for (const owner of owners) all.push(...(await tx.listByRef<ServiceCredentialDoc>(GLOBAL, KIND.serviceCredential, serviceCredentialOwnerRef(ctx.account, owner))));
      const wanted = all.filter((e) => input.ServiceName === undefined || e.doc.ServiceName === input.ServiceName).sort((a, b) => (a.key < b.key ? -1 : 1));
      const page = paginate(wanted, (e) => e.key, input);
      return { ServiceSpecificCredentials: page.items.map((e) => metadataOut(e.doc)), ...pageMembers(page) };
    },
  });

  const reset = defineOp<IdInput>('ResetServiceSpecificCredential', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'ResetServiceSpecificCredential', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnCredential(tx, ctx, owner, input.ServiceSpecificCredentialId);
      const secret = newSecret(e.doc);
      const doc = { ...e.doc, ServicePassword: await deps.secrets.seal(tx, secret, serviceCredentialSecretAt(e.key)) };
      await tx.update(GLOBAL, KIND.serviceCredential, e.key, doc, e.ref);
      await tx.bumpGeneration(ctx.account);
      return { ServiceSpecificCredential: credentialOut(doc, secret) };
    },
  });

  const update = defineOp<IdInput & { Status: AccessKeyStatus | 'Expired' }>('UpdateServiceSpecificCredential', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'UpdateServiceSpecificCredential', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnCredential(tx, ctx, owner, input.ServiceSpecificCredentialId);
      if (input.Status === 'Expired') throw cannotSetExpired();
      if (e.doc.Status !== input.Status) {
        await tx.update(GLOBAL, KIND.serviceCredential, e.key, { ...e.doc, Status: input.Status }, e.ref);
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const del = defineOp<IdInput>('DeleteServiceSpecificCredential', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'DeleteServiceSpecificCredential', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnCredential(tx, ctx, owner, input.ServiceSpecificCredentialId);
      await tx.delete(GLOBAL, KIND.serviceCredential, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [create, list, reset, update, del];
}

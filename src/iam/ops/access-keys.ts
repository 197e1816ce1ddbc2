// Access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey,
// GetAccessKeyLastUsed. Keys live in the GLOBAL account, keyed by id, so the server finds a
// request's account and owner from the key id alone.

import type { CallContext } from '../../common/call.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { check, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { noSuchAccessKey, unknownAccessKeyDenied, quotaExceeded } from '../errors.ts';
import { requireUser } from '../lookups.ts';
import { accessKeyOwnerRef, GLOBAL, KIND, newId, newSecret, rootArn, type AccessKeyDoc, type AccessKeyStatus } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { accessKeySecretAt } from '../sealed.ts';
import { defineOp, nowIso } from './define.ts';
import { implicitUserName } from './users.ts';

/** The key owner a call means: the named user (who must exist), else the caller (user or root). */
async function resolveOwner(tx: Tx, ctx: CallContext, userName: string | undefined): Promise<string | undefined> {
  if (userName === undefined) return implicitUserName(ctx);
  return (await requireUser(tx, ctx.account, userName)).doc.UserName;
}

async function ownerCheck(tx: Tx, ctx: CallContext, action: string, userName: string | undefined) {
  const name = userName ?? implicitUserName(ctx);
  return name === undefined ? check(action, rootArn(ctx.account)) : userCheck(tx, ctx, action, name);
}

/** The key, if it belongs to `owner` in this account; AWS's NoSuchEntity otherwise. */
async function requireOwnKey(tx: Tx, ctx: CallContext, owner: string | undefined, id: string): Promise<Entity<AccessKeyDoc>> {
  const e = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, id);
  if (!e || e.ref !== accessKeyOwnerRef(ctx.account, owner)) throw noSuchAccessKey(id);
  return e;
}

const metadata = (doc: AccessKeyDoc) => {
  const out: Record<string, unknown> = { AccessKeyId: doc.AccessKeyId, Status: doc.Status, CreateDate: new Date(doc.CreateDate) };
  if (doc.userName !== undefined) out.UserName = doc.userName;
  return out;
};

export function accessKeyOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const create = defineOp<{ UserName?: string }>('CreateAccessKey', {
    authorize: async (input, ctx, tx) => [await ownerCheck(tx, ctx, 'CreateAccessKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await resolveOwner(tx, ctx, input.UserName);
      const ref = accessKeyOwnerRef(ctx.account, owner);
      if ((await tx.count(GLOBAL, KIND.accessKey, { ref })) >= quotas.accessKeysPerUser) throw quotaExceeded('AccessKeysPerUser', quotas.accessKeysPerUser);
      const id = newId('AKIA');
      // The one moment the secret exists in plaintext: sealed for the store, shown once to the caller.
      const secret = newSecret();
      const doc: AccessKeyDoc = {
        AccessKeyId: id,
        account: ctx.account,
        SecretAccessKey: await deps.secrets.seal(tx, secret, accessKeySecretAt(id)),
        Status: 'Active',
        CreateDate: nowIso(ctx),
      };
      if (owner === undefined) doc.root = true;
      else doc.userName = owner;
      await tx.insert(GLOBAL, KIND.accessKey, doc.AccessKeyId, doc, ref);
      return { AccessKey: { ...metadata(doc), SecretAccessKey: secret } };
    },
  });

  const list = defineOp<{ UserName?: string } & PageInput>('ListAccessKeys', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await ownerCheck(tx, ctx, 'ListAccessKeys', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await resolveOwner(tx, ctx, input.UserName);
      const keys = await tx.listByRef<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyOwnerRef(ctx.account, owner));
      const page = paginate(keys, (e) => e.key, input);
      return { AccessKeyMetadata: page.items.map((e) => metadata(e.doc)), ...pageMembers(page) };
    },
  });

  const update = defineOp<{ UserName?: string; AccessKeyId: string; Status: AccessKeyStatus }>('UpdateAccessKey', {
    authorize: async (input, ctx, tx) => [await ownerCheck(tx, ctx, 'UpdateAccessKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await resolveOwner(tx, ctx, input.UserName);
      const e = await requireOwnKey(tx, ctx, owner, input.AccessKeyId);
      if (e.doc.Status !== input.Status) {
        await tx.update(GLOBAL, KIND.accessKey, e.key, { ...e.doc, Status: input.Status }, e.ref);
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const del = defineOp<{ UserName?: string; AccessKeyId: string }>('DeleteAccessKey', {
    authorize: async (input, ctx, tx) => [await ownerCheck(tx, ctx, 'DeleteAccessKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await resolveOwner(tx, ctx, input.UserName);
      const e = await requireOwnKey(tx, ctx, owner, input.AccessKeyId);
      await tx.delete(GLOBAL, KIND.accessKey, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const lastUsed = defineOp<{ AccessKeyId: string }>('GetAccessKeyLastUsed', {
    readOnly: true,
    async authorize(input, ctx, tx) {
      const e = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, input.AccessKeyId);
      if (!e || e.doc.account !== ctx.account) return [];
      return [e.doc.userName === undefined ? check('GetAccessKeyLastUsed', rootArn(ctx.account)) : await userCheck(tx, ctx, 'GetAccessKeyLastUsed', e.doc.userName)];
    },
    async handle(input, ctx, tx) {
      const e = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, input.AccessKeyId);
      // AWS answers AccessDenied, not NoSuchEntity, for a key that is not the caller's account's (recorded).
      if (!e || e.doc.account !== ctx.account) {
        throw unknownAccessKeyDenied(ctx.caller.principal.arn, input.AccessKeyId);
      }
      const used = e.doc.lastUsed;
      const out: Record<string, unknown> = {
        AccessKeyLastUsed: used
          ? { LastUsedDate: new Date(used.date), ServiceName: used.service, Region: used.region }
          : { ServiceName: 'N/A', Region: 'N/A' },
      };
      if (e.doc.userName !== undefined) out.UserName = e.doc.userName;
      return out;
    },
  });

  return [create, list, update, del, lastUsed];
}

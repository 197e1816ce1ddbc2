// Users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { recordBoundaryUse, resolveBoundary } from '../boundaries.ts';
import { check, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import {
  mustDeleteAccessKeys,
  mustDeleteLoginProfile,
  mustDeleteMfaDevice,
  mustDeletePolicies,
  mustDetachPolicies,
  mustRemoveFromGroups,
  mustSpecifyUserName,
  quotaExceeded,
  userExists,
} from '../errors.ts';
import { requireUser, pathFilter } from '../lookups.ts';
import {
  accessKeyOwnerRef,
  GLOBAL,
  KIND,
  nameKey,
  newId,
  ownerKey,
  rootArn,
  userArn,
  type AccountDoc,
  type Tag,
  type UserDoc,
} from '../model.ts';
import { pageMembers, type PageInput, pageOfEntities } from '../pagination.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { moveOwnedEntities } from '../renames.ts';
import { mfaOwnerRef } from '../mfa/devices.ts';
import { moveUserCredentials, refuseWhileUserHasCredentials } from '../user-credentials.ts';
import { userOut } from '../output.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

interface CreateUserInput {
  Path?: string;
  UserName: string;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

/** The user a call without `UserName` means: the calling IAM user; the root has none; others must name one. */
export function implicitUserName(ctx: CallContext): string | undefined {
  if (ctx.caller.identity?.type === 'user') return ctx.caller.identity.name;
  if (ctx.caller.principal.kind === 'root') return undefined;
  throw mustSpecifyUserName();
}

export function userOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const createUser = defineOp<CreateUserInput>('CreateUser', {
    authorize(input, ctx) {
      const arn = userArn(ctx.account, input.Path ?? '/', input.UserName);
      const context = requestTagContext(input.Tags);
      if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
      const checks = [check('CreateUser', arn, context)];
      if (input.Tags?.length) checks.push(check('TagUser', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
      if ((await tx.count(ctx.account, KIND.user)) >= quotas.usersPerAccount) throw quotaExceeded('UsersPerAccount', quotas.usersPerAccount);
      if (input.PermissionsBoundary !== undefined) await resolveBoundary(tx, deps, ctx.account, input.PermissionsBoundary);
      const path = input.Path ?? '/';
      const doc: UserDoc = {
        UserName: input.UserName,
        UserId: newId('AIDA'),
        Path: path,
        Arn: userArn(ctx.account, path, input.UserName),
        CreateDate: nowIso(ctx),
        Tags: tags,
      };
      if (input.PermissionsBoundary !== undefined) doc.PermissionsBoundary = input.PermissionsBoundary;
      await insertNew(tx, ctx.account, KIND.user, nameKey(input.UserName), doc, null, () => userExists(input.UserName));
      if (doc.PermissionsBoundary) {
        await recordBoundaryUse(tx, ctx.account, { kind: 'user', name: doc.UserName, id: doc.UserId }, doc.PermissionsBoundary);
      }
      await tx.bumpGeneration(ctx.account);
      return { User: userOut(doc, 'full') };
    },
  });

  const getUser = defineOp<{ UserName?: string }>('GetUser', {
    readOnly: true,
    async authorize(input, ctx, tx) {
      const name = input.UserName ?? implicitUserName(ctx);
      return [name === undefined ? check('GetUser', rootArn(ctx.account)) : await userCheck(tx, ctx, 'GetUser', name)];
    },
    async handle(input, ctx, tx) {
      const name = input.UserName ?? implicitUserName(ctx);
      if (name === undefined) return { User: await rootUser(tx, ctx.account) };
      const { doc } = await requireUser(tx, ctx.account, name);
      return { User: userOut(doc, 'full') };
    },
  });

  const listUsers = defineOp<{ PathPrefix?: string } & PageInput>('ListUsers', {
    readOnly: true,
    authorize: (input, ctx) => [check('ListUsers', userArn(ctx.account, input.PathPrefix ?? '/', ''))],
    async handle(input, ctx, tx) {
      const page = await pageOfEntities<UserDoc>(tx, ctx.account, KIND.user, input, { keep: pathFilter(input.PathPrefix) });
      return { Users: page.items.map((e) => userOut(e.doc, 'brief')), ...pageMembers(page) };
    },
  });

  const updateUser = defineOp<{ UserName: string; NewPath?: string; NewUserName?: string }>('UpdateUser', {
    async authorize(input, ctx, tx) {
      const checks = [await userCheck(tx, ctx, 'UpdateUser', input.UserName)];
      // Renaming needs permission on the target name as well (AWS: "on both the source and the target").
      if (input.NewUserName !== undefined || input.NewPath !== undefined) {
        const current = (await tx.get<UserDoc>(ctx.account, KIND.user, nameKey(input.UserName)))?.doc;
        const target = userArn(ctx.account, input.NewPath ?? current?.Path ?? '/', input.NewUserName ?? input.UserName);
        if (target !== checks[0]!.resource) checks.push(check('UpdateUser', target));
      }
      return checks;
    },
    async handle(input, ctx, tx) {
      const { doc } = await requireUser(tx, ctx.account, input.UserName);
      const newName = input.NewUserName ?? doc.UserName;
      const newPath = input.NewPath ?? doc.Path;
      const updated: UserDoc = { ...doc, UserName: newName, Path: newPath, Arn: userArn(ctx.account, newPath, newName) };
      if (nameKey(newName) === nameKey(doc.UserName)) {
        await tx.update(ctx.account, KIND.user, nameKey(newName), updated);
      } else {
        await insertNew(tx, ctx.account, KIND.user, nameKey(newName), updated, null, () => userExists(newName));
        await tx.delete(ctx.account, KIND.user, nameKey(doc.UserName));
      }
      await moveOwnedEntities(tx, ctx.account, 'user', doc.UserName, newName);
      await moveUserCredentials(tx, ctx.account, doc.UserName, newName);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const deleteUser = defineOp<{ UserName: string }>('DeleteUser', {
    authorize: async (input, ctx, tx) => [await userCheck(tx, ctx, 'DeleteUser', input.UserName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireUser(tx, ctx.account, input.UserName);
      const owned = { keyPrefix: `${ownerKey('user', doc.UserName)}/` };
      if ((await tx.count(GLOBAL, KIND.accessKey, { ref: accessKeyOwnerRef(ctx.account, doc.UserName) })) > 0) throw mustDeleteAccessKeys();
      await refuseWhileUserHasCredentials(tx, ctx.account, doc.UserName);
      if ((await tx.count(ctx.account, KIND.attachment, owned)) > 0) throw mustDetachPolicies();
      if ((await tx.count(ctx.account, KIND.inlinePolicy, owned)) > 0) throw mustDeletePolicies();
      if ((await tx.count(ctx.account, KIND.membership, { ref: nameKey(doc.UserName) })) > 0) throw mustRemoveFromGroups();
      if (await tx.get(ctx.account, KIND.loginProfile, doc.UserId)) throw mustDeleteLoginProfile();
      if ((await tx.count(ctx.account, KIND.mfaDevice, { ref: mfaOwnerRef({ type: 'user', id: doc.UserId }) })) > 0) throw mustDeleteMfaDevice();
      await recordBoundaryUse(tx, ctx.account, { kind: 'user', name: doc.UserName, id: doc.UserId }, undefined);
      await tx.delete(ctx.account, KIND.user, nameKey(doc.UserName));
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [createUser, getUser, listUsers, updateUser, deleteUser];
}

/** GetUser called by the root without a name: AWS describes the account's root user. */
async function rootUser(tx: Tx, account: string) {
  const acct = await tx.get<AccountDoc>(GLOBAL, KIND.account, account);
  return { Path: '/', UserId: account, Arn: rootArn(account), CreateDate: new Date(acct?.doc.CreateDate ?? 0) };
}

// Groups and membership: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser.

import { check, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { groupExists, mustDeletePolicies, mustDetachPolicies, mustRemoveUsers, quotaExceeded } from '../errors.ts';
import { requireGroup, requireUser, pathFilter } from '../lookups.ts';
import { groupArn, KIND, membershipKey, nameKey, newId, ownerKey, type GroupDoc, type MembershipDoc, type UserDoc } from '../model.ts';
import { groupOut, userOut } from '../output.ts';
import { paginate, pageMembers, type PageInput, pageOfEntities } from '../pagination.ts';
import { moveOwnedEntities } from '../renames.ts';
import { defineOp, groupCheck, insertNew, nowIso } from './define.ts';

export function groupOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const createGroup = defineOp<{ Path?: string; GroupName: string }>('CreateGroup', {
    authorize: (input, ctx) => [check('CreateGroup', groupArn(ctx.account, input.Path ?? '/', input.GroupName))],
    async handle(input, ctx, tx) {
      if ((await tx.count(ctx.account, KIND.group)) >= quotas.groupsPerAccount) throw quotaExceeded('GroupsPerAccount', quotas.groupsPerAccount);
      const path = input.Path ?? '/';
      const doc: GroupDoc = {
        GroupName: input.GroupName,
        GroupId: newId('AGPA'),
        Path: path,
        Arn: groupArn(ctx.account, path, input.GroupName),
        CreateDate: nowIso(ctx),
      };
      await insertNew(tx, ctx.account, KIND.group, nameKey(input.GroupName), doc, null, () => groupExists(input.GroupName));
      return { Group: groupOut(doc) };
    },
  });

  const getGroup = defineOp<{ GroupName: string } & PageInput>('GetGroup', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await groupCheck(tx, ctx, 'GetGroup', input.GroupName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireGroup(tx, ctx.account, input.GroupName);
      const members = await tx.list<MembershipDoc>(ctx.account, KIND.membership, { keyPrefix: `${nameKey(doc.GroupName)}/` });
      const page = paginate(members, (m) => m.key, input);
      const users = [];
      for (const m of page.items) {
        const user = await tx.get<UserDoc>(ctx.account, KIND.user, nameKey(m.doc.UserName));
        if (user) users.push(userOut(user.doc, 'brief'));
      }
      return { Group: groupOut(doc), Users: users, ...pageMembers(page) };
    },
  });

  const listGroups = defineOp<{ PathPrefix?: string } & PageInput>('ListGroups', {
    readOnly: true,
    authorize: (input, ctx) => [check('ListGroups', groupArn(ctx.account, input.PathPrefix ?? '/', ''))],
    async handle(input, ctx, tx) {
      const page = await pageOfEntities<GroupDoc>(tx, ctx.account, KIND.group, input, { keep: pathFilter(input.PathPrefix) });
      return { Groups: page.items.map((e) => groupOut(e.doc)), ...pageMembers(page) };
    },
  });

  const updateGroup = defineOp<{ GroupName: string; NewPath?: string; NewGroupName?: string }>('UpdateGroup', {
    async authorize(input, ctx, tx) {
      const checks = [await groupCheck(tx, ctx, 'UpdateGroup', input.GroupName)];
      if (input.NewGroupName !== undefined || input.NewPath !== undefined) {
        const current = (await tx.get<GroupDoc>(ctx.account, KIND.group, nameKey(input.GroupName)))?.doc;
        const target = groupArn(ctx.account, input.NewPath ?? current?.Path ?? '/', input.NewGroupName ?? input.GroupName);
        if (target !== checks[0]!.resource) checks.push(check('UpdateGroup', target));
      }
      return checks;
    },
    async handle(input, ctx, tx) {
      const { doc } = await requireGroup(tx, ctx.account, input.GroupName);
      const newName = input.NewGroupName ?? doc.GroupName;
      const newPath = input.NewPath ?? doc.Path;
      const updated: GroupDoc = { ...doc, GroupName: newName, Path: newPath, Arn: groupArn(ctx.account, newPath, newName) };
      if (nameKey(newName) === nameKey(doc.GroupName)) {
        await tx.update(ctx.account, KIND.group, nameKey(newName), updated);
      } else {
        await insertNew(tx, ctx.account, KIND.group, nameKey(newName), updated, null, () => groupExists(newName));
        await tx.delete(ctx.account, KIND.group, nameKey(doc.GroupName));
      }
      await moveOwnedEntities(tx, ctx.account, 'group', doc.GroupName, newName);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const deleteGroup = defineOp<{ GroupName: string }>('DeleteGroup', {
    authorize: async (input, ctx, tx) => [await groupCheck(tx, ctx, 'DeleteGroup', input.GroupName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireGroup(tx, ctx.account, input.GroupName);
      const owned = { keyPrefix: `${ownerKey('group', doc.GroupName)}/` };
      if ((await tx.count(ctx.account, KIND.membership, { keyPrefix: `${nameKey(doc.GroupName)}/` })) > 0) throw mustRemoveUsers();
      if ((await tx.count(ctx.account, KIND.attachment, owned)) > 0) throw mustDetachPolicies();
      if ((await tx.count(ctx.account, KIND.inlinePolicy, owned)) > 0) throw mustDeletePolicies();
      await tx.delete(ctx.account, KIND.group, nameKey(doc.GroupName));
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const addUserToGroup = defineOp<{ GroupName: string; UserName: string }>('AddUserToGroup', {
    authorize: async (input, ctx, tx) => [await groupCheck(tx, ctx, 'AddUserToGroup', input.GroupName)],
    async handle(input, ctx, tx) {
      // AWS names a missing user before a missing group (recorded).
      const user = (await requireUser(tx, ctx.account, input.UserName)).doc;
      const group = (await requireGroup(tx, ctx.account, input.GroupName)).doc;
      const key = membershipKey(group.GroupName, user.UserName);
      if (await tx.get(ctx.account, KIND.membership, key)) return {};
      if ((await tx.count(ctx.account, KIND.membership, { ref: nameKey(user.UserName) })) >= quotas.groupsPerUser) {
        throw quotaExceeded('GroupsPerUser', quotas.groupsPerUser);
      }
      const doc: MembershipDoc = { GroupName: group.GroupName, UserName: user.UserName };
      await tx.insert(ctx.account, KIND.membership, key, doc, nameKey(user.UserName));
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const removeUserFromGroup = defineOp<{ GroupName: string; UserName: string }>('RemoveUserFromGroup', {
    authorize: async (input, ctx, tx) => [await groupCheck(tx, ctx, 'RemoveUserFromGroup', input.GroupName)],
    async handle(input, ctx, tx) {
      const user = (await requireUser(tx, ctx.account, input.UserName)).doc;
      const group = (await requireGroup(tx, ctx.account, input.GroupName)).doc;
      // Removing a user who is not a member succeeds (recorded).
      if (await tx.delete(ctx.account, KIND.membership, membershipKey(group.GroupName, user.UserName))) {
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const listGroupsForUser = defineOp<{ UserName: string } & PageInput>('ListGroupsForUser', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await userCheck(tx, ctx, 'ListGroupsForUser', input.UserName)],
    async handle(input, ctx, tx) {
      const user = (await requireUser(tx, ctx.account, input.UserName)).doc;
      const memberships = await tx.listByRef<MembershipDoc>(ctx.account, KIND.membership, nameKey(user.UserName));
      const page = paginate(memberships, (m) => m.key, input);
      const groups = [];
      for (const m of page.items) {
        const group = await tx.get<GroupDoc>(ctx.account, KIND.group, nameKey(m.doc.GroupName));
        if (group) groups.push(groupOut(group.doc));
      }
      return { Groups: groups, ...pageMembers(page) };
    },
  });

  return [createGroup, getGroup, listGroups, updateGroup, deleteGroup, addUserToGroup, removeUserFromGroup, listGroupsForUser];
}

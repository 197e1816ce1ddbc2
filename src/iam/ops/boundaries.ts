// Put/Delete{User,Role}PermissionsBoundary.

import { recordBoundaryUse, resolveBoundary } from '../boundaries.ts';
import { roleCheck, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { requireRole, requireUser } from '../lookups.ts';
import { KIND, nameKey, type RoleDoc, type UserDoc } from '../model.ts';
import { defineOp, requireCustomerRole } from './define.ts';

export function boundaryOperations(deps: IamDeps) {
  const putUser = defineOp<{ UserName: string; PermissionsBoundary: string }>('PutUserPermissionsBoundary', {
    authorize: async (input, ctx, tx) => [
      await userCheck(tx, ctx, 'PutUserPermissionsBoundary', input.UserName, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    ],
    async handle(input, ctx, tx) {
      const { doc } = await requireUser(tx, ctx.account, input.UserName);
      await resolveBoundary(tx, deps, ctx.account, input.PermissionsBoundary);
      const updated: UserDoc = { ...doc, PermissionsBoundary: input.PermissionsBoundary };
      await tx.update(ctx.account, KIND.user, nameKey(doc.UserName), updated);
      await recordBoundaryUse(tx, ctx.account, { kind: 'user', name: doc.UserName, id: doc.UserId }, input.PermissionsBoundary);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const deleteUser = defineOp<{ UserName: string }>('DeleteUserPermissionsBoundary', {
    authorize: async (input, ctx, tx) => [await userCheck(tx, ctx, 'DeleteUserPermissionsBoundary', input.UserName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireUser(tx, ctx.account, input.UserName);
      const { PermissionsBoundary: _dropped, ...rest } = doc;
      await tx.update(ctx.account, KIND.user, nameKey(doc.UserName), rest);
      await recordBoundaryUse(tx, ctx.account, { kind: 'user', name: doc.UserName, id: doc.UserId }, undefined);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const putRole = defineOp<{ RoleName: string; PermissionsBoundary: string }>('PutRolePermissionsBoundary', {
    authorize: async (input, ctx, tx) => [
      await roleCheck(tx, ctx, 'PutRolePermissionsBoundary', input.RoleName, { 'iam:PermissionsBoundary': input.PermissionsBoundary }),
    ],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      requireCustomerRole(doc, 'permissions');
      await resolveBoundary(tx, deps, ctx.account, input.PermissionsBoundary);
      const updated: RoleDoc = { ...doc, PermissionsBoundary: input.PermissionsBoundary };
      await tx.update(ctx.account, KIND.role, nameKey(doc.RoleName), updated);
      await recordBoundaryUse(tx, ctx.account, { kind: 'role', name: doc.RoleName, id: doc.RoleId }, input.PermissionsBoundary);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const deleteRole = defineOp<{ RoleName: string }>('DeleteRolePermissionsBoundary', {
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'DeleteRolePermissionsBoundary', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      requireCustomerRole(doc, 'permissions');
      const { PermissionsBoundary: _dropped, ...rest } = doc;
      await tx.update(ctx.account, KIND.role, nameKey(doc.RoleName), rest);
      await recordBoundaryUse(tx, ctx.account, { kind: 'role', name: doc.RoleName, id: doc.RoleId }, undefined);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [putUser, deleteUser, putRole, deleteRole];
}

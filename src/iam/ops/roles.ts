// Roles: CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
// DeleteRole.

import { withLatestUse } from '../access-advisor/records.ts';
import { recordBoundaryUse, resolveBoundary } from '../boundaries.ts';
import { check, roleCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { checkTrustPolicyDocument } from '../documents.ts';
import { mustDeletePolicies, mustDetachPolicies, mustRemoveRolesFromInstanceProfile, quotaExceeded, roleExists } from '../errors.ts';
import { requireRole } from '../lookups.ts';
import { resolveNamedPrincipals, withCurrentTrust } from '../named-principals.ts';
import { KIND, nameKey, newId, ownerKey, roleArn, type RoleDoc, type Tag } from '../model.ts';
import { type Out, roleOut } from '../output.ts';
import { pageMembers, type PageInput, pageOfStored } from '../pagination.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { assertCustomerRolePath } from '../service-linked-roles/protection.ts';
import { countCustomerRoles } from '../service-linked-roles/quota.ts';
import { defineOp, insertNew, nowIso, requireCustomerRole } from './define.ts';
import { Reusable } from '../../common/reusable.ts';
import { decodeDoc } from '../../store/codec.ts';
import type { StoredEntity } from '../../store/types.ts';

export const DEFAULT_MAX_SESSION_DURATION = 3600;


interface CreateRoleInput {
  Path?: string;
  RoleName: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  PermissionsBoundary?: string;
  Tags?: Tag[];
}

/**
 * A role's stored text holds this when its trust policy names users or roles: the end of the key
 * `trustPrincipals` — inside a string value a quote is escaped, and after one comes `,`, `}` or `]`,
 * never `:`. Those roles show the named principals' current state (withCurrentTrust), so they are read
 * and shaped on every page. (The key's end rather than its whole name: `P` is rare in a role's text,
 * so the search skips ahead; quotes are everywhere.)
 */
const NAMES_PRINCIPALS = `${'trustPrincipals' satisfies keyof RoleDoc}":`.slice('trust'.length);

/**
 * A role of a ListRoles page whose listed members come from its row alone (not NAMES_PRINCIPALS):
 * Reusable under its row's text, so a role unchanged since it was last listed is written from the
 * XML kept for it, its row not even decoded.
 */
const listedRole = (scope: string, row: StoredEntity): Reusable =>
  new Reusable(scope, row.key, row.text, () => roleOut(decodeDoc<RoleDoc>(row.text), 'list'));

export function roleOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const createRole = defineOp<CreateRoleInput>('CreateRole', {
    authorize(input, ctx) {
      const arn = roleArn(ctx.account, input.Path ?? '/', input.RoleName);
      const context = requestTagContext(input.Tags);
      if (input.PermissionsBoundary !== undefined) context['iam:PermissionsBoundary'] = input.PermissionsBoundary;
      const checks = [check('CreateRole', arn, context)];
      if (input.Tags?.length) checks.push(check('TagRole', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      assertCustomerRolePath(input.Path);
      const trust = checkTrustPolicyDocument(input.AssumeRolePolicyDocument, quotas);
      const trustPrincipals = await resolveNamedPrincipals(tx, trust);
      const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
      if (input.PermissionsBoundary !== undefined) await resolveBoundary(tx, deps, ctx.account, input.PermissionsBoundary);
      if ((await countCustomerRoles(tx, ctx.account)) >= quotas.rolesPerAccount) throw quotaExceeded('RolesPerAccount', quotas.rolesPerAccount);
      const path = input.Path ?? '/';
      const doc: RoleDoc = {
        RoleName: input.RoleName,
        RoleId: newId('AROA'),
        Path: path,
        Arn: roleArn(ctx.account, path, input.RoleName),
        CreateDate: nowIso(ctx),
        AssumeRolePolicyDocument: input.AssumeRolePolicyDocument,
        MaxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
        Tags: tags,
      };
      if (trustPrincipals) doc.trustPrincipals = trustPrincipals;
      if (input.Description !== undefined) doc.Description = input.Description;
      if (input.PermissionsBoundary !== undefined) doc.PermissionsBoundary = input.PermissionsBoundary;
      await insertNew(tx, ctx.account, KIND.role, nameKey(input.RoleName), doc, null, () => roleExists(input.RoleName));
      if (doc.PermissionsBoundary) {
        await recordBoundaryUse(tx, ctx.account, { kind: 'role', name: doc.RoleName, id: doc.RoleId }, doc.PermissionsBoundary);
      }
      await tx.bumpGeneration(ctx.account);
      return { Role: roleOut(doc, 'create') };
    },
  });

  const getRole = defineOp<{ RoleName: string }>('GetRole', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'GetRole', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      return { Role: roleOut(await withLatestUse(tx, ctx.account, await withCurrentTrust(tx, doc)), 'get') };
    },
  });

  const listRoles = defineOp<{ PathPrefix?: string } & PageInput>('ListRoles', {
    readOnly: true,
    authorize: (input, ctx) => [check('ListRoles', roleArn(ctx.account, input.PathPrefix ?? '/', ''))],
    async handle(input, ctx, tx) {
      const prefix = input.PathPrefix;
      const page = await pageOfStored(tx, ctx.account, KIND.role, input, {
        keep: prefix === undefined ? undefined : (row) => decodeDoc<RoleDoc>(row.text).Path.startsWith(prefix),
      });
      // Most trust policies name no user or role: those roles need no look-up, nor a promise each (a
      // page of 100 paid ~10 µs for them), and are written from their row alone.
      const roles: (Reusable | Out)[] = [];
      const scope = `${ctx.account}\0${KIND.role}`;
      for (const row of page.items) {
        roles.push(row.text.includes(NAMES_PRINCIPALS) ? roleOut(await withCurrentTrust(tx, decodeDoc<RoleDoc>(row.text)), 'list') : listedRole(scope, row));
      }
      return { Roles: roles, ...pageMembers(page) };
    },
  });

  const updateRole = defineOp<{ RoleName: string; Description?: string; MaxSessionDuration?: number }>('UpdateRole', {
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'UpdateRole', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      if (input.MaxSessionDuration !== undefined) requireCustomerRole(doc, 'max-session-duration');
      const updated: RoleDoc = { ...doc };
      if (input.Description !== undefined) updated.Description = input.Description;
      if (input.MaxSessionDuration !== undefined) updated.MaxSessionDuration = input.MaxSessionDuration;
      await tx.update(ctx.account, KIND.role, nameKey(doc.RoleName), updated);
      return {};
    },
  });

  const updateRoleDescription = defineOp<{ RoleName: string; Description: string }>('UpdateRoleDescription', {
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'UpdateRoleDescription', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      const updated: RoleDoc = { ...doc, Description: input.Description };
      await tx.update(ctx.account, KIND.role, nameKey(doc.RoleName), updated);
      return { Role: roleOut(await withCurrentTrust(tx, updated), 'brief') };
    },
  });

  const updateAssumeRolePolicy = defineOp<{ RoleName: string; PolicyDocument: string }>('UpdateAssumeRolePolicy', {
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'UpdateAssumeRolePolicy', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      requireCustomerRole(doc, 'trust-policy');
      const trust = checkTrustPolicyDocument(input.PolicyDocument, quotas);
      const { trustPrincipals: _old, ...rest } = doc;
      const trustPrincipals = await resolveNamedPrincipals(tx, trust);
      const updated: RoleDoc = { ...rest, AssumeRolePolicyDocument: input.PolicyDocument, ...(trustPrincipals ? { trustPrincipals } : {}) };
      await tx.update(ctx.account, KIND.role, nameKey(doc.RoleName), updated);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const deleteRole = defineOp<{ RoleName: string }>('DeleteRole', {
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'DeleteRole', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireRole(tx, ctx.account, input.RoleName);
      requireCustomerRole(doc, 'delete');
      const owned = { keyPrefix: `${ownerKey('role', doc.RoleName)}/` };
      if ((await tx.count(ctx.account, KIND.attachment, owned)) > 0) throw mustDetachPolicies();
      if ((await tx.count(ctx.account, KIND.inlinePolicy, owned)) > 0) throw mustDeletePolicies();
      if ((await tx.count(ctx.account, KIND.instanceProfile, { ref: nameKey(doc.RoleName) })) > 0) throw mustRemoveRolesFromInstanceProfile();
      await recordBoundaryUse(tx, ctx.account, { kind: 'role', name: doc.RoleName, id: doc.RoleId }, undefined);
      await tx.delete(ctx.account, KIND.role, nameKey(doc.RoleName));
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [createRole, getRole, listRoles, updateRole, updateRoleDescription, updateAssumeRolePolicy, deleteRole];
}

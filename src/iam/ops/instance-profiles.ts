// Instance profiles: the container an EC2 instance gets its role from. CreateInstanceProfile,
// GetInstanceProfile, ListInstanceProfiles, DeleteInstanceProfile, AddRoleToInstanceProfile,
// RemoveRoleFromInstanceProfile, ListInstanceProfilesForRole (tags: tagging.ts).
//
// A profile holds at most one role (InstanceSessionsPerInstanceProfile); the role is the profile's
// ref, so a role's profiles are one indexed look-up and a role in a profile cannot be deleted.
// Putting a role into a profile hands it to whoever launches instances with the profile, so it asks
// iam:PassRole on the role as well, as AWS does.

import type { AuthzCheck, CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check, roleCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { instanceProfileExists, mustRemoveRolesFromInstanceProfile, noSuchInstanceProfile, quotaExceeded, roleNotInInstanceProfile } from '../errors.ts';
import { requireRole, pathFilter } from '../lookups.ts';
import { instanceProfileArn, KIND, nameKey, newId, type InstanceProfileDoc, type RoleDoc, type Tag } from '../model.ts';
import { withCurrentTrust } from '../named-principals.ts';
import { roleOut } from '../output.ts';
import { paginate, pageMembers, type PageInput, pageOfEntities } from '../pagination.ts';
import { mergeTags, requestTagContext, resourceTagContext } from '../tags.ts';
import type { Entity } from '../../store/types.ts';
import { defineOp, insertNew, nowIso, requireCustomerRole } from './define.ts';

export async function requireInstanceProfile(tx: Tx, account: string, name: string): Promise<Entity<InstanceProfileDoc>> {
  const e = await tx.get<InstanceProfileDoc>(account, KIND.instanceProfile, nameKey(name));
  if (!e) throw noSuchInstanceProfile(name);
  return e;
}

/** A check on the profile `name` (which may not exist yet: the ARN then uses the root path). */
export async function instanceProfileCheck(tx: Tx, ctx: CallContext, action: string, name: string, extra: Record<string, string | string[]> = {}): Promise<AuthzCheck> {
  const doc = (await tx.get<InstanceProfileDoc>(ctx.account, KIND.instanceProfile, nameKey(name)))?.doc;
  return check(action, doc?.Arn ?? instanceProfileArn(ctx.account, '/', name), { ...resourceTagContext(doc?.Tags ?? [], true), ...extra });
}

/** The profiles a role is in (at most one, by AWS's quota; the list keeps the API's shape). */
export async function instanceProfilesOf(tx: Tx, account: string, roleName: string): Promise<InstanceProfileDoc[]> {
  return (await tx.listByRef<InstanceProfileDoc>(account, KIND.instanceProfile, nameKey(roleName))).map((e) => e.doc);
}

/**
 * `create`: Tags only when given. `get`: Tags always. `list`: no Tags (recorded). `role`: the profile's
 * role with its current trust, when the caller has it at hand.
 */
export async function instanceProfileOut(
  tx: Tx,
  account: string,
  doc: InstanceProfileDoc,
  variant: 'create' | 'get' | 'list',
  role?: RoleDoc,
): Promise<Record<string, unknown>> {
  if (role === undefined && doc.RoleName !== undefined) {
    const stored = (await tx.get<RoleDoc>(account, KIND.role, nameKey(doc.RoleName)))?.doc;
    role = stored && (await withCurrentTrust(tx, stored));
  }
  const out: Record<string, unknown> = {
    Path: doc.Path,
    InstanceProfileName: doc.InstanceProfileName,
    InstanceProfileId: doc.InstanceProfileId,
    Arn: doc.Arn,
    CreateDate: new Date(doc.CreateDate),
    Roles: role ? [roleOut(role, 'brief')] : [],
  };
  if (variant === 'get' || (variant === 'create' && doc.Tags.length > 0)) out.Tags = doc.Tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  return out;
}

interface ProfileRoleInput {
  InstanceProfileName: string;
  RoleName: string;
}

export function instanceProfileOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const createInstanceProfile = defineOp<{ InstanceProfileName: string; Path?: string; Tags?: Tag[] }>('CreateInstanceProfile', {
    authorize(input, ctx) {
      const arn = instanceProfileArn(ctx.account, input.Path ?? '/', input.InstanceProfileName);
      const checks = [check('CreateInstanceProfile', arn, requestTagContext(input.Tags))];
      if (input.Tags?.length) checks.push(check('TagInstanceProfile', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
      if ((await tx.count(ctx.account, KIND.instanceProfile)) >= quotas.instanceProfilesPerAccount) {
        throw quotaExceeded('InstanceProfilesPerAccount', quotas.instanceProfilesPerAccount);
      }
      const path = input.Path ?? '/';
      const doc: InstanceProfileDoc = {
        InstanceProfileName: input.InstanceProfileName,
        InstanceProfileId: newId('AIPA'),
        Path: path,
        Arn: instanceProfileArn(ctx.account, path, input.InstanceProfileName),
        CreateDate: nowIso(ctx),
        Tags: tags,
      };
      await insertNew(tx, ctx.account, KIND.instanceProfile, nameKey(doc.InstanceProfileName), doc, null, () => instanceProfileExists(input.InstanceProfileName));
      return { InstanceProfile: await instanceProfileOut(tx, ctx.account, doc, 'create') };
    },
  });

  const getInstanceProfile = defineOp<{ InstanceProfileName: string }>('GetInstanceProfile', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await instanceProfileCheck(tx, ctx, 'GetInstanceProfile', input.InstanceProfileName)],
    async handle(input, ctx, tx) {
      const { doc } = await requireInstanceProfile(tx, ctx.account, input.InstanceProfileName);
      return { InstanceProfile: await instanceProfileOut(tx, ctx.account, doc, 'get') };
    },
  });

  const listInstanceProfiles = defineOp<{ PathPrefix?: string } & PageInput>('ListInstanceProfiles', {
    readOnly: true,
    authorize: (input, ctx) => [check('ListInstanceProfiles', instanceProfileArn(ctx.account, input.PathPrefix ?? '/', ''))],
    async handle(input, ctx, tx) {
      const page = await pageOfEntities<InstanceProfileDoc>(tx, ctx.account, KIND.instanceProfile, input, { keep: pathFilter(input.PathPrefix) });
      const profiles = [];
      for (const e of page.items) profiles.push(await instanceProfileOut(tx, ctx.account, e.doc, 'list'));
      return { InstanceProfiles: profiles, ...pageMembers(page) };
    },
  });

  const deleteInstanceProfile = defineOp<{ InstanceProfileName: string }>('DeleteInstanceProfile', {
    authorize: async (input, ctx, tx) => [await instanceProfileCheck(tx, ctx, 'DeleteInstanceProfile', input.InstanceProfileName)],
    async handle(input, ctx, tx) {
      const e = await requireInstanceProfile(tx, ctx.account, input.InstanceProfileName);
      if (e.doc.RoleName !== undefined) throw mustRemoveRolesFromInstanceProfile();
      await tx.delete(ctx.account, KIND.instanceProfile, e.key);
      return {};
    },
  });

  const addRoleToInstanceProfile = defineOp<ProfileRoleInput>('AddRoleToInstanceProfile', {
    authorize: async (input, ctx, tx) => [
      await instanceProfileCheck(tx, ctx, 'AddRoleToInstanceProfile', input.InstanceProfileName),
      await roleCheck(tx, ctx, 'PassRole', input.RoleName),
    ],
    async handle(input, ctx, tx) {
      const profile = await requireInstanceProfile(tx, ctx.account, input.InstanceProfileName);
      const { doc: role } = await requireRole(tx, ctx.account, input.RoleName);
      requireCustomerRole(role, 'instance-profile');
      if (profile.doc.RoleName !== undefined) throw quotaExceeded('InstanceSessionsPerInstanceProfile', quotas.rolesPerInstanceProfile);
      await tx.update(ctx.account, KIND.instanceProfile, profile.key, { ...profile.doc, RoleName: role.RoleName }, nameKey(role.RoleName));
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const removeRoleFromInstanceProfile = defineOp<ProfileRoleInput>('RemoveRoleFromInstanceProfile', {
    authorize: async (input, ctx, tx) => [await instanceProfileCheck(tx, ctx, 'RemoveRoleFromInstanceProfile', input.InstanceProfileName)],
    async handle(input, ctx, tx) {
      const profile = await requireInstanceProfile(tx, ctx.account, input.InstanceProfileName);
      const { doc: role } = await requireRole(tx, ctx.account, input.RoleName);
      if (profile.doc.RoleName === undefined || nameKey(profile.doc.RoleName) !== nameKey(role.RoleName)) {
        throw roleNotInInstanceProfile(input.RoleName, profile.doc.InstanceProfileName);
      }
      const { RoleName: _removed, ...rest } = profile.doc;
      await tx.update(ctx.account, KIND.instanceProfile, profile.key, rest, null);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  const listInstanceProfilesForRole = defineOp<{ RoleName: string } & PageInput>('ListInstanceProfilesForRole', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'ListInstanceProfilesForRole', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc: role } = await requireRole(tx, ctx.account, input.RoleName);
      const profiles = await instanceProfilesOf(tx, ctx.account, role.RoleName);
      const page = paginate(profiles, (p) => nameKey(p.InstanceProfileName), input);
      const out = [];
      for (const p of page.items) out.push(await instanceProfileOut(tx, ctx.account, p, 'list'));
      return { InstanceProfiles: out, ...pageMembers(page) };
    },
  });

  return [
    createInstanceProfile,
    getInstanceProfile,
    listInstanceProfiles,
    deleteInstanceProfile,
    addRoleToInstanceProfile,
    removeRoleFromInstanceProfile,
    listInstanceProfilesForRole,
  ];
}

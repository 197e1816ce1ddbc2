// Account-wide views: GetAccountSummary and GetAccountAuthorizationDetails.

import type { Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { awsPolicyView, customerPolicyView, usageCounts, type ManagedPolicyView } from '../managed.ts';
import {
  accessKeyOwnerRef,
  GLOBAL,
  KIND,
  nameKey,
  ownerKey,
  type AccountDoc,
  type AttachmentDoc,
  type BoundaryUseDoc,
  type GroupDoc,
  type InlinePolicyDoc,
  type MembershipDoc,
  type OwnerKind,
  type PolicyDoc,
  type RoleDoc,
  type UserDoc,
} from '../model.ts';
import { boundaryOut, groupOut, policyOut, roleLastUsedOut, roleOut, tagsOut, userOut } from '../output.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { withCurrentTrust } from '../named-principals.ts';
import { instanceProfileOut, instanceProfilesOf } from './instance-profiles.ts';
import { mfaSummary } from './mfa-devices.ts';
import { defineOp } from './define.ts';
import { signingCertificateOwnerRef } from '../user-credentials.ts';

type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

export function accountOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const summary = defineOp<Record<string, never>>('GetAccountSummary', {
    readOnly: true,
    authorize: () => [check('GetAccountSummary', '*')],
    async handle(_input, ctx, tx) {
      const a = ctx.account;
      const SummaryMap: Record<string, number> = {
        Users: await tx.count(a, KIND.user),
        UsersQuota: quotas.usersPerAccount,
        Groups: await tx.count(a, KIND.group),
        GroupsQuota: quotas.groupsPerAccount,
        Roles: await tx.count(a, KIND.role),
        RolesQuota: quotas.rolesPerAccount,
        Policies: await tx.count(a, KIND.policy),
        PoliciesQuota: quotas.policiesPerAccount,
        PolicyVersionsInUse: await tx.itemTotal(a, KIND.policy, 'versions'),
        PolicyVersionsInUseQuota: quotas.policyVersionsInUse,
        VersionsPerPolicyQuota: quotas.versionsPerPolicy,
        PolicySizeQuota: quotas.policySize,
        UserPolicySizeQuota: quotas.userPolicySize,
        GroupPolicySizeQuota: quotas.groupPolicySize,
        RolePolicySizeQuota: quotas.rolePolicySize,
        AssumeRolePolicySizeQuota: quotas.assumeRolePolicySize,
        GroupsPerUserQuota: quotas.groupsPerUser,
        AccessKeysPerUserQuota: quotas.accessKeysPerUser,
        AttachedPoliciesPerUserQuota: quotas.attachedPoliciesPerUser,
        AttachedPoliciesPerGroupQuota: quotas.attachedPoliciesPerGroup,
        AttachedPoliciesPerRoleQuota: quotas.attachedPoliciesPerRole,
        AccountAccessKeysPresent: (await tx.count(GLOBAL, KIND.accessKey, { ref: accessKeyOwnerRef(a, undefined) })) > 0 ? 1 : 0,
        InstanceProfiles: await tx.count(a, KIND.instanceProfile),
        InstanceProfilesQuota: quotas.instanceProfilesPerAccount,
        ...(await mfaSummary(tx, a)),
        // OpenID Connect and SAML identity providers.
        Providers: (await tx.count(a, KIND.oidcProvider)) + (await tx.count(a, KIND.samlProvider)),
        ServerCertificates: await tx.count(a, KIND.serverCertificate),
        ServerCertificatesQuota: quotas.serverCertificatesPerAccount,
        SigningCertificatesPerUserQuota: quotas.signingCertificatesPerUser,
        AccountSigningCertificatesPresent: (await tx.count(a, KIND.signingCertificate, { ref: signingCertificateOwnerRef(undefined) })) > 0 ? 1 : 0,
        // The root has no password.
        AccountPasswordPresent: 0,
        GlobalEndpointTokenVersion: (await tx.get<AccountDoc>(GLOBAL, KIND.account, a))?.doc.globalEndpointTokenVersion === 'v2Token' ? 2 : 1,
      };
      return { SummaryMap };
    },
  });

  const details = defineOp<{ Filter?: EntityFilter[] } & PageInput>('GetAccountAuthorizationDetails', {
    readOnly: true,
    authorize: () => [check('GetAccountAuthorizationDetails', '*')],
    async handle(input, ctx, tx) {
      const a = ctx.account;
      const wanted = new Set<EntityFilter>(input.Filter?.length ? input.Filter : ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']);
      // One ordered list over every kind (groups, policies, roles, users), paginated as a whole.
      const items: { key: string; build: () => Promise<{ list: string; value: Record<string, unknown> }> }[] = [];
      if (wanted.has('Group')) {
        for (const e of await tx.list<GroupDoc>(a, KIND.group)) {
          items.push({ key: `g/${e.key}`, build: async () => ({ list: 'GroupDetailList', value: await groupDetail(tx, a, e.doc) }) });
        }
      }
      if (wanted.has('LocalManagedPolicy')) {
        for (const e of await tx.list<PolicyDoc>(a, KIND.policy)) {
          const view = customerPolicyView(e.doc);
          items.push({ key: `p/${view.Arn}`, build: async () => ({ list: 'Policies', value: await policyDetail(tx, a, view) }) });
        }
      }
      if (wanted.has('AWSManagedPolicy')) {
        // AWS managed policies appear when the account uses them (attached or as a boundary).
        const used = new Set<string>();
        for (const e of await tx.list<AttachmentDoc>(a, KIND.attachment)) if (e.ref) used.add(e.ref);
        for (const e of await tx.list<BoundaryUseDoc>(a, KIND.boundaryUse)) if (e.ref) used.add(e.ref);
        for (const arn of [...used].sort()) {
          const view = arn.startsWith('arn:aws:iam::aws:') ? awsPolicyView(deps, arn) : undefined;
          if (view) items.push({ key: `p/${arn}`, build: async () => ({ list: 'Policies', value: await policyDetail(tx, a, view) }) });
        }
      }
      if (wanted.has('Role')) {
        for (const e of await tx.list<RoleDoc>(a, KIND.role)) {
          items.push({ key: `r/${e.key}`, build: async () => ({ list: 'RoleDetailList', value: await roleDetail(tx, a, e.doc) }) });
        }
      }
      if (wanted.has('User')) {
        for (const e of await tx.list<UserDoc>(a, KIND.user)) {
          items.push({ key: `u/${e.key}`, build: async () => ({ list: 'UserDetailList', value: await userDetail(tx, a, e.doc) }) });
        }
      }
      items.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const page = paginate(items, (i) => i.key, input);
      const out: Record<string, Record<string, unknown>[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
      for (const item of page.items) {
        const { list, value } = await item.build();
        out[list]!.push(value);
      }
      return { ...out, ...pageMembers(page) };
    },
  });

  return [summary, details];
}

async function inlineList(tx: Tx, account: string, kind: OwnerKind, name: string) {
  const inline = await tx.list<InlinePolicyDoc>(account, KIND.inlinePolicy, { keyPrefix: `${ownerKey(kind, name)}/` });
  return inline.map((e) => ({ PolicyName: e.doc.PolicyName, PolicyDocument: e.doc.PolicyDocument }));
}

async function attachedList(tx: Tx, account: string, kind: OwnerKind, name: string) {
  const attached = await tx.list<AttachmentDoc>(account, KIND.attachment, { keyPrefix: `${ownerKey(kind, name)}/` });
  return attached.map((e) => ({ PolicyName: e.doc.PolicyName, PolicyArn: e.doc.PolicyArn }));
}

async function userDetail(tx: Tx, account: string, doc: UserDoc) {
  const out: Record<string, unknown> = { ...userOut(doc, 'brief') };
  const inline = await inlineList(tx, account, 'user', doc.UserName);
  // Recorded: UserPolicyList is left out when empty (GroupPolicyList and RolePolicyList are not).
  if (inline.length > 0) out.UserPolicyList = inline;
  const memberships = await tx.listByRef<MembershipDoc>(account, KIND.membership, nameKey(doc.UserName));
  out.GroupList = memberships.map((m) => m.doc.GroupName);
  out.AttachedManagedPolicies = await attachedList(tx, account, 'user', doc.UserName);
  if (doc.PermissionsBoundary) out.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
  out.Tags = tagsOut(doc.Tags);
  return out;
}

async function groupDetail(tx: Tx, account: string, doc: GroupDoc) {
  return {
    ...groupOut(doc),
    GroupPolicyList: await inlineList(tx, account, 'group', doc.GroupName),
    AttachedManagedPolicies: await attachedList(tx, account, 'group', doc.GroupName),
  };
}

async function roleDetail(tx: Tx, account: string, doc: RoleDoc) {
  const out: Record<string, unknown> = {
    ...roleOut(await withCurrentTrust(tx, doc), 'brief'),
    InstanceProfileList: await Promise.all((await instanceProfilesOf(tx, account, doc.RoleName)).map((p) => instanceProfileOut(tx, account, p, 'list'))),
    RolePolicyList: await inlineList(tx, account, 'role', doc.RoleName),
    AttachedManagedPolicies: await attachedList(tx, account, 'role', doc.RoleName),
  };
  if (doc.PermissionsBoundary) out.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
  out.Tags = tagsOut(doc.Tags);
  out.RoleLastUsed = roleLastUsedOut(doc);
  return out;
}

async function policyDetail(tx: Tx, account: string, view: ManagedPolicyView) {
  const { Tags: _tags, ...base } = policyOut(view, await usageCounts(tx, account, view.Arn), 'get');
  return {
    ...base,
    PolicyVersionList: view.versions.map((v) => ({
      Document: v.Document,
      VersionId: v.VersionId,
      IsDefaultVersion: v.VersionId === view.DefaultVersionId,
      CreateDate: v.CreateDate,
    })),
  };
}

// Account-wide views: GetAccountSummary and GetAccountAuthorizationDetails.

import { latestUsesOf, withUse } from '../access-advisor/records.ts';
import { compareKeys } from '../../store/range.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { awsPolicyView, customerPolicyView, usageCountsOf, type ManagedPolicyView, type UsageCounts } from '../managed.ts';
import {
  accessKeyOwnerRef,
  GLOBAL,
  KIND,
  nameKey,
  ownerKey,
  type AccountDoc,
  type AttachmentDoc,
  type GroupDoc,
  type InlinePolicyDoc,
  type InstanceProfileDoc,
  type MembershipDoc,
  type OwnerKind,
  type PolicyDoc,
  type RoleDoc,
  type UserDoc,
} from '../model.ts';
import { boundaryOut, groupOut, policyOut, roleLastUsedOut, roleOut, tagsOut, userOut } from '../output.ts';
import { pageCursor, pageMembers, pageOf, type PageInput } from '../pagination.ts';
import { withCurrentTrust } from '../named-principals.ts';
import { instanceProfileOut } from './instance-profiles.ts';
import { mfaSummary } from './mfa-devices.ts';
import { defineOp } from './define.ts';

/** What the ARNs of AWS managed policies start with. */
const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:';
import { signingCertificateOwnerRef } from '../user-credentials.ts';

type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

/** What one entry of GetAccountAuthorizationDetails' lists is made from. */
type Entry =
  | { list: 'GroupDetailList'; group: GroupDoc }
  | { list: 'RoleDetailList'; role: RoleDoc }
  | { list: 'UserDetailList'; user: UserDoc }
  | { list: 'Policies'; policy: Record<string, unknown> };

/** One entry and its key (the marker). */
interface SegmentItem {
  key: string;
  entry: Entry;
}

/** Up to `limit` items of one segment whose keys (within the segment) sort after `after`. */
type SegmentReader = (after: string | undefined, limit: number) => Promise<SegmentItem[]>;

interface Segment {
  prefix: string;
  wanted: boolean;
  read: SegmentReader;
}

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
      // One list over every kind, in segments: groups, customer policies, the AWS managed policies
      // the account uses, roles, users — each segment read by key range from where the marker points,
      // so a page reads what it shows (and one more), however large the account.
      const entities = <D>(kind: string, entry: (doc: D) => Entry): SegmentReader => async (after, limit) =>
        (await tx.list<D>(a, kind, { after, limit })).map((e) => ({ key: e.key, entry: entry(e.doc) }));
      const segments: Segment[] = [
        { prefix: 'g/', wanted: wanted.has('Group'), read: entities<GroupDoc>(KIND.group, (group) => ({ list: 'GroupDetailList', group })) },
        {
          prefix: 'p/',
          wanted: wanted.has('LocalManagedPolicy'),
          read: async (after, limit) => policyItems(tx, a, (await tx.list<PolicyDoc>(a, KIND.policy, { after, limit })).map((e) => ({ key: e.key, view: customerPolicyView(e.doc) }))),
        },
        {
          prefix: 'q/',
          wanted: wanted.has('AWSManagedPolicy'),
          // AWS managed policies appear when the account uses them (attached or as a boundary). Reached
          // only by the pages after the customer policies.
          read: async (after, limit) => {
            // The store's ref counters hold the refs in use in order: a page reads a page of each.
            const range = { refPrefix: AWS_POLICY_ARN_PREFIX, after, limit };
            const [attached, boundaries] = await Promise.all([tx.refsInUse(a, KIND.attachment, range), tx.refsInUse(a, KIND.boundaryUse, range)]);
            const views = [...new Set([...attached, ...boundaries])]
              .sort(compareKeys)
              .flatMap((arn) => {
                const view = awsPolicyView(deps, arn);
                return view ? [view] : [];
              });
            return policyItems(tx, a, views.slice(0, limit).map((view) => ({ key: view.Arn, view })));
          },
        },
        { prefix: 'r/', wanted: wanted.has('Role'), read: entities<RoleDoc>(KIND.role, (role) => ({ list: 'RoleDetailList', role })) },
        { prefix: 'u/', wanted: wanted.has('User'), read: entities<UserDoc>(KIND.user, (user) => ({ list: 'UserDetailList', user })) },
      ];
      const { after, size } = pageCursor(input);
      const found: SegmentItem[] = [];
      for (const segment of segments) {
        if (!segment.wanted) continue;
        // A marker in a later segment skips this one; in this one, the segment resumes after it.
        if (after !== undefined && after.slice(0, 2) > segment.prefix) continue;
        const from = after?.startsWith(segment.prefix) ? after.slice(2) : undefined;
        for (const item of await segment.read(from, size + 1 - found.length)) found.push({ ...item, key: segment.prefix + item.key });
        if (found.length > size) break;
      }
      const page = pageOf(found, size, (i) => i.key);
      return { ...(await describePage(tx, a, page.items.map((i) => i.entry))), ...pageMembers(page) };
    },
  });

  return [summary, details];
}

/** The owner prefix (`role/<name>/`) an inline policy's or an attachment's key starts with. */
function ownerOf(key: string): string {
  return key.slice(0, key.indexOf('/', key.indexOf('/') + 1) + 1);
}

function groupedBy<T>(entities: Entity<T>[], by: (e: Entity<T>) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of entities) {
    const k = by(e);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(e.doc);
    else groups.set(k, [e.doc]);
  }
  return groups;
}

/**
 * A page's entries, described: what their owners hold (inline policies, attachments, memberships,
 * instance profiles, roles' latest use) is read for the whole page at once — a handful of reads a page
 * rather than four or five an entry, each a round trip on PostgreSQL.
 */
async function describePage(tx: Tx, account: string, entries: Entry[]): Promise<Record<string, Record<string, unknown>[]>> {
  const groups: GroupDoc[] = [];
  const roles: RoleDoc[] = [];
  const users: UserDoc[] = [];
  for (const e of entries) {
    if (e.list === 'GroupDetailList') groups.push(e.group);
    else if (e.list === 'RoleDetailList') roles.push(e.role);
    else if (e.list === 'UserDetailList') users.push(e.user);
  }
  const owners = [
    ...groups.map((g) => ownerKey('group', g.GroupName)),
    ...roles.map((r) => ownerKey('role', r.RoleName)),
    ...users.map((u) => ownerKey('user', u.UserName)),
  ].map((owner) => `${owner}/`);
  const inline = groupedBy(await tx.listUnder<InlinePolicyDoc>(account, KIND.inlinePolicy, owners), (e) => ownerOf(e.key));
  const attached = groupedBy(await tx.listUnder<AttachmentDoc>(account, KIND.attachment, owners), (e) => ownerOf(e.key));
  const memberships = groupedBy(await tx.listByRefs<MembershipDoc>(account, KIND.membership, users.map((u) => nameKey(u.UserName))), (e) => e.ref);
  const profiles = groupedBy(await tx.listByRefs<InstanceProfileDoc>(account, KIND.instanceProfile, roles.map((r) => nameKey(r.RoleName))), (e) => e.ref);
  const uses = await latestUsesOf(tx, account, roles.map((r) => r.RoleId));

  const inlineOf = (kind: OwnerKind, name: string) =>
    (inline.get(`${ownerKey(kind, name)}/`) ?? []).map((d) => ({ PolicyName: d.PolicyName, PolicyDocument: d.PolicyDocument }));
  const attachedOf = (kind: OwnerKind, name: string) =>
    (attached.get(`${ownerKey(kind, name)}/`) ?? []).map((d) => ({ PolicyName: d.PolicyName, PolicyArn: d.PolicyArn }));

  const out: Record<string, Record<string, unknown>[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for (const e of entries) {
    if (e.list === 'Policies') {
      out.Policies!.push(e.policy);
    } else if (e.list === 'GroupDetailList') {
      const { GroupName } = e.group;
      out.GroupDetailList!.push({ ...groupOut(e.group), GroupPolicyList: inlineOf('group', GroupName), AttachedManagedPolicies: attachedOf('group', GroupName) });
    } else if (e.list === 'UserDetailList') {
      const doc = e.user;
      const user: Record<string, unknown> = { ...userOut(doc, 'brief') };
      const policies = inlineOf('user', doc.UserName);
      // Recorded: UserPolicyList is left out when empty (GroupPolicyList and RolePolicyList are not).
      if (policies.length > 0) user.UserPolicyList = policies;
      user.GroupList = (memberships.get(nameKey(doc.UserName)) ?? []).map((m) => m.GroupName);
      user.AttachedManagedPolicies = attachedOf('user', doc.UserName);
      if (doc.PermissionsBoundary) user.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
      user.Tags = tagsOut(doc.Tags);
      out.UserDetailList!.push(user);
    } else {
      const doc = e.role;
      const trusted = await withCurrentTrust(tx, doc);
      const role: Record<string, unknown> = {
        ...roleOut(trusted, 'brief'),
        InstanceProfileList: await Promise.all((profiles.get(nameKey(doc.RoleName)) ?? []).map((p) => instanceProfileOut(tx, account, p, 'list', trusted))),
        RolePolicyList: inlineOf('role', doc.RoleName),
        AttachedManagedPolicies: attachedOf('role', doc.RoleName),
      };
      if (doc.PermissionsBoundary) role.PermissionsBoundary = boundaryOut(doc.PermissionsBoundary);
      role.Tags = tagsOut(doc.Tags);
      role.RoleLastUsed = roleLastUsedOut(withUse(doc, uses.get(doc.RoleId)));
      out.RoleDetailList!.push(role);
    }
  }
  return out;
}

/** A segment's policies, their usage counts read together (two queries a page). */
async function policyItems(tx: Tx, account: string, policies: { key: string; view: ManagedPolicyView }[]): Promise<SegmentItem[]> {
  const counts = await usageCountsOf(tx, account, policies.map((p) => p.view.Arn));
  return policies.map(({ key, view }, i) => ({ key, entry: { list: 'Policies', policy: policyDetail(view, counts[i]!) } }));
}

function policyDetail(view: ManagedPolicyView, counts: UsageCounts) {
  const { Tags: _tags, ...base } = policyOut(view, counts, 'get');
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

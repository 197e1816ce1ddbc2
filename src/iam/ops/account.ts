// Account-wide views: GetAccountSummary and GetAccountAuthorizationDetails.

import { withLatestUse } from '../access-advisor/records.ts';
import { compareKeys } from '../../store/range.ts';
import type { Tx } from '../../store/types.ts';
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
  type MembershipDoc,
  type OwnerKind,
  type PolicyDoc,
  type RoleDoc,
  type UserDoc,
} from '../model.ts';
import { boundaryOut, groupOut, policyOut, roleLastUsedOut, roleOut, tagsOut, userOut } from '../output.ts';
import { pageCursor, pageMembers, pageOf, type PageInput } from '../pagination.ts';
import { withCurrentTrust } from '../named-principals.ts';
import { instanceProfileOut, instanceProfilesOf } from './instance-profiles.ts';
import { mfaSummary } from './mfa-devices.ts';
import { defineOp } from './define.ts';

/** What the ARNs of AWS managed policies start with. */
const AWS_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:';
import { signingCertificateOwnerRef } from '../user-credentials.ts';

type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

/** One entry of GetAccountAuthorizationDetails' list: its key (the marker) and how to describe it. */
interface SegmentItem {
  key: string;
  build: () => Promise<{ list: string; value: Record<string, unknown> }>;
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
      const entities = <D>(kind: string, list: string, detail: (doc: D) => Promise<Record<string, unknown>>): SegmentReader => async (after, limit) =>
        (await tx.list<D>(a, kind, { after, limit })).map((e) => ({ key: e.key, build: async () => ({ list, value: await detail(e.doc) }) }));
      const segments: Segment[] = [
        { prefix: 'g/', wanted: wanted.has('Group'), read: entities<GroupDoc>(KIND.group, 'GroupDetailList', (doc) => groupDetail(tx, a, doc)) },
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
        { prefix: 'r/', wanted: wanted.has('Role'), read: entities<RoleDoc>(KIND.role, 'RoleDetailList', (doc) => roleDetail(tx, a, doc)) },
        { prefix: 'u/', wanted: wanted.has('User'), read: entities<UserDoc>(KIND.user, 'UserDetailList', (doc) => userDetail(tx, a, doc)) },
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
  out.RoleLastUsed = roleLastUsedOut(await withLatestUse(tx, account, doc));
  return out;
}

/** A segment's policies, their usage counts read together (two queries a page). */
async function policyItems(tx: Tx, account: string, policies: { key: string; view: ManagedPolicyView }[]): Promise<SegmentItem[]> {
  const counts = await usageCountsOf(tx, account, policies.map((p) => p.view.Arn));
  return policies.map(({ key, view }, i) => ({ key, build: async () => ({ list: 'Policies', value: policyDetail(view, counts[i]!) }) }));
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

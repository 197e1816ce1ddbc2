// The IAM state of one account as the analysis needs it, read in one pass: every user with its own
// and its groups' policies, every role with its trust policy (naming only principals that still
// exist, as AssumeRole judges it), every group, and the managed policies in use with all their
// versions (SetDefaultPolicyVersion can bring back any of them). A few bulk reads, not one per entity:
// an account of thousands of principals loads in one short read transaction.

import type { AwsManagedPolicyCatalog } from '../iam/index.ts';
import {
  KIND,
  type AttachmentDoc,
  type GroupDoc,
  type InlinePolicyDoc,
  type MembershipDoc,
  type OwnerKind,
  type PolicyDoc,
  type RoleDoc,
  type Tag,
  type UserDoc,
} from '../iam/index.ts';
import { withCurrentTrust } from '../iam/named-principals.ts';
import type { Tx } from '../store/types.ts';

/** One policy as the authorizer labels it: a managed policy's ARN, or `user/alice/inline/name`. */
export interface LabelledDocument {
  label: string;
  document: string;
}

export interface ManagedPolicyState {
  arn: string;
  aws: boolean;
  defaultVersionId: string;
  versions: { versionId: string; document: string }[];
}

export interface GroupState {
  name: string;
  arn: string;
  policies: LabelledDocument[];
  /** Managed policies attached to the group. */
  attached: string[];
}

export interface PrincipalState {
  type: 'user' | 'role';
  name: string;
  arn: string;
  /** `AIDA…` / `AROA…`: with a session name it makes `aws:userid`. */
  id: string;
  tags: Tag[];
  /** Its own inline and attached policies, then (for a user) its groups', as the authorizer loads them. */
  policies: LabelledDocument[];
  boundary?: LabelledDocument;
  /** Managed policies attached to it or (for a user) to one of its groups. */
  attached: string[];
  /** A user's groups, by name. */
  groups: string[];
  /** A user: whether it has a console password (CreateLoginProfile vs UpdateLoginProfile). */
  hasLoginProfile?: boolean;
  /** A role: its trust policy as AssumeRole evaluates it. */
  trust?: string;
  /** A service-linked role: the service principal that owns it. */
  serviceLinked?: string;
}

export interface AccountState {
  account: string;
  users: PrincipalState[];
  roles: PrincipalState[];
  groups: GroupState[];
  /** Managed policies attached anywhere or used as a boundary, by ARN. */
  policies: Map<string, ManagedPolicyState>;
}

const ownerKeyOf = (kind: OwnerKind, name: string) => `${kind}/${name.toLowerCase()}`;

export async function loadAccountState(tx: Tx, awsPolicies: AwsManagedPolicyCatalog, account: string): Promise<AccountState> {
  const [users, roles, groups, inline, attachments, memberships, customer, profiles] = await Promise.all([
    tx.list<UserDoc>(account, KIND.user),
    tx.list<RoleDoc>(account, KIND.role),
    tx.list<GroupDoc>(account, KIND.group),
    tx.list<InlinePolicyDoc>(account, KIND.inlinePolicy),
    tx.list<AttachmentDoc>(account, KIND.attachment),
    tx.list<MembershipDoc>(account, KIND.membership),
    tx.list<PolicyDoc>(account, KIND.policy),
    tx.list<{ UserId: string }>(account, KIND.loginProfile),
  ]);

  const customerByArn = new Map(customer.map((e) => [e.doc.Arn, e.doc]));
  const policies = new Map<string, ManagedPolicyState>();
  const managed = (arn: string): ManagedPolicyState | undefined => {
    const known = policies.get(arn);
    if (known) return known;
    let found: ManagedPolicyState | undefined;
    const doc = customerByArn.get(arn);
    if (doc) {
      found = { arn, aws: false, defaultVersionId: doc.DefaultVersionId, versions: doc.versions.map((v) => ({ versionId: v.VersionId, document: v.Document })) };
    } else {
      const aws = awsPolicies.get(arn);
      if (aws) found = { arn, aws: true, defaultVersionId: aws.DefaultVersionId, versions: aws.Versions.map((v) => ({ versionId: v.VersionId, document: v.Document })) };
    }
    if (found) policies.set(arn, found);
    return found;
  };
  const defaultOf = (arn: string): LabelledDocument | undefined => {
    const policy = managed(arn);
    const version = policy?.versions.find((v) => v.versionId === policy.defaultVersionId);
    return version && { label: arn, document: version.document };
  };

  // Inline and attached policies by owner, in the authorizer's order: inline first, then attached.
  const owned = new Map<string, { policies: LabelledDocument[]; attached: string[] }>();
  const ownedBy = (key: string) => {
    let entry = owned.get(key);
    if (!entry) owned.set(key, (entry = { policies: [], attached: [] }));
    return entry;
  };
  for (const { doc } of inline) {
    ownedBy(ownerKeyOf(doc.ownerKind, doc.ownerName)).policies.push({ label: `${doc.ownerKind}/${doc.ownerName}/inline/${doc.PolicyName}`, document: doc.PolicyDocument });
  }
  for (const { doc } of attachments) {
    const entry = ownedBy(ownerKeyOf(doc.ownerKind, doc.ownerName));
    const policy = defaultOf(doc.PolicyArn);
    if (policy) entry.policies.push(policy);
    entry.attached.push(doc.PolicyArn);
  }
  const none = { policies: [], attached: [] };

  const groupStates: GroupState[] = groups.map(({ doc }) => {
    const own = owned.get(ownerKeyOf('group', doc.GroupName)) ?? none;
    return { name: doc.GroupName, arn: doc.Arn, policies: own.policies, attached: own.attached };
  });
  const groupByKey = new Map(groupStates.map((g) => [g.name.toLowerCase(), g]));
  const groupsOfUser = new Map<string, GroupState[]>();
  for (const { doc } of memberships) {
    const group = groupByKey.get(doc.GroupName.toLowerCase());
    if (!group) continue;
    const key = doc.UserName.toLowerCase();
    groupsOfUser.set(key, [...(groupsOfUser.get(key) ?? []), group]);
  }
  const withProfile = new Set(profiles.map((e) => e.key));

  const userStates: PrincipalState[] = users.map(({ doc }) => {
    const own = owned.get(ownerKeyOf('user', doc.UserName)) ?? none;
    const memberOf = groupsOfUser.get(doc.UserName.toLowerCase()) ?? [];
    const state: PrincipalState = {
      type: 'user',
      name: doc.UserName,
      arn: doc.Arn,
      id: doc.UserId,
      tags: doc.Tags,
      policies: [...own.policies, ...memberOf.flatMap((g) => g.policies)],
      attached: [...own.attached, ...memberOf.flatMap((g) => g.attached)],
      groups: memberOf.map((g) => g.name),
      hasLoginProfile: withProfile.has(doc.UserId),
    };
    const boundary = doc.PermissionsBoundary && defaultOf(doc.PermissionsBoundary);
    if (boundary) state.boundary = boundary;
    return state;
  });

  const roleStates: PrincipalState[] = [];
  for (const { doc } of roles) {
    const current = await withCurrentTrust(tx, doc);
    const own = owned.get(ownerKeyOf('role', doc.RoleName)) ?? none;
    const state: PrincipalState = {
      type: 'role',
      name: doc.RoleName,
      arn: doc.Arn,
      id: doc.RoleId,
      tags: doc.Tags,
      policies: own.policies,
      attached: own.attached,
      groups: [],
      trust: current.AssumeRolePolicyDocument,
    };
    const boundary = doc.PermissionsBoundary && defaultOf(doc.PermissionsBoundary);
    if (boundary) state.boundary = boundary;
    if (doc.serviceLinked) state.serviceLinked = doc.serviceLinked.servicePrincipal;
    roleStates.push(state);
  }

  return { account, users: userStates, roles: roleStates, groups: groupStates, policies };
}

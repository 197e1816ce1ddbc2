// The IAM resource an Access Advisor request names by ARN — a user, group, role or managed policy —
// with what the report needs of it: its permissions policies (never a boundary: Access Advisor
// applies permissions-policy logic only) and the principals whose calls count for it (a group's
// members; every user, role and group member a managed policy is attached to).

import type { Tx } from '../../store/types.ts';
import type { IamDeps } from '../deps.ts';
import { invalidInput, noSuchGroup, noSuchRole, noSuchUser, policyNotFound } from '../errors.ts';
import { defaultDocument, findManagedPolicy } from '../managed.ts';
import {
  KIND,
  nameKey,
  ownerKey,
  type AttachmentDoc,
  type GroupDoc,
  type InlinePolicyDoc,
  type MembershipDoc,
  type OwnerKind,
  type RoleDoc,
  type UserDoc,
} from '../model.ts';

export type TargetType = 'USER' | 'GROUP' | 'ROLE' | 'POLICY';

/** A principal whose calls a report counts (EntityInfo of GetServiceLastAccessedDetailsWithEntities). */
export interface EntityInfo {
  Arn: string;
  Name: string;
  Type: 'USER' | 'ROLE';
  Id: string;
  Path: string;
}

/** One permissions policy, as ListPoliciesGrantingServiceAccess describes it. */
export interface GrantingPolicy {
  PolicyName: string;
  PolicyType: 'INLINE' | 'MANAGED';
  /** Managed policies only. */
  PolicyArn?: string;
  /** Inline policies only: the user, group or role it is embedded in. */
  EntityType?: 'USER' | 'GROUP' | 'ROLE';
  EntityName?: string;
  document: string;
  /** Managed policies only: when its default version last changed. */
  updatedAt?: Date;
}

export interface Target {
  type: TargetType;
  arn: string;
  policies: GrantingPolicy[];
  candidates: EntityInfo[];
}

const ARN = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)((?:\/[\x21-\x7e]*)?\/)([\w+=,.@-]+)$/;

const ENTITY_TYPE: Record<OwnerKind, 'USER' | 'GROUP' | 'ROLE'> = { user: 'USER', group: 'GROUP', role: 'ROLE' };

/** The inline and attached policies of one user, group or role. */
async function ownedPolicies(tx: Tx, deps: IamDeps, account: string, kind: OwnerKind, name: string): Promise<GrantingPolicy[]> {
  const prefix = `${ownerKey(kind, name)}/`;
  const out: GrantingPolicy[] = [];
  for (const { doc } of await tx.list<InlinePolicyDoc>(account, KIND.inlinePolicy, { keyPrefix: prefix })) {
    out.push({ PolicyName: doc.PolicyName, PolicyType: 'INLINE', EntityType: ENTITY_TYPE[kind], EntityName: doc.ownerName, document: doc.PolicyDocument });
  }
  for (const { doc } of await tx.list<AttachmentDoc>(account, KIND.attachment, { keyPrefix: prefix })) {
    const view = await findManagedPolicy(tx, deps, account, doc.PolicyArn);
    if (view) out.push({ PolicyName: view.PolicyName, PolicyType: 'MANAGED', PolicyArn: view.Arn, document: defaultDocument(view), updatedAt: view.UpdateDate });
  }
  return out;
}

const userInfo = (u: UserDoc): EntityInfo => ({ Arn: u.Arn, Name: u.UserName, Type: 'USER', Id: u.UserId, Path: u.Path });
const roleInfo = (r: RoleDoc): EntityInfo => ({ Arn: r.Arn, Name: r.RoleName, Type: 'ROLE', Id: r.RoleId, Path: r.Path });

async function membersOf(tx: Tx, account: string, group: string): Promise<EntityInfo[]> {
  const out: EntityInfo[] = [];
  for (const { doc } of await tx.list<MembershipDoc>(account, KIND.membership, { keyPrefix: `${nameKey(group)}/` })) {
    const user = (await tx.get<UserDoc>(account, KIND.user, nameKey(doc.UserName)))?.doc;
    if (user) out.push(userInfo(user));
  }
  return out;
}

async function groupsOf(tx: Tx, account: string, user: string): Promise<string[]> {
  return (await tx.listByRef<MembershipDoc>(account, KIND.membership, nameKey(user))).map((e) => e.doc.GroupName);
}

/** An IAM user, group, role or policy ARN split into its parts; undefined for anything else. */
export function parseTargetArn(arn: string): { owner: string; kind: 'user' | 'group' | 'role' | 'policy'; name: string } | undefined {
  const m = ARN.exec(arn);
  return m ? { owner: m[1], kind: m[2] as 'user' | 'group' | 'role' | 'policy', name: m[4] } : undefined;
}

/**
 * The resource `arn` names in `account`: AWS's InvalidInput for a string that is no IAM user, group,
 * role or policy ARN, NoSuchEntity for one that names nothing (another account's included).
 */
export async function resolveTarget(tx: Tx, deps: IamDeps, account: string, arn: string): Promise<Target> {
  const parsed = parseTargetArn(arn);
  if (!parsed) throw invalidInput(`ARN ${arn} is not valid.`);
  const { owner, kind, name } = parsed;
  const mine = owner === account;
  switch (kind) {
    case 'user': {
      const user = mine ? (await tx.get<UserDoc>(account, KIND.user, nameKey(name)))?.doc : undefined;
      if (!user || user.Arn !== arn) throw noSuchUser(name);
      const policies = await ownedPolicies(tx, deps, account, 'user', user.UserName);
      for (const group of await groupsOf(tx, account, user.UserName)) policies.push(...(await ownedPolicies(tx, deps, account, 'group', group)));
      return { type: 'USER', arn, policies, candidates: [userInfo(user)] };
    }
    case 'role': {
      const role = mine ? (await tx.get<RoleDoc>(account, KIND.role, nameKey(name)))?.doc : undefined;
      if (!role || role.Arn !== arn) throw noSuchRole(name);
      return { type: 'ROLE', arn, policies: await ownedPolicies(tx, deps, account, 'role', role.RoleName), candidates: [roleInfo(role)] };
    }
    case 'group': {
      const group = mine ? (await tx.get<GroupDoc>(account, KIND.group, nameKey(name)))?.doc : undefined;
      if (!group || group.Arn !== arn) throw noSuchGroup(name);
      return { type: 'GROUP', arn, policies: await ownedPolicies(tx, deps, account, 'group', group.GroupName), candidates: await membersOf(tx, account, group.GroupName) };
    }
    default: {
      const view = mine || owner === 'aws' ? await findManagedPolicy(tx, deps, account, arn) : undefined;
      if (!view) throw policyNotFound(arn);
      const candidates = new Map<string, EntityInfo>();
      for (const { doc } of await tx.listByRef<AttachmentDoc>(account, KIND.attachment, view.Arn)) {
        if (doc.ownerKind === 'user') {
          const user = (await tx.get<UserDoc>(account, KIND.user, nameKey(doc.ownerName)))?.doc;
          if (user) candidates.set(user.UserId, userInfo(user));
        } else if (doc.ownerKind === 'role') {
          const role = (await tx.get<RoleDoc>(account, KIND.role, nameKey(doc.ownerName)))?.doc;
          if (role) candidates.set(role.RoleId, roleInfo(role));
        } else {
          for (const member of await membersOf(tx, account, doc.ownerName)) candidates.set(member.Id, member);
        }
      }
      const policy: GrantingPolicy = { PolicyName: view.PolicyName, PolicyType: 'MANAGED', PolicyArn: view.Arn, document: defaultDocument(view) };
      return { type: 'POLICY', arn, policies: [policy], candidates: [...candidates.values()] };
    }
  }
}

/**
 * The permissions policies of a user (its groups' included) or role, as Access Advisor weighs them —
 * for other analyses of the same data (Access Analyzer's unused permissions).
 */
export async function permissionsPoliciesOf(tx: Tx, deps: IamDeps, account: string, arn: string): Promise<GrantingPolicy[]> {
  return (await resolveTarget(tx, deps, account, arn)).policies;
}

// Small helpers every IAM operation file uses.

import type { AuthzCheck, CallContext, Operation } from '../../common/call.ts';
import type { ApiError } from '../../common/errors.ts';
import type { ContextValues } from '../../policy/types.ts';
import { UniqueViolation, type Tx } from '../../store/types.ts';
import { check, roleCheck, userCheck } from '../checks.ts';
import { requireGroup, requireRole, requireUser } from '../lookups.ts';
import { groupArn, KIND, nameKey, type GroupDoc, type OwnerKind, type RoleDoc } from '../model.ts';
import { assertModifiable, type RoleChange } from '../service-linked-roles/protection.ts';

export type Output = Record<string, unknown>;

export function defineOp<I, O extends Output | void = Output>(
  name: string,
  spec: Omit<Operation<I, O>, 'service' | 'name'>,
): Operation<I, O> {
  return { service: 'iam', name, ...spec };
}

export const nowIso = (ctx: CallContext): string => ctx.now.toISOString();

/** Inserts, turning the database's uniqueness refusal into AWS's EntityAlreadyExists. */
export async function insertNew<T>(tx: Tx, account: string, kind: string, key: string, doc: T, ref: string | null, exists: () => ApiError): Promise<void> {
  try {
    await tx.insert(account, kind, key, doc, ref);
  } catch (e) {
    if (e instanceof UniqueViolation) throw exists();
    throw e;
  }
}

export async function groupCheck(tx: Tx, ctx: CallContext, action: string, name: string, extra: ContextValues = {}): Promise<AuthzCheck> {
  const doc = (await tx.get<GroupDoc>(ctx.account, KIND.group, nameKey(name)))?.doc;
  return check(action, doc?.Arn ?? groupArn(ctx.account, '/', name), extra);
}

/** A user, group or role that owns inline policies and managed policy attachments. */
export interface OwnerSpec {
  kind: OwnerKind;
  /** `User`, `Group`, `Role`: as in operation names (`PutUserPolicy`). */
  label: 'User' | 'Group' | 'Role';
  /** The input member naming the owner. */
  nameMember: 'UserName' | 'GroupName' | 'RoleName';
  /** Loads the owner (AWS's NoSuchEntity when absent) and refuses changes AWS refuses. */
  require(tx: Tx, account: string, name: string, forChange: boolean): Promise<{ name: string; id: string }>;
  check(tx: Tx, ctx: CallContext, action: string, name: string, extra?: ContextValues): Promise<AuthzCheck>;
}

export const OWNERS: Record<OwnerKind, OwnerSpec> = {
  user: {
    kind: 'user',
    label: 'User',
    nameMember: 'UserName',
    async require(tx, account, name) {
      const { doc } = await requireUser(tx, account, name);
      return { name: doc.UserName, id: doc.UserId };
    },
    check: userCheck,
  },
  group: {
    kind: 'group',
    label: 'Group',
    nameMember: 'GroupName',
    async require(tx, account, name) {
      const { doc } = await requireGroup(tx, account, name);
      return { name: doc.GroupName, id: doc.GroupId };
    },
    check: groupCheck,
  },
  role: {
    kind: 'role',
    label: 'Role',
    nameMember: 'RoleName',
    async require(tx, account, name, forChange) {
      const { doc } = await requireRole(tx, account, name);
      if (forChange) requireCustomerRole(doc, 'permissions');
      return { name: doc.RoleName, id: doc.RoleId };
    },
    check: roleCheck,
  },
};

/** Service-linked roles change only through their service (and DeleteServiceLinkedRole): the rule is in service-linked-roles/protection.ts. */
export function requireCustomerRole(doc: RoleDoc, change: RoleChange): void {
  assertModifiable(doc, change);
}

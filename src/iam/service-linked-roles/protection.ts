// The one rule that keeps a service-linked role as its service made it. AWS lets a customer read such
// a role, edit its description and tag it; every other change — deleting it outside
// DeleteServiceLinkedRole, its trust policy, its permissions (inline, attached, boundary), its
// MaxSessionDuration, putting it into an instance profile — answers 400 UnmodifiableEntity.
// Every role operation that changes a role asks here before it does.

import { protectedRole, reservedServiceRolePath } from '../errors.ts';
import type { RoleDoc } from '../model.ts';

/** What an operation changes about a role. */
export type RoleChange =
  | 'delete'
  | 'trust-policy'
  /** Inline policies, managed policy attachments, the permissions boundary. */
  | 'permissions'
  | 'max-session-duration'
  | 'description'
  | 'tags'
  | 'instance-profile';

/**
 * AWS's documentation: "you can edit the description of a service-linked role" — and tags, which AWS
 * accepts on service-linked roles (TagRole / UntagRole; infrastructure tools tag them after creating them).
 */
const CHANGES_ALLOWED_ON_SERVICE_LINKED_ROLES: ReadonlySet<RoleChange> = new Set<RoleChange>(['description', 'tags']);

export const isServiceLinked = (role: Pick<RoleDoc, 'serviceLinked'>): boolean => role.serviceLinked !== undefined;

export const isModifiable = (role: Pick<RoleDoc, 'serviceLinked'>, change: RoleChange): boolean =>
  !isServiceLinked(role) || CHANGES_ALLOWED_ON_SERVICE_LINKED_ROLES.has(change);

/** Throws AWS's UnmodifiableEntity ("Cannot perform the operation on the protected role …") when `change` is refused. */
export function assertModifiable(role: Pick<RoleDoc, 'RoleName' | 'serviceLinked'>, change: RoleChange): void {
  if (!isModifiable(role, change)) throw protectedRole(role.RoleName);
}

/** AWS's own path: every service-linked role lives under `/aws-service-role/<service principal>/`. */
export const SERVICE_ROLE_PATH = '/aws-service-role/';

/**
 * Only CreateServiceLinkedRole makes roles under AWS's path: a customer role there could squat a
 * service's role name and make that service's own CreateServiceLinkedRole fail.
 */
export function assertCustomerRolePath(path: string | undefined): void {
  if (path?.startsWith(SERVICE_ROLE_PATH)) throw reservedServiceRolePath();
}

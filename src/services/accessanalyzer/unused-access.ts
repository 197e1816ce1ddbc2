// From last-use records to ACCOUNT_UNUSED_ACCESS findings: given what the account holds (roles,
// users' access keys and passwords, the services and actions each principal's policies allow) and when
// each was last used, the findings an unused-access analyzer reports, in ListFindingsV2's and
// GetFindingV2's shapes. Pure — iam-usage.ts reads the store and the last-accessed data and hands the
// records in; nothing here does I/O. Statuses (ARCHIVED) are the analyzer's, kept apart (finding-status.ts).

import { createHash } from 'node:crypto';
import type { Tx } from '../../store/types.ts';
import type { PrincipalPolicy } from './recommendation.ts';

export type UnusedFindingType = 'UnusedIAMRole' | 'UnusedIAMUserAccessKey' | 'UnusedIAMUserPassword' | 'UnusedPermission';

/** One credential or principal and its last use (undefined: never used). */
export interface CredentialUsage {
  type: 'role' | 'accessKey' | 'password';
  /** The role's or user's ARN. */
  principalArn: string;
  /** The access key id, for access keys. */
  accessKeyId?: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

/** A service a principal's permissions policies allow, with its last use and each allowed action's. */
export interface PermissionUsage {
  type: 'permission';
  /** The role's or user's ARN. */
  principalArn: string;
  /** When the principal was made: a permission never used counts from then. */
  createdAt: Date;
  serviceNamespace: string;
  lastUsedAt?: Date;
  /** Every action of the service the policies allow, with its last use (undefined: never). */
  actions: { action: string; lastUsedAt?: Date }[];
}

export type UsageRecord = CredentialUsage | PermissionUsage;

/** One unused action of an UnusedPermission finding. */
export interface UnusedAction {
  action: string;
  lastAccessed?: Date;
}

export interface UnusedFinding {
  /** Stable for one credential or one principal's service, so a finding keeps its id across analyses. */
  id: string;
  findingType: UnusedFindingType;
  resource: string;
  resourceType: 'AWS::IAM::Role' | 'AWS::IAM::User';
  resourceOwnerAccount: string;
  /** When it became a finding: the last use (or the creation) plus the analyzer's tracking period. */
  createdAt: Date;
  analyzedAt: Date;
  /** For FindingDetails: the last use, when there was one. */
  lastAccessed?: Date;
  accessKeyId?: string;
  /** UnusedPermission only. */
  serviceNamespace?: string;
  /** UnusedPermission only, when the service was used at all (per-action data exists). */
  actions?: UnusedAction[];
  /** UnusedPermission only: the allowed actions of the service used within the period (what a recommendation keeps). */
  usedActions?: string[];
}

/** Where an unused-access analyzer reads, in the request's transaction. */
export interface UnusedAccessData {
  /** The records of one account. */
  usage(account: string, tx: Tx): Promise<readonly UsageRecord[]>;
  /** A user's (its groups' included) or role's permissions policies allowing something in `namespace`. */
  policiesGranting(account: string, tx: Tx, principalArn: string, namespace: string): Promise<PrincipalPolicy[]>;
}

/** No records: no findings (reporting every role as never used would be false). */
export const NO_USAGE: UnusedAccessData = { usage: async () => [], policiesGranting: async () => [] };

/** A finding id that stays the same for one subject: a UUID-shaped digest of what it is about. */
function findingId(parts: string): string {
  const h = createHash('sha256').update(parts).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const FINDING_TYPE: Record<CredentialUsage['type'], UnusedFindingType> = {
  role: 'UnusedIAMRole',
  accessKey: 'UnusedIAMUserAccessKey',
  password: 'UnusedIAMUserPassword',
};

const DAY_MS = 86_400_000;

const resourceTypeOf = (arn: string): UnusedFinding['resourceType'] => (arn.split(':')[5]?.startsWith('role/') ? 'AWS::IAM::Role' : 'AWS::IAM::User');

/**
 * Findings for every record unused for `unusedAccessAge` days (AWS's analyzer setting, 1–365; 90 by
 * default) as of `now`. A never-used record counts from its creation, as AWS does, so a new role is
 * not reported before it could have been used for that long. A role that is unused as a whole is one
 * UnusedIAMRole finding, not also one per service it may use.
 */
export function unusedAccessFindings(records: readonly UsageRecord[], options: { now: Date; unusedAccessAge?: number }): UnusedFinding[] {
  const age = (options.unusedAccessAge ?? 90) * DAY_MS;
  const now = options.now.getTime();
  const stale = (since: Date) => now - since.getTime() >= age;
  const becameAt = (since: Date) => new Date(since.getTime() + age);
  const out: UnusedFinding[] = [];
  const base = (findingType: UnusedFindingType, arn: string, subject: string, since: Date) => ({
    id: findingId(`${findingType}:${arn}${subject}`),
    findingType,
    resource: arn,
    resourceType: resourceTypeOf(arn),
    resourceOwnerAccount: arn.split(':')[4],
    createdAt: becameAt(since),
    analyzedAt: options.now,
  });
  for (const r of records) {
    if (r.type === 'permission') continue;
    const since = r.lastUsedAt ?? r.createdAt;
    if (!stale(since)) continue;
    const finding: UnusedFinding = base(FINDING_TYPE[r.type], r.principalArn, r.accessKeyId ? `:${r.accessKeyId}` : '', since);
    if (r.lastUsedAt) finding.lastAccessed = r.lastUsedAt;
    if (r.accessKeyId) finding.accessKeyId = r.accessKeyId;
    out.push(finding);
  }
  const unusedRoles = new Set(out.filter((f) => f.findingType === 'UnusedIAMRole').map((f) => f.resource));
  for (const r of records) {
    if (r.type !== 'permission' || unusedRoles.has(r.principalArn)) continue;
    const finding = unusedPermission(r, stale);
    if (!finding) continue;
    out.push({ ...base('UnusedPermission', r.principalArn, `:${r.serviceNamespace}`, finding.since), ...finding.details });
  }
  return out.sort((a, b) => a.resource.localeCompare(b.resource) || a.findingType.localeCompare(b.findingType) || (a.serviceNamespace ?? '').localeCompare(b.serviceNamespace ?? '') || a.id.localeCompare(b.id));
}

/**
 * A service unused for the period is a finding as a whole; a service used within it is one when some
 * action it allows was not. Unused actions are listed whenever the service was ever used (iamd keeps
 * every action's last use); a service never used has no per-action data to list.
 */
type PermissionDetails = Pick<UnusedFinding, 'serviceNamespace' | 'lastAccessed' | 'actions' | 'usedActions'>;

function unusedPermission(r: PermissionUsage, stale: (since: Date) => boolean): { since: Date; details: PermissionDetails } | undefined {
  const serviceSince = r.lastUsedAt ?? r.createdAt;
  const usedActions = r.actions.filter((a) => !stale(a.lastUsedAt ?? r.createdAt) && a.lastUsedAt !== undefined).map((a) => a.action);
  const details: PermissionDetails = { serviceNamespace: r.serviceNamespace, usedActions };
  if (r.lastUsedAt) details.lastAccessed = r.lastUsedAt;
  const unused = r.actions.filter((a) => stale(a.lastUsedAt ?? r.createdAt));
  if (stale(serviceSince)) {
    if (r.lastUsedAt) details.actions = unused.map(view);
    return { since: serviceSince, details };
  }
  if (unused.length === 0) return undefined;
  details.actions = unused.map(view);
  // It became a finding when the first of its unused actions went stale.
  const since = new Date(Math.min(...unused.map((a) => (a.lastUsedAt ?? r.createdAt).getTime())));
  return { since, details };
}

const view = (a: { action: string; lastUsedAt?: Date }): UnusedAction => (a.lastUsedAt ? { action: a.action, lastAccessed: a.lastUsedAt } : { action: a.action });

/** GetFindingV2's details of a finding. */
export function findingDetailsV2(f: UnusedFinding): Record<string, unknown>[] {
  const lastAccessed = f.lastAccessed ? { lastAccessed: f.lastAccessed } : {};
  switch (f.findingType) {
    case 'UnusedIAMRole':
      return [{ unusedIamRoleDetails: lastAccessed }];
    case 'UnusedIAMUserAccessKey':
      return [{ unusedIamUserAccessKeyDetails: { accessKeyId: f.accessKeyId, ...lastAccessed } }];
    case 'UnusedIAMUserPassword':
      return [{ unusedIamUserPasswordDetails: lastAccessed }];
    case 'UnusedPermission':
      return [{ unusedPermissionDetails: { serviceNamespace: f.serviceNamespace, ...lastAccessed, ...(f.actions ? { actions: f.actions } : {}) } }];
  }
}

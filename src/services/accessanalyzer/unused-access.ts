// The seam between last-accessed data and ACCOUNT_UNUSED_ACCESS findings: given what the account
// holds (roles, users' access keys and passwords) and when each was last used, the findings an
// unused-access analyzer reports, in ListFindingsV2's shape. Pure — the caller reads the store and the
// last-accessed records (being built separately) and hands them in; nothing here does I/O.
//
// `UsageSource` is where those records come from. Until the last-accessed data is merged the server
// uses `NO_USAGE` (no records, so no findings): reporting every role as never used would be false.

import { createHash } from 'node:crypto';
import type { Tx } from '../../store/types.ts';

export type UnusedFindingType = 'UnusedIAMRole' | 'UnusedIAMUserAccessKey' | 'UnusedIAMUserPassword';

/** One credential or principal and its last use (undefined: never used). */
export interface UsageRecord {
  type: 'role' | 'accessKey' | 'password';
  /** The role's or user's ARN. */
  principalArn: string;
  /** The access key id, for access keys. */
  accessKeyId?: string;
  createdAt: Date;
  lastUsedAt?: Date;
}

export interface UnusedFinding {
  /** Stable for one credential, so a finding keeps its id across analyses. */
  id: string;
  findingType: UnusedFindingType;
  resource: string;
  resourceType: 'AWS::IAM::Role' | 'AWS::IAM::User';
  resourceOwnerAccount: string;
  status: 'ACTIVE';
  createdAt: Date;
  updatedAt: Date;
  analyzedAt: Date;
  /** For FindingDetails: the last use, when there was one. */
  lastAccessed?: Date;
  accessKeyId?: string;
}

/** The records of one account, read in the request's transaction. */
export type UsageSource = (account: string, tx: Tx) => Promise<readonly UsageRecord[]>;

export const NO_USAGE: UsageSource = async () => [];

/** A finding id that stays the same for one credential: a UUID-shaped digest of what it is about. */
function findingId(parts: string): string {
  const h = createHash('sha256').update(parts).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const FINDING_TYPE: Record<UsageRecord['type'], UnusedFindingType> = {
  role: 'UnusedIAMRole',
  accessKey: 'UnusedIAMUserAccessKey',
  password: 'UnusedIAMUserPassword',
};

const DAY_MS = 86_400_000;

/**
 * Findings for every record unused for `unusedAccessAge` days (AWS's analyzer setting, 1–365; 90 by
 * default) as of `now`. A never-used record counts from its creation, as AWS does, so a new role is
 * not reported before it could have been used for that long.
 */
export function unusedAccessFindings(records: readonly UsageRecord[], options: { now: Date; unusedAccessAge?: number }): UnusedFinding[] {
  const age = (options.unusedAccessAge ?? 90) * DAY_MS;
  const out: UnusedFinding[] = [];
  for (const r of records) {
    const since = r.lastUsedAt ?? r.createdAt;
    if (options.now.getTime() - since.getTime() < age) continue;
    const account = r.principalArn.split(':')[4];
    const findingType = FINDING_TYPE[r.type];
    const finding: UnusedFinding = {
      id: findingId(`${findingType}:${r.principalArn}${r.accessKeyId ? `:${r.accessKeyId}` : ''}`),
      findingType,
      resource: r.principalArn,
      resourceType: r.type === 'role' ? 'AWS::IAM::Role' : 'AWS::IAM::User',
      resourceOwnerAccount: account,
      status: 'ACTIVE',
      createdAt: options.now,
      updatedAt: options.now,
      analyzedAt: options.now,
    };
    if (r.lastUsedAt) finding.lastAccessed = r.lastUsedAt;
    if (r.accessKeyId) finding.accessKeyId = r.accessKeyId;
    out.push(finding);
  }
  return out.sort((a, b) => a.resource.localeCompare(b.resource) || a.findingType.localeCompare(b.findingType) || a.id.localeCompare(b.id));
}

/** ListFindingsV2's summary of a finding. */
export const findingSummaryV2 = (f: UnusedFinding) => ({
  analyzedAt: f.analyzedAt,
  createdAt: f.createdAt,
  id: f.id,
  resource: f.resource,
  resourceType: f.resourceType,
  resourceOwnerAccount: f.resourceOwnerAccount,
  status: f.status,
  updatedAt: f.updatedAt,
  findingType: f.findingType,
});

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
  }
}

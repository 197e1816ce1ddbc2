// The seam between last-accessed data and ACCOUNT_UNUSED_ACCESS findings: given what the account
// holds (roles, users' access keys and passwords) and when each was last used, the findings an
// unused-access analyzer reports, in ListFindingsV2's shape. Pure — the caller reads the store and the
// last-accessed records (being built separately) and hands them in; nothing here does I/O.

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
      id: `${findingType}:${r.principalArn}${r.accessKeyId ? `:${r.accessKeyId}` : ''}`,
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
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

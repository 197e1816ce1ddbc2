// The credential report's CSV, as AWS writes it: its columns in AWS's order, the `<root_account>` row
// first, dates as `YYYY-MM-DDTHH:MM:SS+00:00`, and AWS's words for what does not apply (`N/A`), what
// the root cannot have (`not_supported`) and what was never seen (`no_information`). Pure: the
// operation gathers the facts (ops/credential-report.ts), this writes them.

export const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed',
  'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;

export interface ReportKey {
  active: boolean;
  created: string;
  lastUsed?: { date: string; region: string; service: string };
}

export interface ReportPassword {
  lastChanged: string;
  lastUsed?: string;
  nextRotation?: Date;
}

export interface ReportRow {
  /** The user's name; undefined for the root. */
  user?: string;
  arn: string;
  created: string;
  /** Absent: no password (for the root: the password's facts are not_supported). */
  password?: ReportPassword;
  mfaActive: boolean;
  /** Oldest first; the report has room for two. */
  keys: ReportKey[];
  /** Signing certificates, oldest first; the report has room for two. */
  certificates: { active: boolean; uploaded: Date }[];
}

/** AWS's timestamp form: whole seconds, `+00:00` rather than `Z`. */
export const reportTime = (at: string | Date): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');

const bool = (b: boolean): string => (b ? 'true' : 'false');

function keyCells(key: ReportKey | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [bool(key.active), reportTime(key.created), used ? reportTime(used.date) : 'N/A', used?.region ?? 'N/A', used?.service ?? 'N/A'];
}

function certificateCells(cert: ReportRow['certificates'][number] | undefined): string[] {
  return cert ? [bool(cert.active), reportTime(cert.uploaded)] : ['false', 'N/A'];
}

function passwordCells(row: ReportRow): string[] {
  if (row.user === undefined) return ['not_supported', row.password?.lastUsed ? reportTime(row.password.lastUsed) : 'no_information', 'not_supported', 'not_supported'];
  const p = row.password;
  if (!p) return ['false', 'N/A', 'N/A', 'N/A'];
  return ['true', p.lastUsed ? reportTime(p.lastUsed) : 'no_information', reportTime(p.lastChanged), p.nextRotation ? reportTime(p.nextRotation) : 'N/A'];
}

/** RFC 4180: a cell with a comma, quote or line break is quoted (user names may hold commas). */
const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function credentialReportCsv(rows: readonly ReportRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    const cells = [
      row.user ?? '<root_account>',
      row.arn,
      reportTime(row.created),
      ...passwordCells(row),
      bool(row.mfaActive),
      ...keyCells(row.keys[0]),
      ...keyCells(row.keys[1]),
      ...certificateCells(row.certificates[0]),
      ...certificateCells(row.certificates[1]),
    ];
    lines.push(cells.map(cell).join(','));
  }
  return lines.join('\n');
}

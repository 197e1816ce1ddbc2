// requestParameters and responseElements as CloudTrail writes them: the API's members with their
// first letter lower-cased (`RoleName` → `roleName`, `AWSServiceName` → `aWSServiceName`, as CloudTrail
// shows them), dates as ISO 8601 text — and never a secret.
//
// Which members hold secrets is the models' word: every member whose shape a service model marks
// `sensitive` (SecretAccessKey, Password, OldPassword, NewPassword, PrivateKey, WebIdentityToken, …)
// is left out wherever it appears, in any service's call. The models leave a few secrets unmarked,
// and those are named below; test/audit/parameters.test.ts fails when a model brings a new member
// that looks like a secret and is neither marked nor named here nor known to be harmless.

import { sensitiveMemberNames } from '../protocol/index.ts';

/** Secrets the service models do not mark sensitive. */
const UNMARKED_SECRETS: ReadonlySet<string> = new Set([
  // STS credentials' token.
  'SessionToken',
  // ElastiCache's Redis AUTH token; ElastiCache's and MemoryDB's user passwords; Amazon MQ's LDAP
  // service account password. (MQ's broker users' `Password` is unmarked too, but IAM marks the name.)
  'AuthToken',
  'Passwords',
  'ServiceAccountPassword',
  // MFA one-time codes (STS TokenCode, IAM EnableMFADevice/ResyncMFADevice).
  'TokenCode',
  'AuthenticationCode1',
  'AuthenticationCode2',
]);

let secretNames: ReadonlySet<string> | undefined;

/** Whether a member of this name must never be recorded. */
export function isSecretMember(name: string): boolean {
  secretNames ??= new Set([...sensitiveMemberNames(), ...UNMARKED_SECRETS]);
  return secretNames.has(name);
}

const camel = (name: string): string => (name ? name[0].toLowerCase() + name.slice(1) : name);

function recordable(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  // A date the client sent out of range (year 300000) is recorded as it could be read: not at all.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map((v) => recordable(v) ?? null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretMember(k)) continue;
      const r = recordable(v);
      if (r !== undefined) out[camel(k)] = r;
    }
    return out;
  }
  return value;
}

/** The members of an input or output as CloudTrail records them; null when nothing is left. */
export function recordedMembers(value: unknown): Record<string, unknown> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out = recordable(value) as Record<string, unknown>;
  return Object.keys(out).length ? out : null;
}

// requestParameters and responseElements as CloudTrail writes them: the API's members with their
// first letter lower-cased (`RoleName` → `roleName`, `AWSServiceName` → `aWSServiceName`, as CloudTrail
// shows them), dates as ISO 8601 text — and never a secret. A member whose name says it holds one
// (secret access keys, session tokens, passwords, auth tokens, web identity tokens, private keys, MFA seeds) is left out
// wherever it appears, so neither CreateAccessKey's secret nor AssumeRole's credentials nor a broker
// user's password ever reaches the event log.

const SECRET_MEMBER = /secret|password|sessiontoken|authtoken|webidentitytoken|privatekey|base32stringseed|qrcodepng/i;

/** Whether a member of this name must never be recorded. */
export const isSecretMember = (name: string): boolean => SECRET_MEMBER.test(name);

const camel = (name: string): string => (name ? name[0].toLowerCase() + name.slice(1) : name);

function recordable(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
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

// What every way of assuming a role shares once it has been allowed: the session policies a caller
// passes (Policy, PolicyArns — their checks and packed size), and the issuing of the session itself:
// credentials, the stored session, the role's last use, and the Credentials and AssumedRoleUser members
// AssumeRole and AssumeRoleWithSAML answer with.

import type { CallContext, RoleSession } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { parsePolicy, policySize } from '../policy/parse.ts';
import type { Secrets } from '../secrets/index.ts';
import type { Tx } from '../store/types.ts';
import { newSessionCredentials, saveSession } from './sessions.ts';

const PACKED_POLICY_LIMIT = 2048;

export interface SessionPolicies {
  documents: { label: string; document: string }[];
  /** PackedPolicySize, when any session policy was passed. */
  packedPercent?: number;
}

export function isoSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export async function collectSessionPolicies(
  managedPolicyDocument: (tx: Tx, account: string, arn: string) => Promise<string | undefined>,
  tx: Tx,
  account: string,
  input: { Policy?: unknown; PolicyArns?: unknown },
): Promise<SessionPolicies> {
  const documents: { label: string; document: string }[] = [];
  let packed = 0;
  if (typeof input.Policy === 'string') {
    const parsed = parsePolicy(input.Policy, 'session');
    if (!parsed.ok) throw new ApiError('MalformedPolicyDocument', parsed.error.message, 400);
    packed += policySize(input.Policy, 'session');
    documents.push({ label: 'session policy', document: input.Policy });
  }
  for (const descriptor of (input.PolicyArns as { arn?: string }[] | undefined) ?? []) {
    const arn = descriptor.arn ?? '';
    const document = await managedPolicyDocument(tx, account, arn);
    if (document === undefined) throw new ApiError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`, 400);
    packed += arn.length;
    documents.push({ label: arn, document });
  }
  if (packed > PACKED_POLICY_LIMIT) {
    throw new ApiError('PackedPolicyTooLarge', 'Packed policy consumes 100% of allotted space, please use smaller policy.', 400);
  }
  if (documents.length === 0) return { documents };
  return { documents, packedPercent: Math.max(1, Math.round((packed / PACKED_POLICY_LIMIT) * 100)) };
}

export interface IssueDeps {
  secrets: Secrets;
  recordRoleUse(tx: Tx, account: string, roleName: string, when: Date, region: string): Promise<void>;
}

/** A role session, stored, with the members of the answer that describe it. */
export async function issueRoleSession(
  deps: IssueDeps,
  tx: Tx,
  ctx: CallContext,
  roleAccount: string,
  session: Omit<RoleSession, 'issuedAt' | 'expiresAt'>,
  durationSeconds: number,
): Promise<{ Credentials: Record<string, unknown>; AssumedRoleUser: Record<string, unknown> }> {
  const now = ctx.now.getTime();
  const credentials = newSessionCredentials();
  const role: RoleSession = { ...session, issuedAt: now, expiresAt: now + durationSeconds * 1000 };
  await saveSession(tx, deps.secrets, credentials.accessKeyId, {
    account: roleAccount,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    issuedAt: now,
    expiresAt: role.expiresAt,
    region: ctx.region,
    role,
  });
  await deps.recordRoleUse(tx, roleAccount, role.roleName, ctx.now, ctx.region);
  return {
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: isoSeconds(new Date(role.expiresAt)),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.roleId}:${role.sessionName}`,
      Arn: `arn:aws:sts::${roleAccount}:assumed-role/${role.roleName}/${role.sessionName}`,
    },
  };
}

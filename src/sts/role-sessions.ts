// What every AssumeRole* operation shares once it has decided who may assume the role: the role ARN's
// form, the session tags' rules, the session policies and their packed size, the duration limits, and
// the session itself — stored under its key id, answered with AWS's Credentials and AssumedRoleUser.

import type { CallContext, RoleSession } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { requestTagContext } from '../authz/tag-context.ts';
import { parsePolicy, policySize } from '../policy/parse.ts';
import type { ContextValues } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';
import type { Secrets } from '../secrets/index.ts';
import { credentialsOut, issueSession } from './sessions.ts';

/** What STS needs to know about a role; provided by the IAM module. */
export interface AssumableRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  AssumeRolePolicyDocument: string;
  MaxSessionDuration: number;
  Tags?: { Key: string; Value: string }[];
  serviceLinked?: { servicePrincipal: string };
}

/** The IAM look-ups a session needs, and the sealing of its secrets. */
export interface SessionDeps {
  /** Seals the sessions' secrets for the store. */
  secrets: Secrets;
  /** The document of a managed policy's default version, for `PolicyArns`. */
  managedPolicyDocument(tx: Tx, account: string, arn: string): Promise<string | undefined>;
  recordRoleUse(tx: Tx, account: string, roleName: string, when: Date, region: string): Promise<void>;
}

export type Tag = { Key: string; Value: string };
type Input = Record<string, unknown>;

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:(.*)\/)?([\w+=,.@-]+)$/;
export const ONE_HOUR = 3600;
const PACKED_POLICY_LIMIT = 2048;

/** The role's account and name, or AWS's ValidationError for an ARN that names no role. */
export function parseRoleArn(roleArn: string): { account: string; name: string } {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw new ApiError('ValidationError', `${roleArn} is invalid`, 400);
  return { account: match[1]!, name: match[3]! };
}

/**
 * For an unsigned AssumeRole* call: the account it acts on — the role's, when the ARN names a role iamd
 * holds (otherwise the call has no account to be recorded in).
 */
export async function accountOfHeldRole(
  tx: Tx,
  getRole: (tx: Tx, account: string, name: string) => Promise<AssumableRole | undefined>,
  roleArn: unknown,
): Promise<string | undefined> {
  const account = roleArnAccount(roleArn);
  if (account === undefined) return undefined;
  return (await getRole(tx, account, parseRoleArn(String(roleArn)).name)) ? account : undefined;
}

/** The account a role ARN names, when it is one; for unsigned calls, before anything else is known. */
export const roleArnAccount = (roleArn: unknown): string | undefined => (typeof roleArn === 'string' ? ROLE_ARN.exec(roleArn)?.[1] : undefined);

/** The request keys of an AssumeRole*: its session tags, source identity, external id and session name. */
export function assumeRoleContext(tags: Tag[], sourceIdentity?: string, externalId?: string, sessionName?: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  Object.assign(context, requestTagContext(tags));
  if (sourceIdentity !== undefined) context['sts:sourceidentity'] = sourceIdentity;
  if (externalId !== undefined) context['sts:externalid'] = externalId;
  if (sessionName !== undefined) context['sts:rolesessionname'] = sessionName;
  return context;
}

export function validateSessionTags(tags: Tag[], transitive: string[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const key = t.Key.toLowerCase();
    if (seen.has(key)) throw new ApiError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(key);
  }
  for (const key of transitive) {
    if (!seen.has(key.toLowerCase())) {
      throw new ApiError('InvalidParameterValue', 'The specified transitive tag key must be included in the requested tags.', 400);
    }
  }
}

/** A role chain cannot change a tag that an earlier session in the chain made transitive. */
export function rejectTransitiveOverride(tags: Tag[], inherited: Record<string, string>): void {
  const keys = new Set(Object.keys(inherited).map((k) => k.toLowerCase()));
  if (tags.some((t) => keys.has(t.Key.toLowerCase()))) {
    throw new ApiError(
      'InvalidParameterValue',
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      400,
    );
  }
}

/** The session policies a request passes (`Policy`, `PolicyArns`) and how much of the packed space they use. */
export async function collectSessionPolicies(
  deps: SessionDeps,
  tx: Tx,
  account: string,
  input: { Policy?: unknown; PolicyArns?: unknown },
): Promise<{ documents: { label: string; document: string }[]; packedPercent?: number }> {
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
    const document = await deps.managedPolicyDocument(tx, account, arn);
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

export interface SessionRequest {
  role: AssumableRole;
  roleAccount: string;
  sessionName: string;
  /** The operation's input: `DurationSeconds`, `Policy`, `PolicyArns`. */
  input: Input;
  /** Assumed by a role session (role chaining): at most one hour. */
  chained: boolean;
  tags: Tag[];
  transitiveKeys: string[];
  /** Transitive tags of the calling session, which pass on. */
  inherited: Record<string, string>;
  sourceIdentity?: string;
  /** Keys the session puts in the context of every request it signs (web identity: the provider, the token's claims). */
  context?: ContextValues;
  /** When the caller proved MFA (epoch ms), which the session carries on. */
  mfaAuthenticatedAt?: number;
}

/** Checks the duration, gathers the session policies, and stores and answers the session. */
export async function issueRoleSession(deps: SessionDeps, tx: Tx, ctx: CallContext, request: SessionRequest): Promise<Record<string, unknown>> {
  const { role, roleAccount, sessionName, input, tags, transitiveKeys, inherited } = request;
  const duration = (input.DurationSeconds as number | undefined) ?? ONE_HOUR;
  if (request.chained && duration > ONE_HOUR) {
    throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  if (duration > role.MaxSessionDuration) {
    throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }

  const sessionPolicies = await collectSessionPolicies(deps, tx, roleAccount, input);
  const now = ctx.now.getTime();
  // Role tags, then the calling session's transitive tags, then this request's tags.
  const sessionTags: Record<string, string> = {};
  for (const t of role.Tags ?? []) sessionTags[t.Key] = t.Value;
  Object.assign(sessionTags, inherited);
  for (const t of tags) sessionTags[t.Key] = t.Value;
  const transitiveTags: Record<string, string> = { ...inherited };
  for (const t of tags) if (transitiveKeys.some((k) => k.toLowerCase() === t.Key.toLowerCase())) transitiveTags[t.Key] = t.Value;
  const session: RoleSession = {
    roleArn: role.Arn,
    roleName: role.RoleName,
    roleId: role.RoleId,
    sessionName,
    issuedAt: now,
    expiresAt: now + duration * 1000,
    sessionPolicies: sessionPolicies.documents,
    sourceIdentity: request.sourceIdentity,
    tags: sessionTags,
    ...(Object.keys(transitiveTags).length > 0 ? { transitiveTags } : {}),
    ...(request.context ? { context: request.context } : {}),
  };
  const credentials = await issueSession(tx, deps.secrets, {
    account: roleAccount,
    issuedAt: now,
    expiresAt: session.expiresAt,
    region: ctx.region,
    role: session,
    ...(request.mfaAuthenticatedAt !== undefined ? { mfaAuthenticatedAt: request.mfaAuthenticatedAt } : {}),
  });
  await deps.recordRoleUse(tx, roleAccount, role.RoleName, ctx.now, ctx.region);
  return {
    Credentials: credentialsOut(credentials, session.expiresAt),
    AssumedRoleUser: {
      AssumedRoleId: `${role.RoleId}:${sessionName}`,
      Arn: `arn:aws:sts::${roleAccount}:assumed-role/${role.RoleName}/${sessionName}`,
    },
    PackedPolicySize: sessionPolicies.packedPercent,
    SourceIdentity: request.sourceIdentity,
  };
}

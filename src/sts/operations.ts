// STS: who am I, and temporary credentials. AssumeRole is where a role's trust policy is enforced:
// it is the role's resource-based policy for sts:AssumeRole, evaluated together with the caller's own
// identity policies by the same engine as every other call.

import type { CallContext, Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import { accessDeniedMessage } from '../authz/authorizer.ts';
import type { CompiledPolicy } from '../policy/types.ts';
import { compileStored } from '../authz/compile.ts';
import type { Tx } from '../store/types.ts';
import type { Secrets } from '../secrets/index.ts';
import { newSessionCredentials, saveSession } from './sessions.ts';
import { collectSessionPolicies, isoSeconds, issueRoleSession } from './issue.ts';
import { requestTagContext } from '../authz/tag-context.ts';

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

export interface StsDeps {
  authorizer: Authorizer;
  getRole(tx: Tx, account: string, name: string): Promise<AssumableRole | undefined>;
  /** The document of a managed policy's default version, for `PolicyArns`. */
  managedPolicyDocument(tx: Tx, account: string, arn: string): Promise<string | undefined>;
  recordRoleUse(tx: Tx, account: string, roleName: string, when: Date, region: string): Promise<void>;
  /** Seals the sessions' secrets for the store. */
  secrets: Secrets;
}

type Input = Record<string, unknown>;
type Tag = { Key: string; Value: string };

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:(.*)\/)?([\w+=,.@-]+)$/;
const ONE_HOUR = 3600;


export function stsOperations(deps: StsDeps): Operation[] {
  const getCallerIdentity: Operation = {
    service: 'sts',
    name: 'GetCallerIdentity',
    readOnly: true,
    // Always allowed, even under an explicit deny: AWS documents that no permission is needed.
    authorize: () => [],
    async handle(_input, ctx) {
      const { caller } = ctx;
      return { UserId: caller.userId, Account: caller.account, Arn: caller.principal.arn };
    },
  };

  const assumeRole: Operation<Input> = {
    service: 'sts',
    name: 'AssumeRole',
    // The checks depend on the role's trust policy, so AssumeRole authorizes inside handle().
    authorize: () => [],
    async handle(input, ctx, tx) {
      // AWS refuses before it looks at the role; root must act through an IAM user or role to assume one.
      if (ctx.caller.principal.kind === 'root') throw new ApiError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
      const roleArn = String(input.RoleArn);
      const match = ROLE_ARN.exec(roleArn);
      if (!match) throw new ApiError('ValidationError', `${roleArn} is invalid`, 400);
      const [, roleAccount, , roleName] = match;
      const sessionName = String(input.RoleSessionName);
      const tags = (input.Tags as Tag[] | undefined) ?? [];
      const transitiveKeys = (input.TransitiveTagKeys as string[] | undefined) ?? [];
      validateSessionTags(tags, transitiveKeys);
      const inherited = ctx.caller.session?.transitiveTags ?? {};
      rejectTransitiveOverride(tags, inherited);

      const role = await deps.getRole(tx, roleAccount, roleName);
      const check = {
        action: 'sts:AssumeRole',
        resource: roleArn,
        resourceAccount: roleAccount,
        context: assumeRoleContext(tags, input.SourceIdentity as string | undefined, input.ExternalId as string | undefined),
      };
      if (!role) {
        // AWS does not reveal whether the role exists: the caller simply may not assume it.
        throw new ApiError('AccessDenied', `User: ${ctx.caller.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      }
      const trust = compileStored(role.AssumeRolePolicyDocument, 'trust', `${role.Arn} trust policy`);
      await authorizeAssume(deps.authorizer, ctx, tx, check, trust, role);
      if (tags.length > 0) await authorizeAssume(deps.authorizer, ctx, tx, { ...check, action: 'sts:TagSession' }, trust, role);
      if (input.SourceIdentity !== undefined) {
        await authorizeAssume(deps.authorizer, ctx, tx, { ...check, action: 'sts:SetSourceIdentity' }, trust, role);
      }

      const chained = ctx.caller.session !== undefined;
      const duration = (input.DurationSeconds as number | undefined) ?? ONE_HOUR;
      if (chained && duration > ONE_HOUR) {
        throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
      }
      if (duration > role.MaxSessionDuration) {
        throw new ApiError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
      }

      const sessionPolicies = await collectSessionPolicies(deps.managedPolicyDocument, tx, ctx.account, input);
      // Role tags, then the calling session's transitive tags, then this request's tags.
      const sessionTags: Record<string, string> = {};
      for (const t of role.Tags ?? []) sessionTags[t.Key] = t.Value;
      Object.assign(sessionTags, inherited);
      for (const t of tags) sessionTags[t.Key] = t.Value;
      const transitiveTags: Record<string, string> = { ...inherited };
      for (const t of tags) if (transitiveKeys.some((k) => k.toLowerCase() === t.Key.toLowerCase())) transitiveTags[t.Key] = t.Value;
      const issued = await issueRoleSession(deps, tx, ctx, roleAccount, {
        roleArn: role.Arn,
        roleName: role.RoleName,
        roleId: role.RoleId,
        sessionName,
        sessionPolicies: sessionPolicies.documents,
        sourceIdentity: input.SourceIdentity as string | undefined,
        tags: sessionTags,
        ...(Object.keys(transitiveTags).length > 0 ? { transitiveTags } : {}),
      }, duration);
      return {
        ...issued,
        PackedPolicySize: sessionPolicies.packedPercent,
        SourceIdentity: input.SourceIdentity,
      };
    },
  };

  const getSessionToken: Operation<Input> = {
    service: 'sts',
    name: 'GetSessionToken',
    authorize: (_input, ctx) => {
      if (ctx.caller.session || ctx.caller.accessKeyId?.startsWith('ASIA')) {
        throw new ApiError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
      }
      return [];
    },
    async handle(input, ctx, tx) {
      const { caller } = ctx;
      const root = caller.principal.kind === 'root';
      const max = root ? ONE_HOUR : 129600;
      const duration = (input.DurationSeconds as number | undefined) ?? (root ? ONE_HOUR : 43200);
      if (duration > max) {
        throw new ApiError('ValidationError', `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${max}`, 400);
      }
      const now = ctx.now.getTime();
      const credentials = newSessionCredentials();
      await saveSession(tx, deps.secrets, credentials.accessKeyId, {
        account: caller.account,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        issuedAt: now,
        expiresAt: now + duration * 1000,
        region: ctx.region,
        owner: root ? { type: 'root' } : { type: 'user', name: caller.userName!, id: caller.userId },
      });
      return {
        Credentials: {
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
          Expiration: isoSeconds(new Date(now + duration * 1000)),
        },
      };
    },
  };

  return [getCallerIdentity, assumeRole, getSessionToken];
}

/**
 * The role's trust policy is its resource-based policy for sts:AssumeRole, evaluated with the caller's
 * own policies by the engine's rules for trust policies: a trust policy naming the caller grants by
 * itself within the account; one naming only the account delegates to the account, whose identity
 * policies must then allow; across accounts both must allow. A service-linked role is assumable only by
 * its service, through iamd's internal path — never with a client's credentials.
 */
async function authorizeAssume(
  authorizer: Authorizer,
  ctx: CallContext,
  tx: Tx,
  check: { action: string; resource: string; resourceAccount: string; context: Record<string, string | string[]> },
  trust: CompiledPolicy,
  role: AssumableRole,
): Promise<void> {
  const { caller } = ctx;
  const short = `User: ${caller.principal.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}`;
  if (role.serviceLinked) throw new ApiError('AccessDenied', short, 403);
  // Unlike other resource-based policies, a trust policy must always let the caller in (by name or
  // by account): identity policies alone never open a role.
  const explained = await authorizer.explain(check, ctx, tx, { resourcePolicy: trust });
  if (!explained) throw new Error('a trust policy is always evaluated, even for root');
  const trustLetsIn = explained.matched.some((t) => t.policyType === 'resource' && t.effect === 'Allow');
  if (!trustLetsIn) throw new ApiError('AccessDenied', short, 403);
  const result = explained;
  if (result.decision === 'Allow') return;
  // AWS names the trust policy only by its short message; the caller's own policies by the usual one.
  const message = result.deniedBy === 'resource' || result.deniedBy === undefined ? short : accessDeniedMessage(caller.principal.arn, check, result);
  throw new ApiError('AccessDenied', message, 403);
}

function assumeRoleContext(tags: Tag[], sourceIdentity?: string, externalId?: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  Object.assign(context, requestTagContext(tags));
  if (sourceIdentity !== undefined) context['sts:sourceidentity'] = sourceIdentity;
  if (externalId !== undefined) context['sts:externalid'] = externalId;
  return context;
}

function validateSessionTags(tags: Tag[], transitive: string[]): void {
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
function rejectTransitiveOverride(tags: Tag[], inherited: Record<string, string>): void {
  const keys = new Set(Object.keys(inherited).map((k) => k.toLowerCase()));
  if (tags.some((t) => keys.has(t.Key.toLowerCase()))) {
    throw new ApiError(
      'InvalidParameterValue',
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      400,
    );
  }
}

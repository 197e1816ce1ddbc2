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
import { credentialsOut, issueSession } from './sessions.ts';
import { mfaAuthentication, type MfaVerifier } from './mfa.ts';
import { longTermSessionDuration } from './durations.ts';
import { federationTokenOperation } from './federation-token.ts';
import {
  assumeRoleContext,
  issueRoleSession,
  parseRoleArn,
  rejectTransitiveOverride,
  validateSessionTags,
  type AssumableRole,
  type SessionDeps,
  type Tag,
} from './role-sessions.ts';
import { assumeRoleWithWebIdentity, type WebIdentityDeps } from './web-identity/operation.ts';

export type { AssumableRole } from './role-sessions.ts';

export interface StsDeps extends SessionDeps, WebIdentityDeps {
  authorizer: Authorizer;
  getRole(tx: Tx, account: string, name: string): Promise<AssumableRole | undefined>;
  /** Whether `code` is the current code of the caller's MFA device `serial` (spending it when it is). */
  verifyMfa: MfaVerifier['verifyMfa'];
}

type Input = Record<string, unknown>;

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
    async handle(input, callContext, tx) {
      let ctx = callContext;
      // AWS refuses before it looks at the role; root must act through an IAM user or role to assume one.
      if (ctx.caller.principal.kind === 'root') throw new ApiError('AccessDenied', 'Roles may not be assumed by root accounts.', 403);
      const roleArn = String(input.RoleArn);
      const { account: roleAccount, name: roleName } = parseRoleArn(roleArn);
      const sessionName = String(input.RoleSessionName);
      const tags = (input.Tags as Tag[] | undefined) ?? [];
      const transitiveKeys = (input.TransitiveTagKeys as string[] | undefined) ?? [];
      validateSessionTags(tags, transitiveKeys);
      const inherited = ctx.caller.session?.transitiveTags ?? {};
      rejectTransitiveOverride(tags, inherited);

      // A code proves the caller's MFA to the trust policy and to the session: verified before either.
      const mfaAt = await mfaAuthentication(deps, tx, ctx, input);
      if (mfaAt !== ctx.caller.mfaAuthenticatedAt) ctx = { ...ctx, caller: { ...ctx.caller, mfaAuthenticatedAt: mfaAt } };
      const role = await deps.getRole(tx, roleAccount, roleName);
      const check = {
        action: 'sts:AssumeRole',
        resource: roleArn,
        resourceAccount: roleAccount,
        context: assumeRoleContext(tags, input.SourceIdentity as string | undefined, input.ExternalId as string | undefined, sessionName),
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

      return issueRoleSession(deps, tx, ctx, {
        role,
        roleAccount,
        sessionName,
        input,
        chained: ctx.caller.session !== undefined,
        tags,
        transitiveKeys,
        inherited,
        sourceIdentity: input.SourceIdentity as string | undefined,
        ...(mfaAt !== undefined ? { mfaAuthenticatedAt: mfaAt } : {}),
      });
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
      const duration = longTermSessionDuration(input.DurationSeconds as number | undefined, root);
      const mfaAt = await mfaAuthentication(deps, tx, ctx, input);
      const now = ctx.now.getTime();
      const credentials = await issueSession(tx, deps.secrets, {
        ...(mfaAt !== undefined ? { mfaAuthenticatedAt: mfaAt } : {}),
        account: caller.account,
        issuedAt: now,
        expiresAt: now + duration * 1000,
        region: ctx.region,
        owner: root ? { type: 'root' } : { type: 'user', name: caller.userName!, id: caller.userId },
      });
      return {
        Credentials: credentialsOut(credentials, now + duration * 1000),
      };
    },
  };

  return [getCallerIdentity, assumeRole, getSessionToken, assumeRoleWithWebIdentity(deps), federationTokenOperation(deps)];
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

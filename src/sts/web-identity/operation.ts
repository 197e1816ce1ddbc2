// STS AssumeRoleWithWebIdentity: credentials for a role in exchange for a token of an OpenID Connect
// provider. The call is unsigned — there is no caller — so the role's trust policy alone decides, by
// the policy engine: it must name the provider as `Federated` and allow sts:AssumeRoleWithWebIdentity
// under the token's condition keys (and sts:TagSession / sts:SetSourceIdentity when the token carries
// session tags / a source identity). The token is verified before, outside the store's transaction,
// since its keys may have to be fetched from the provider (prepare), and the session is AssumeRole's.

import { defineOperation, type CallContext, type Operation } from '../../common/call.ts';
import { compileStored } from '../../authz/compile.ts';
import { explain } from '../../policy/index.ts';
import type { ContextValues } from '../../policy/types.ts';
import type { Tx } from '../../store/types.ts';
import {
  accountOfHeldRole,
  assumeRoleContext,
  issueRoleSession,
  parseRoleArn,
  validateSessionTags,
  type AssumableRole,
  type SessionDeps,
} from '../role-sessions.ts';
import { tokenSessionTags, tokenSourceIdentity, webIdentityKeys } from './claims.ts';
import { notAuthorized } from './errors.ts';
import type { IssuerKeys } from './issuer-keys.ts';
import { verifyWebIdentityToken, type OidcIssuer, type VerifiedToken } from './token.ts';

export interface WebIdentityDeps extends SessionDeps {
  getRole(tx: Tx, account: string, name: string): Promise<AssumableRole | undefined>;
  /** The OpenID Connect provider of `account` whose URL is the issuer `iss`. */
  oidcProviderForIssuer(tx: Tx, account: string, iss: string): Promise<OidcIssuer | undefined>;
  issuerKeys: IssuerKeys;
}

type Input = Record<string, unknown>;
const ACTION = 'sts:AssumeRoleWithWebIdentity';

const isoSecond = (now: Date): string => new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The keys of the request itself; there is no principal to describe. */
const requestKeys = (ctx: CallContext): ContextValues => ({
  'aws:currenttime': isoSecond(ctx.now),
  'aws:epochtime': String(Math.floor(ctx.now.getTime() / 1000)),
  'aws:sourceip': ctx.sourceIp,
  'aws:securetransport': ctx.secureTransport ? 'true' : 'false',
  'aws:requestedregion': ctx.region,
});

const lowerKeys = (context: Record<string, string | string[]>): ContextValues =>
  Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));

export function assumeRoleWithWebIdentity(deps: WebIdentityDeps): Operation {
  // The token verified by prepare(), for handle() of the same call.
  const verified = new WeakMap<CallContext, VerifiedToken>();

  return defineOperation<Input, Record<string, unknown>>('sts', 'AssumeRoleWithWebIdentity', {
    unsignedAccount: (input, tx) => accountOfHeldRole(tx, deps.getRole, input.RoleArn),

    async prepare(input, ctx, read) {
      const { account } = parseRoleArn(String(input.RoleArn));
      const token = await verifyWebIdentityToken(String(input.WebIdentityToken), {
        provider: (iss) => read((tx) => deps.oidcProviderForIssuer(tx, account, iss)),
        keys: deps.issuerKeys,
        now: ctx.now,
      });
      verified.set(ctx, token);
    },

    // The trust policy is the whole decision, taken in handle() once the role is read.
    authorize: () => [],

    async handle(input, ctx, tx) {
      const token = verified.get(ctx);
      if (!token) throw new Error('AssumeRoleWithWebIdentity ran without verifying its token first');
      const roleArn = String(input.RoleArn);
      const { account, name } = parseRoleArn(roleArn);
      const sessionName = String(input.RoleSessionName);
      const { tags, transitiveKeys } = tokenSessionTags(token);
      validateSessionTags(tags, transitiveKeys);
      const sourceIdentity = tokenSourceIdentity(token);

      const role = await deps.getRole(tx, account, name);
      // A missing role is refused like a role that does not trust the token; a service's role is its service's alone.
      if (!role || role.serviceLinked) throw notAuthorized(ACTION);
      const trust = compileStored(role.AssumeRolePolicyDocument, 'trust', `${role.Arn} trust policy`);
      const keys = webIdentityKeys(token);
      const context: ContextValues = {
        ...requestKeys(ctx),
        ...keys,
        ...lowerKeys(assumeRoleContext(tags, sourceIdentity, undefined, sessionName)),
        ...(transitiveKeys.length > 0 ? { 'sts:transitivetagkeys': transitiveKeys } : {}),
      };
      const actions = [ACTION, ...(tags.length > 0 ? ['sts:TagSession'] : []), ...(sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
      for (const action of actions) {
        const decision = explain(
          { identity: [], resource: trust },
          {
            principal: { kind: 'anonymous', arn: '*', federatedProvider: token.provider.arn },
            action,
            resource: role.Arn,
            resourceAccount: account,
            context,
          },
        );
        // Only a statement naming the provider lets a web identity in; `*` does not.
        if (decision.decision !== 'Allow' || decision.resourceGrant !== 'federated') throw notAuthorized(action);
      }

      const session = await issueRoleSession(deps, tx, ctx, {
        role,
        roleAccount: account,
        sessionName,
        input,
        chained: false,
        tags,
        transitiveKeys,
        inherited: {},
        sourceIdentity,
        context: keys,
      });
      return {
        ...session,
        SubjectFromWebIdentityToken: token.subject,
        Provider: token.provider.arn,
        Audience: token.audience,
      };
    },
  });
}

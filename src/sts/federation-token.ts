// GetFederationToken: a federated user's session, for a proxy that hands out credentials to its own
// users. Issued by an IAM user (or the root) with long-term keys; the federated user may do what both
// the issuer's policies and the session policies passed here allow — nothing without a session policy
// (the policy engine's rule for `federated-user` principals) — and calls no IAM operation and no STS
// operation but GetCallerIdentity (auth/session-token-scope.ts).

import { ApiError } from '../common/errors.ts';
import { defineOperation, type Operation } from '../common/call.ts';
import { requestTagContext } from '../authz/tag-context.ts';
import { collectSessionPolicies, validateSessionTags, type SessionDeps, type Tag } from './role-sessions.ts';
import { longTermSessionDuration } from './durations.ts';
import { credentialsOut, issueSession } from './sessions.ts';

interface FederationInput {
  Name: string;
  Policy?: string;
  PolicyArns?: { arn?: string }[];
  DurationSeconds?: number;
  Tags?: Tag[];
}

export function federationTokenOperation(deps: SessionDeps): Operation {
  return defineOperation<FederationInput>('sts', 'GetFederationToken', {
    authorize(input, ctx) {
      const { caller } = ctx;
      if (caller.session || caller.federation || caller.sessionToken || caller.accessKeyId?.startsWith('ASIA')) {
        throw new ApiError('AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
      }
      const arn = `arn:aws:sts::${ctx.account}:federated-user/${input.Name}`;
      const tags = input.Tags ?? [];
      const checks = [{ action: 'sts:GetFederationToken', resource: arn, context: requestTagContext(tags) }];
      if (tags.length > 0) checks.push({ action: 'sts:TagSession', resource: arn, context: requestTagContext(tags) });
      return checks;
    },
    async handle(input, ctx, tx) {
      const { caller } = ctx;
      const root = caller.principal.kind === 'root';
      const duration = longTermSessionDuration(input.DurationSeconds, root);
      const tags = input.Tags ?? [];
      validateSessionTags(tags, []);
      const policies = await collectSessionPolicies(deps, tx, ctx.account, input);
      const now = ctx.now.getTime();
      const credentials = await issueSession(tx, deps.secrets, {
        account: ctx.account,
        issuedAt: now,
        expiresAt: now + duration * 1000,
        region: ctx.region,
        federated: {
          name: input.Name,
          issuer: root ? { type: 'root' } : { type: 'user', name: caller.userName!, id: caller.userId },
          sessionPolicies: policies.documents,
          tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value])),
        },
      });
      return {
        Credentials: credentialsOut(credentials, now + duration * 1000),
        FederatedUser: { FederatedUserId: `${ctx.account}:${input.Name}`, Arn: `arn:aws:sts::${ctx.account}:federated-user/${input.Name}` },
        PackedPolicySize: policies.packedPercent,
      };
    },
  });
}

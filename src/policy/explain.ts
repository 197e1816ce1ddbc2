// explain(): the same decision as evaluate(), reached by looking at every statement of every policy
// and saying for each whether it applied and, if not, the first reason why. Shaped for a policy
// simulator (SimulatePrincipalPolicy's EvalDecision, MatchedStatements, MissingContextValues,
// PermissionsBoundaryDecisionDetail) and for a console that shows a policy with its statements lit.

import { asCompiled, type CompiledPolicyDocument } from './compile.ts';
import { decide, type Findings } from './decide.ts';
import { GRANT_STRENGTH } from './evaluate.ts';
import { matchStatement, PreparedRequest, type StatementMatch } from './match.ts';
import type { PrincipalGrant } from './principal.ts';
import type {
  AuthzRequest,
  DenyingPolicyType,
  EvaluationResult,
  Explanation,
  PolicySet,
  StatementTrace,
} from './types.ts';

/** What one kind of policy said: an applicable Deny, an applicable Allow, or nothing. */
export type PolicyTypeVerdict = 'deny' | 'allow' | 'silent';

export interface DetailedExplanation extends Explanation {
  action: string;
  resource: string;
  principal: string;
  /** Per kind of policy present in the set, what it said (a simulator's per-type decision detail). */
  verdicts: Partial<Record<DenyingPolicyType, PolicyTypeVerdict>>;
  /** For a resource-based grant: what its Principal named (`user`, `session`, `role`, `account`, …). */
  resourceGrant?: PrincipalGrant;
  /**
   * Condition keys that statements matching the action and resource use but the request does not
   * carry, as the policies write them (SimulatePrincipalPolicy's MissingContextValues).
   */
  missingContextKeys: string[];
}

const POLICY_TYPE_NAME: Record<DenyingPolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};

export function explain(set: PolicySet, request: AuthzRequest): DetailedExplanation {
  const prepared = new PreparedRequest(request);
  const hasBoundary = set.boundary !== undefined;
  const match: StatementMatch = { applies: false, grant: undefined, miss: undefined };
  const matched: StatementTrace[] = [];
  const unmatched: StatementTrace[] = [];
  const missing = new Map<string, string>();
  const verdicts: Partial<Record<DenyingPolicyType, PolicyTypeVerdict>> = {};
  let resourceGrant: PrincipalGrant | undefined;

  const visit = (type: DenyingPolicyType, policy: CompiledPolicyDocument): void => {
    let verdict: PolicyTypeVerdict = verdicts[type] ?? 'silent';
    for (const statement of policy.statements) {
      matchStatement(statement, prepared, hasBoundary, true, match);
      const source = statement.statement;
      const trace: StatementTrace = {
        policyType: type,
        policy: policy.label,
        statementIndex: source.index,
        ...(source.sid !== undefined ? { sid: source.sid } : {}),
        effect: statement.effect,
        matched: match.applies,
        ...(match.miss ? { miss: match.miss } : {}),
      };
      (match.applies ? matched : unmatched).push(trace);
      if (match.applies) {
        if (statement.effect === 'Deny') verdict = 'deny';
        else if (verdict !== 'deny') verdict = 'allow';
        const grant = match.grant;
        if (statement.effect === 'Allow' && type === 'resource' && grant !== undefined) {
          if (resourceGrant === undefined || GRANT_STRENGTH[grant] > GRANT_STRENGTH[resourceGrant]) resourceGrant = grant;
        }
      }
      // Keys a simulator should ask for: those of statements that reach their conditions.
      if (match.applies || match.miss?.kind === 'condition' || match.miss?.kind === 'principal') {
        for (const condition of statement.conditions) {
          if (condition.actual(prepared.context) === null && !missing.has(condition.keyLower)) {
            missing.set(condition.keyLower, condition.clause.key);
          }
        }
      }
    }
    verdicts[type] = verdict;
  };

  for (const policy of set.identity) visit('identity', asCompiled(policy));
  if (set.identity.length === 0) verdicts.identity = 'silent';
  if (set.resource) visit('resource', asCompiled(set.resource));
  if (set.boundary) visit('boundary', asCompiled(set.boundary));
  if (set.session && set.session.length > 0) for (const policy of set.session) visit('session', asCompiled(policy));

  const order: DenyingPolicyType[] = ['identity', 'resource', 'boundary', 'session'];
  const findings: Findings = {
    deniedBy: order.find((t) => verdicts[t] === 'deny'),
    identityAllows: verdicts.identity === 'allow',
    resourceGrant,
    boundaryAllows: set.boundary ? verdicts.boundary === 'allow' : undefined,
    sessionAllows: set.session && set.session.length > 0 ? verdicts.session === 'allow' : undefined,
  };
  const result = decide(findings, request.principal, prepared.resourceAccount, set.resource?.parsed.kind);

  return {
    ...result,
    matched,
    unmatched,
    summary: summarize(result, request, matched),
    action: request.action,
    resource: request.resource,
    principal: request.principal.arn,
    verdicts,
    ...(resourceGrant !== undefined ? { resourceGrant } : {}),
    missingContextKeys: [...missing.values()],
  };
}

function summarize(result: EvaluationResult, request: AuthzRequest, matched: StatementTrace[]): string {
  const { action, resource } = request;
  const where = (t: StatementTrace) => `${t.policy} ${t.sid !== undefined ? `(${t.sid})` : `statement ${t.statementIndex}`}`;
  if (result.decision === 'Allow') {
    const grant = matched.find((t) => t.effect === 'Allow');
    const by = grant ? ` by ${POLICY_TYPE_NAME[grant.policyType]} ${where(grant)}` : ' (account root)';
    return `Allowed: ${action} on ${resource}${by}`;
  }
  const type = result.deniedBy ?? 'identity';
  if (result.decision === 'ExplicitDeny') {
    const deny = matched.find((t) => t.effect === 'Deny' && t.policyType === type);
    return `Denied: explicit deny in ${POLICY_TYPE_NAME[type] === POLICY_TYPE_NAME.identity ? 'an' : 'a'} ${POLICY_TYPE_NAME[type]}${deny ? ` — ${where(deny)}` : ''} for ${action} on ${resource}`;
  }
  return `Denied: no ${POLICY_TYPE_NAME[type]} allows ${action} on ${resource}`;
}

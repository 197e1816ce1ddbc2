// AWS's policy evaluation logic, given what each kind of policy said about the request.
// (IAM User Guide: "Policy evaluation logic", "Cross-account policy evaluation logic",
// "Permissions boundaries for IAM entities", "Session policies".)
//
// 1. An explicit Deny in any policy denies. When several kinds deny, the one named is the first of
//    identity, resource, boundary, session.
// 2. Same account — the identity side or the resource-based policy must allow:
//    - identity side: an identity-based Allow, within the permissions boundary (if any) and the
//      session policies (if any); an STS federated-user session with no session policy has none.
//    - resource-based policy: an Allow naming the IAM user or the session itself grants outright;
//      one naming the role, the account or everyone is still limited by the boundary and the
//      session policies. In a role trust policy an account or `*` grant only delegates to the
//      account: the identity side must allow as well.
// 3. Cross-account — the identity side and the resource-based policy must both allow.
// 4. The account root has every permission in its own account and no boundary or session limits;
//    service principals and anonymous callers are allowed only by a resource-based policy.

import type { PrincipalGrant } from './principal.ts';
import type { DenyingPolicyType, EvaluationResult, PolicyKind, RequestPrincipal } from './types.ts';

/** What the policies of a set said about one request. */
export interface Findings {
  /** The first policy type (identity, resource, boundary, session) with an applicable Deny. */
  deniedBy: DenyingPolicyType | undefined;
  identityAllows: boolean;
  /** The most specific principal an applicable resource-based Allow named. */
  resourceGrant: PrincipalGrant | undefined;
  /** `undefined` when the set has no boundary. */
  boundaryAllows: boolean | undefined;
  /** `undefined` when the set has no session policies. */
  sessionAllows: boolean | undefined;
}

export const ALLOW: EvaluationResult = Object.freeze({ decision: 'Allow' });
const EXPLICIT: Record<DenyingPolicyType, EvaluationResult> = {
  identity: Object.freeze({ decision: 'ExplicitDeny', deniedBy: 'identity' }),
  resource: Object.freeze({ decision: 'ExplicitDeny', deniedBy: 'resource' }),
  boundary: Object.freeze({ decision: 'ExplicitDeny', deniedBy: 'boundary' }),
  session: Object.freeze({ decision: 'ExplicitDeny', deniedBy: 'session' }),
};
const IMPLICIT: Record<DenyingPolicyType, EvaluationResult> = {
  identity: Object.freeze({ decision: 'ImplicitDeny', deniedBy: 'identity' }),
  resource: Object.freeze({ decision: 'ImplicitDeny', deniedBy: 'resource' }),
  boundary: Object.freeze({ decision: 'ImplicitDeny', deniedBy: 'boundary' }),
  session: Object.freeze({ decision: 'ImplicitDeny', deniedBy: 'session' }),
};

export function explicitDeny(type: DenyingPolicyType): EvaluationResult {
  return EXPLICIT[type];
}

export function decide(
  findings: Findings,
  principal: RequestPrincipal,
  resourceAccount: string | undefined,
  resourceKind: PolicyKind | undefined,
): EvaluationResult {
  if (findings.deniedBy !== undefined) return EXPLICIT[findings.deniedBy];
  const grant = findings.resourceGrant;

  if (principal.kind === 'service' || principal.kind === 'anonymous') {
    return grant !== undefined ? ALLOW : IMPLICIT.resource;
  }

  const sameAccount = principal.account !== undefined && principal.account === resourceAccount;
  const isRoot = principal.kind === 'root';
  const { boundaryAllows, sessionAllows } = findings;
  // Where the limits on identity-based grants fail, if they do; root has none.
  const limitedBy: DenyingPolicyType | undefined = isRoot
    ? undefined
    : boundaryAllows === false
      ? 'boundary'
      : sessionAllows === false || (sessionAllows === undefined && principal.kind === 'federated-user')
        ? 'session'
        : undefined;
  const identityAllows = isRoot ? true : findings.identityAllows;
  const identitySide: DenyingPolicyType | undefined = !identityAllows ? 'identity' : limitedBy;

  if (!sameAccount) {
    if (identitySide !== undefined) return IMPLICIT[identitySide];
    return grant !== undefined ? ALLOW : IMPLICIT.resource;
  }

  if (identitySide === undefined) return ALLOW;
  if (grant !== undefined) {
    if (grant === 'user' || grant === 'session') return ALLOW;
    const delegatesOnly = resourceKind === 'trust' && (grant === 'account' || grant === 'wildcard');
    if (!delegatesOnly) {
      const resourceLimit = isRoot ? undefined : sessionLimit(boundaryAllows, sessionAllows);
      if (resourceLimit === undefined) return ALLOW;
      if (identityAllows) return IMPLICIT[identitySide];
      return IMPLICIT[resourceLimit];
    }
  }
  return IMPLICIT[identitySide];
}

/** The limits a role, account or `*` grant of a resource-based policy stays within. */
function sessionLimit(
  boundaryAllows: boolean | undefined,
  sessionAllows: boolean | undefined,
): DenyingPolicyType | undefined {
  if (boundaryAllows === false) return 'boundary';
  if (sessionAllows === false) return 'session';
  return undefined;
}

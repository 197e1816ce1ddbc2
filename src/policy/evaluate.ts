// evaluate(): the hot path. Each policy is scanned only over the statements that can match the
// action's service; the scan stops at the first applicable Deny (nothing can undo it). One
// PreparedRequest and one reused match record per call; no strings are built.

import { asCompiled, type CompiledPolicyDocument, type CompiledStatement } from './compile.ts';
import { decide, explicitDeny, type Findings } from './decide.ts';
import type { PrincipalGrant } from './principal.ts';
import { matchStatement, PreparedRequest, type StatementMatch } from './match.ts';
import type { AuthzRequest, EvaluationResult, PolicySet } from './types.ts';

/** Grants ordered by how many implicit denies they override (see decide.ts). */
export const GRANT_STRENGTH: Record<PrincipalGrant, number> = {
  wildcard: 1,
  account: 1,
  service: 2,
  federated: 2,
  role: 2,
  user: 3,
  session: 3,
};

const DENIED = -1;
const SILENT = 0;
const ALLOWED = 1;

interface Scan {
  readonly request: PreparedRequest;
  readonly hasBoundary: boolean;
  readonly match: StatementMatch;
  /** The strongest resource grant seen by the last scan of a resource-based policy. */
  grant: PrincipalGrant | undefined;
}

export function evaluate(set: PolicySet, request: AuthzRequest): EvaluationResult {
  const scan: Scan = {
    request: new PreparedRequest(request),
    hasBoundary: set.boundary !== undefined,
    match: { applies: false, grant: undefined, miss: undefined },
    grant: undefined,
  };

  let identityAllows = false;
  for (const policy of set.identity) {
    const outcome = scanPolicy(asCompiled(policy), scan);
    if (outcome === DENIED) return explicitDeny('identity');
    if (outcome === ALLOWED) identityAllows = true;
  }

  let resourceGrant: PrincipalGrant | undefined;
  if (set.resource) {
    if (scanPolicy(asCompiled(set.resource), scan) === DENIED) return explicitDeny('resource');
    resourceGrant = scan.grant;
  }

  let boundaryAllows: boolean | undefined;
  if (set.boundary) {
    const outcome = scanPolicy(asCompiled(set.boundary), scan);
    if (outcome === DENIED) return explicitDeny('boundary');
    boundaryAllows = outcome === ALLOWED;
  }

  let sessionAllows: boolean | undefined;
  if (set.session && set.session.length > 0) {
    sessionAllows = false;
    for (const policy of set.session) {
      const outcome = scanPolicy(asCompiled(policy), scan);
      if (outcome === DENIED) return explicitDeny('session');
      if (outcome === ALLOWED) sessionAllows = true;
    }
  }

  const findings: Findings = { deniedBy: undefined, identityAllows, resourceGrant, boundaryAllows, sessionAllows };
  return decide(findings, request.principal, scan.request.resourceAccount, set.resource?.parsed.kind);
}

/** DENIED on an applicable Deny, else ALLOWED when an Allow applies, else SILENT. */
function scanPolicy(policy: CompiledPolicyDocument, scan: Scan): number {
  scan.grant = undefined;
  let outcome = scanStatements(policy.statementsFor(scan.request.service), scan);
  if (outcome === DENIED) return DENIED;
  const rest = scanStatements(policy.anyService, scan);
  if (rest === DENIED) return DENIED;
  return outcome === ALLOWED || rest === ALLOWED ? ALLOWED : SILENT;
}

function scanStatements(statements: readonly CompiledStatement[], scan: Scan): number {
  let outcome = SILENT;
  const match = scan.match;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    matchStatement(statement, scan.request, scan.hasBoundary, false, match);
    if (!match.applies) continue;
    if (statement.effect === 'Deny') return DENIED;
    outcome = ALLOWED;
    const grant = match.grant;
    if (grant !== undefined && (scan.grant === undefined || GRANT_STRENGTH[grant] > GRANT_STRENGTH[scan.grant])) {
      scan.grant = grant;
    }
  }
  return outcome;
}

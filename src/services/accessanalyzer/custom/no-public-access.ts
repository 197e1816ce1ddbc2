// CheckNoPublicAccess: could the resource policy let anyone in — any account, or anyone holding a
// token of a public identity provider? An Allow statement is public when its principal is `*` (or an
// AWS principal with a wildcard, or NotPrincipal) and no condition pins the caller to known accounts,
// organizations, ARNs or networks; or when it trusts a web identity provider without pinning the
// token's subject (Cognito: its identity pool). Deny statements are not credited. What is not
// recognised as pinning answers FAIL.

import { reasonFor, type Statement } from './statements.ts';
import type { CheckResult } from './no-new-access.ts';

/**
 * Keys whose values belong to one account or organization, so that comparing them with literal
 * values ties a request to known callers. Names that any account can have (`aws:username`) and
 * shared secrets (`sts:ExternalId`) do not.
 */
const PINNING_KEYS = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceaccount',
  'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourceowner', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:userid',
]);
const EQUALITY = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'ArnEquals', 'StringLike', 'ArnLike']);

/**
 * Whether a clause that must hold (no IfExists, no set qualifier) compares a pinning key with values
 * that are literal — no wildcard, no variable — so it admits only the callers those values name.
 */
function pinned(s: Statement, keyPinned: (key: string) => boolean): boolean {
  return s.conditions.some(
    (c) =>
      !c.ifExists &&
      c.qualifier === undefined &&
      EQUALITY.has(c.base) &&
      keyPinned(c.key.toLowerCase()) &&
      c.values.length > 0 &&
      c.values.every((v) => !/[*?]/.test(v) && !v.includes('${')),
  );
}

function isPublicStatement(s: Statement): boolean {
  if (s.notPrincipal) return !pinned(s, (k) => PINNING_KEYS.has(k));
  const p = s.principal;
  if (p === undefined) return false;
  const aws = p === '*' ? ['*'] : (p.AWS ?? []);
  if (aws.some((a) => a.includes('*') || a.includes('?')) && !pinned(s, (k) => PINNING_KEYS.has(k))) return true;
  const federated = p === '*' ? [] : (p.Federated ?? []);
  for (const f of federated) {
    // A SAML provider lives in one account and is trusted only for its assertions.
    if (/^arn:[^:]+:iam::\d{12}:saml-provider\//.test(f)) continue;
    // Anyone can hold a token of a public provider: Cognito's is pinned by its identity pool (`aud`),
    // any other provider's only by the subject (`sub`) — its audience is often the same for everyone.
    const host = f.replace(/^arn:[^:]+:iam::\d{12}:oidc-provider\//, '').toLowerCase();
    const pin = host === 'cognito-identity.amazonaws.com' ? `${host}:aud` : `${host}:sub`;
    if (!pinned(s, (k) => k === pin)) return true;
  }
  return false;
}

export function checkNoPublicAccess(statements: Statement[]): CheckResult {
  const reasons = statements
    .filter((s) => s.effect === 'Allow' && isPublicStatement(s))
    .map((s) => reasonFor(`Public access granted in the following statement with index: ${s.index}.`, s));
  return reasons.length
    ? { result: 'FAIL', message: 'The resource policy grants public access for the given resource type.', reasons }
    : { result: 'PASS', message: 'The resource policy does not grant public access for the given resource type.', reasons };
}

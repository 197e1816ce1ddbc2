// CheckNoPublicAccess: could the resource policy let anyone in — any account, or anyone holding a
// token of a public identity provider? An Allow statement is public when its principal is `*` (or an
// AWS principal with a wildcard, or NotPrincipal) and no condition pins the caller to known accounts,
// organizations, ARNs or networks; or when it trusts a web identity provider without pinning the
// token's audience or subject. Deny statements are not credited. What is not recognised as pinning
// answers FAIL.

import { reasonFor, type Statement } from './statements.ts';
import type { CheckResult } from './no-new-access.ts';

/** Keys that, compared for equality with literal values, tie a request to known callers. */
const PINNING_KEYS = new Set([
  'aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceaccount',
  'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourceowner', 'aws:sourcevpc', 'aws:sourcevpce',
  'aws:userid', 'aws:username', 'sts:externalid',
]);
const EQUALITY = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'ArnEquals', 'StringLike', 'ArnLike']);

function pinned(s: Statement, keyPinned: (key: string) => boolean): boolean {
  return s.conditions.some(
    (c) =>
      !c.ifExists &&
      c.qualifier !== 'ForAllValues' &&
      EQUALITY.has(c.base) &&
      keyPinned(c.key.toLowerCase()) &&
      c.values.length > 0 &&
      c.values.every((v) => v !== '*' && !/^[*?]+$/.test(v) && !v.includes('${')),
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
    const host = f.replace(/^arn:[^:]+:iam::\d{12}:oidc-provider\//, '').toLowerCase();
    if (!pinned(s, (k) => k === `${host}:aud` || k === `${host}:sub` || k === `${host}:amr`)) return true;
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

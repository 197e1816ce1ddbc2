// CheckAccessNotGranted: may the policy allow any of the listed actions (on the listed resources,
// or on any resource when none are listed)? An Allow statement counts as granting unless it provably
// cannot: none of its action patterns matches a listed action (or its NotAction excludes them all),
// or none of its resources can be a listed one. Conditions and Deny statements are not credited —
// they might not apply — so a PASS holds for every request, whatever its context.

import { compileGlob } from '../../../policy/glob.ts';
import { mayOverlap } from './patterns.ts';
import { reasonFor, type Statement } from './statements.ts';
import type { CheckResult } from './no-new-access.ts';

export interface AccessItem {
  actions?: string[];
  resources?: string[];
}

const actionGlob = (p: string) => compileGlob(p.toLowerCase(), { wildcards: true, variables: false, ignoreCase: true });

/** Whether the statement may apply to `action` (a listed action: literal, or a pattern). */
function mayMatchAction(s: Statement, action: string): boolean {
  const a = action.toLowerCase();
  const literal = !/[*?]/.test(a);
  if (s.action) return s.action.some((p) => (literal ? actionGlob(p).test(a, null) : mayOverlap(p, a, true)));
  if (s.notAction) return !(literal && s.notAction.some((p) => actionGlob(p).test(a, null)));
  return false;
}

function mayMatchResource(s: Statement, resource: string): boolean {
  if (s.resource) return s.resource.some((p) => mayOverlap(p, resource, false));
  if (s.notResource) {
    // Excluded only when a NotResource pattern surely covers the listed resource.
    return !s.notResource.some((p) => !p.includes('${') && !/[*?]/.test(resource) && compileGlob(p, { wildcards: true, variables: false, arn: 'resource' }).test(resource, null));
  }
  return true;
}

export function checkAccessNotGranted(statements: Statement[], access: AccessItem[]): CheckResult {
  const reasons = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const grants = access.some((item) => {
      const actionsOk = item.actions?.length ? item.actions.some((a) => mayMatchAction(s, a)) : true;
      const resourcesOk = item.resources?.length ? item.resources.some((r) => mayMatchResource(s, r)) : true;
      return actionsOk && resourcesOk;
    });
    if (grants) reasons.push(reasonFor(`One or more of the listed actions or resources in the statement with index: ${s.index}.`, s));
  }
  return reasons.length
    ? { result: 'FAIL', message: 'The policy document grants access to perform one or more of the listed actions or resources.', reasons }
    : { result: 'PASS', message: 'The policy document does not grant access to perform the listed actions or resources.', reasons };
}

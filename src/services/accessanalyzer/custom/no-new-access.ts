// CheckNoNewAccess: does the new policy allow any request the existing one does not? A PASS is a
// proof over every request: every Allow statement of the new policy (each of its action × resource
// pieces) is contained in an Allow statement of the existing one (actions, resources, principals: each pattern within one of the
// other's; conditions: the new statement carries every clause of the old, so it holds only where the
// old one does), and every Deny statement of the existing policy is contained in a Deny statement of
// the new one (it still refuses all it refused). Then a request the new policy allows is matched by
// an old Allow and by no old Deny — allowed before. Whatever this cannot prove answers FAIL, naming
// the statements it could not place.

import { globContains, resourceContains } from './patterns.ts';
import { clauseHasVariable, clauseImplies, principalSet, reasonFor, type Reason, type Statement } from './statements.ts';

export interface CheckResult {
  result: 'PASS' | 'FAIL';
  message: string;
  reasons: Reason[];
}

/** Whether `inner`'s patterns are each within one of `outer`'s; for Not… elements the other way round. */
function elementContains(
  outer: { yes?: string[]; not?: string[] },
  inner: { yes?: string[]; not?: string[] },
  contains: (o: string, i: string) => boolean,
): boolean {
  if (outer.yes && inner.yes) return inner.yes.every((i) => outer.yes!.some((o) => contains(o, i)));
  if (outer.not && inner.not) return outer.not.every((o) => inner.not!.some((i) => contains(i, o)));
  // Everything outside `inner.not` lies within `outer.yes` only when outer names everything.
  if (outer.yes && inner.not) return outer.yes.some((o) => contains(o, '*'));
  // Within `inner.yes` but outside all of `outer.not` would need disjointness, which is not proved.
  return false;
}

function principalContains(outer: Statement, inner: Statement): boolean {
  if (outer.notPrincipal || inner.notPrincipal) {
    return JSON.stringify(outer.notPrincipal) === JSON.stringify(inner.notPrincipal) && outer.principal === undefined && inner.principal === undefined;
  }
  const o = principalSet(outer.principal);
  const i = principalSet(inner.principal);
  if (o === undefined || i === undefined) return o === i;
  if (o.has('*')) return true;
  // `{"AWS": "*"}` stands for every AWS principal, not for services or federated users.
  return [...i].every((p) => o.has(p) || (p.startsWith('AWS:') && o.has('AWS:*')));
}

/**
 * Whether every request `inner` matches, `outer` matches too. `variablesAlike`: both statements'
 * documents read `${…}` the same way (as variables, or as text).
 */
export function statementContains(outer: Statement, inner: Statement, variablesAlike = true): boolean {
  return (
    elementContains({ yes: outer.action, not: outer.notAction }, { yes: inner.action, not: inner.notAction }, (o, i) => globContains(o, i, true)) &&
    elementContains(
      { yes: outer.resource ?? (outer.notResource ? undefined : ['*']), not: outer.notResource },
      { yes: inner.resource ?? (inner.notResource ? undefined : ['*']), not: inner.notResource },
      (o, i) => resourceContains(o, i, variablesAlike),
    ) &&
    principalContains(outer, inner) &&
    // More clauses narrow a statement: each of outer's clauses must follow from one of inner's.
    outer.conditions.every(
      (c) => (variablesAlike || !clauseHasVariable(c)) && inner.conditions.some((d) => clauseImplies(d, c, (o, i) => globContains(o, i, false))),
    )
  );
}

/**
 * A statement with an Action (or Resource) list matches a request when one of its patterns does, so
 * it is the union of the statements that keep one pattern each; each piece may then be covered by a
 * different statement of the other policy. NotAction and NotResource lists stay whole (their patterns
 * are and-ed).
 */
function pieces(s: Statement): Statement[] {
  const actions = s.action ? s.action.map((a) => ({ action: [a] })) : [{}];
  const resources = s.resource ? s.resource.map((r) => ({ resource: [r] })) : [{}];
  return actions.flatMap((a) => resources.map((r) => ({ ...s, ...a, ...r })));
}

export function checkNoNewAccess(newStatements: Statement[], oldStatements: Statement[], variablesAlike = true): CheckResult {
  const reasons: Reason[] = [];
  const oldAllows = oldStatements.filter((s) => s.effect === 'Allow');
  const newDenies = newStatements.filter((s) => s.effect === 'Deny');
  for (const s of newStatements) {
    if (s.effect !== 'Allow') continue;
    if (!pieces(s).every((p) => oldAllows.some((o) => statementContains(o, p, variablesAlike)))) reasons.push(reasonFor(`New access in the statement with index: ${s.index}.`, s));
  }
  for (const d of oldStatements) {
    if (d.effect !== 'Deny') continue;
    if (!pieces(d).every((p) => newDenies.some((n) => statementContains(n, p, variablesAlike)))) {
      // The existing policy's deny is the one named: the new policy no longer refuses all it refused.
      reasons.push({ description: `The existing policy's deny in the statement with index: ${d.index} is no longer in force.`, statementIndex: d.index, ...(d.sid === undefined ? {} : { statementId: d.sid }) });
    }
  }
  return reasons.length
    ? { result: 'FAIL', message: 'The modified permissions grant new access compared to your existing policy.', reasons }
    : { result: 'PASS', message: 'The modified permissions do not grant new access compared to your existing policy.', reasons };
}

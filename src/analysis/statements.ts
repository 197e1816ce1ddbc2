// Which targets are worth asking the engine about. Evaluating every principal against every other
// for every edge action would be millions of decisions; a principal can only be allowed an action on
// an IAM entity if one of its identity statements names the action and a resource pattern that
// covers the entity's ARN (users, roles, groups and managed policies have no resource-based policies;
// a role's trust policy is handled by the caller). This module reads a principal's Allow statements
// for one action once, and the engine still decides every candidate it lets through.

import { CompiledPolicyDocument, type CompiledStatement } from '../policy/index.ts';
import type { CompiledPolicy, PolicySet } from '../policy/types.ts';

/** `any`: some statement could allow the action on any resource; else the resource patterns that could. */
export type ResourceFilter = { any: true; patterns: string[] } | { any: false; patterns: string[]; test(arn: string): boolean };

export function compiledStatements(policy: CompiledPolicy): CompiledPolicyDocument {
  if (policy instanceof CompiledPolicyDocument) return policy;
  throw new Error(`${policy.label} was not compiled by the policy engine`);
}

function namesAction(statement: CompiledStatement, actionLower: string): boolean {
  if (statement.actions === null) return false;
  const named = statement.actions.some((glob) => glob.test(actionLower, null));
  return statement.notAction ? !named : named;
}

function* eachOf<T>(first: readonly T[], second: readonly T[]): Iterable<T> {
  yield* first;
  yield* second;
}

const cache = new WeakMap<PolicySet, Map<string, ResourceFilter | null>>();

/**
 * The resource patterns of the identity statements that allow `action` (any case), or null when
 * none names it — then no target can be allowed, and none is evaluated.
 */
export function resourcesAllowing(set: PolicySet, action: string): ResourceFilter | null {
  let perSet = cache.get(set);
  if (!perSet) cache.set(set, (perSet = new Map()));
  // Keyed by the action as asked (the edge finders ask with constants), so a hit costs no lower-casing.
  const known = perSet.get(action);
  if (known !== undefined) return known;
  const actionLower = action.toLowerCase();

  const service = actionLower.slice(0, actionLower.indexOf(':'));
  const patterns: string[] = [];
  const globs: { test(input: string, context: null): boolean }[] = [];
  let any = false;
  for (const policy of set.identity) {
    const document = compiledStatements(policy);
    for (const statement of eachOf(document.statementsFor(service), document.anyService)) {
      if (statement.effect !== 'Allow' || !namesAction(statement, actionLower)) continue;
      if (statement.resources === null || statement.notResource) {
        any = true;
        patterns.push('*');
        continue;
      }
      for (const glob of statement.resources) {
        patterns.push(glob.source);
        // A pattern with a policy variable means something per request: let the engine judge it.
        if (glob.dynamic) any = true;
        else globs.push(glob);
      }
    }
  }
  const unique = [...new Set(patterns)];
  const filter: ResourceFilter | null =
    unique.length === 0 ? null : any ? { any: true, patterns: unique } : { any: false, patterns: unique, test: (arn) => globs.some((g) => g.test(arn, null)) };
  perSet.set(action, filter);
  return filter;
}

const servicesNamed = new WeakMap<PolicySet, Map<string, boolean>>();

/** Whether any identity statement could allow some action of `service` (lower case): most name no IAM action at all. */
export function mayAllowService(set: PolicySet, service: string): boolean {
  let perSet = servicesNamed.get(set);
  if (!perSet) servicesNamed.set(set, (perSet = new Map()));
  let known = perSet.get(service);
  if (known === undefined) {
    known = set.identity.some((policy) => {
      const document = compiledStatements(policy);
      return [document.statementsFor(service), document.anyService].some((statements) => statements.some((s) => s.effect === 'Allow'));
    });
    perSet.set(service, known);
  }
  return known;
}

/** True when some statement could allow the action on `arn`. */
export function mayAllow(set: PolicySet, action: string, arn: string): boolean {
  const filter = resourcesAllowing(set, action);
  return filter !== null && (filter.any || filter.test(arn));
}

// The condition keys a policy refers to — in its Condition blocks and, in a 2012-10-17 document, in
// the `${…}` variables of its resources and condition values — as IAM's GetContextKeysFor…Policy
// operations list them: each key once (key names are case-insensitive), in the spelling and order of
// its first appearance.

import type { ParsedPolicy, Statement } from './types.ts';
import { tokenizeTemplate } from './variables.ts';

/** Lower-cased key → the key as first written. */
export type KeySet = Map<string, string>;

function add(into: KeySet, key: string): void {
  const lower = key.toLowerCase();
  if (!into.has(lower)) into.set(lower, key);
}

function addVariables(into: KeySet, text: string): void {
  if (!text.includes('${')) return;
  for (const token of tokenizeTemplate(text)) if (token.kind === 'variable') add(into, token.variable.key);
}

const resourcesOf = (statement: Statement): string[] => statement.resource ?? statement.notResource ?? [];

/** The keys `${…}` variables read in one statement of `policy` (none unless it says 2012-10-17). */
export function variableKeysOf(statement: Statement, policy: ParsedPolicy, into: KeySet = new Map()): KeySet {
  if (policy.version !== '2012-10-17') return into;
  for (const resource of resourcesOf(statement)) addVariables(into, resource);
  for (const clause of statement.conditions) for (const value of clause.values) addVariables(into, value);
  return into;
}

export function contextKeysOf(policy: ParsedPolicy, into: KeySet = new Map()): KeySet {
  const variables = policy.version === '2012-10-17';
  for (const statement of policy.statements) {
    if (variables) for (const resource of resourcesOf(statement)) addVariables(into, resource);
    for (const clause of statement.conditions) {
      add(into, clause.key);
      if (variables) for (const value of clause.values) addVariables(into, value);
    }
  }
  return into;
}

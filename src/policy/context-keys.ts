// The condition keys a policy refers to — in its Condition blocks and, in a 2012-10-17 document, in
// the `${…}` variables of its resources and condition values — as IAM's GetContextKeysFor…Policy
// operations list them: each key once (key names are case-insensitive), in the spelling and order of
// its first appearance.

import type { ParsedPolicy } from './types.ts';
import { tokenizeTemplate } from './variables.ts';

export function contextKeysOf(policy: ParsedPolicy, into: Map<string, string> = new Map()): Map<string, string> {
  const add = (key: string): void => {
    const lower = key.toLowerCase();
    if (!into.has(lower)) into.set(lower, key);
  };
  const variables = policy.version === '2012-10-17';
  const addVariables = (text: string): void => {
    if (!variables || !text.includes('${')) return;
    for (const token of tokenizeTemplate(text)) if (token.kind === 'variable') add(token.variable.key);
  };
  for (const statement of policy.statements) {
    for (const resource of statement.resource ?? statement.notResource ?? []) addVariables(resource);
    for (const clause of statement.conditions) {
      add(clause.key);
      for (const value of clause.values) addVariables(value);
    }
  }
  return into;
}

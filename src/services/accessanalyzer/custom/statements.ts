// The statements of a policy as the custom checks read them, from the engine's own parser, so the
// checks and enforcement agree on what a document says.

import { parsePolicy } from '../../../policy/parse.ts';
import type { PolicyKind, PrincipalSpec, Statement } from '../../../policy/types.ts';

export type { Statement };

export type ReadPolicy = { ok: true; statements: Statement[]; variables: boolean } | { ok: false; message: string };

/** The statements of a document, and whether `${…}` in it is a policy variable (Version 2012-10-17). */
export function readStatements(text: string, kind: PolicyKind): ReadPolicy {
  const parsed = parsePolicy(text, kind);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, statements: parsed.policy.statements, variables: parsed.policy.version === '2012-10-17' };
}

/** A principal element as a comparable set of `Type:value` strings (`"Principal": "*"` is `*`: everyone). */
export function principalSet(spec: PrincipalSpec | undefined): Set<string> | undefined {
  if (spec === undefined) return undefined;
  if (spec === '*') return new Set(['*']);
  const out = new Set<string>();
  for (const [type, values] of Object.entries(spec)) for (const v of values ?? []) out.add(`${type}:${v}`);
  return out;
}

/** A condition clause as comparable text: operator, lower-cased key, sorted values. */
export const clauseKey = (c: Statement['conditions'][number]): string =>
  JSON.stringify([c.operator, c.key.toLowerCase(), [...c.values].sort()]);

/** Whether a clause's values hold a `${…}`, whose meaning depends on the document's Version. */
export const clauseHasVariable = (c: Statement['conditions'][number]): boolean => c.values.some((v) => v.includes('${'));

export interface Reason {
  description: string;
  statementIndex: number;
  statementId?: string;
}

export const reasonFor = (description: string, s: Statement): Reason =>
  s.sid === undefined ? { description, statementIndex: s.index } : { description, statementIndex: s.index, statementId: s.sid };

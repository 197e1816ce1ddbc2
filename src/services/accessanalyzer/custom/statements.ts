// The statements of a policy as the custom checks read them, from the engine's own parser, so the
// checks and enforcement agree on what a document says.

import { parsePolicy } from '../../../policy/parse.ts';
import type { PolicyKind, PrincipalSpec, Statement } from '../../../policy/types.ts';

export type { Statement };

export type ReadPolicy = { ok: true; statements: Statement[] } | { ok: false; message: string };

export function readStatements(text: string, kind: PolicyKind): ReadPolicy {
  const parsed = parsePolicy(text, kind);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  return { ok: true, statements: parsed.policy.statements };
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

export interface Reason {
  description: string;
  statementIndex: number;
  statementId?: string;
}

export const reasonFor = (description: string, s: Statement): Reason =>
  s.sid === undefined ? { description, statementIndex: s.index } : { description, statementIndex: s.index, statementId: s.sid };

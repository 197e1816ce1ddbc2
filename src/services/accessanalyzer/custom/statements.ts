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

type Clause = Statement['conditions'][number];

const STRING_MATCHES = new Set(['StringEquals', 'StringLike']);

/** Whether the glob `pattern` matches `text` taken literally (its `*` and `?` are just characters). */
function globMatchesText(pattern: string, text: string): boolean {
  const source = [...pattern].map((c) => (c === '*' ? '[^]*' : c === '?' ? '[^]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'u').test(text);
}

/**
 * Whether `inner` holding proves `outer` holds, for the same request: the same clause, or two string
 * comparisons of one key (no set qualifier, no IfExists, no variables) where every string `inner`
 * admits is admitted by `outer` — `StringEquals alice` proves `StringEquals [alice, bob]` and
 * `StringLike a*`. Judged value by value, so it holds whether the key has one value or several.
 * `globContains(pattern, inner)`: every string the glob `inner` matches, `pattern` matches.
 */
export function clauseImplies(inner: Clause, outer: Clause, globContains: (pattern: string, inner: string) => boolean): boolean {
  if (clauseKey(inner) === clauseKey(outer)) return true;
  if (inner.key.toLowerCase() !== outer.key.toLowerCase()) return false;
  if (inner.qualifier || outer.qualifier || inner.ifExists || outer.ifExists) return false;
  if (!STRING_MATCHES.has(inner.base) || !STRING_MATCHES.has(outer.base)) return false;
  if (clauseHasVariable(inner) || clauseHasVariable(outer)) return false;
  return inner.values.every((v) =>
    outer.values.some((o) => {
      if (inner.base === 'StringEquals') return outer.base === 'StringEquals' ? o === v : globMatchesText(o, v);
      // A StringLike inner value stands for every string it matches.
      return outer.base === 'StringLike' ? globContains(o, v) : !/[*?]/.test(v) && o === v;
    }),
  );
}

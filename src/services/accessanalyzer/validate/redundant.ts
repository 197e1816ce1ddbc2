// The redundancy suggestions: an action or resource another of the same statement already covers, and a
// statement identical (but for its Sid) to an earlier one.

import { compileGlob } from '../../../policy/glob.ts';
import { isJsonObject, JsonNumber, type JsonObject, type JsonValue } from '../../../policy/json-reader.ts';
import type { Item, Path, Report } from './report.ts';

/**
 * Items covered by another of the same statement: a duplicate, or one a wildcard of another already
 * matches. An item with wildcards is judged covered only by `*` or by a wider prefix wildcard, which
 * is certain; other overlaps of two patterns are left alone.
 */
export function redundantItems(report: Report, items: Item[], code: string, details: (name: string) => string, ignoreCase: boolean): void {
  const norm = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  items.forEach((item, j) => {
    const covered = items.some((other, k) => {
      if (k === j) return false;
      const a = norm(other.text);
      const b = norm(item.text);
      if (a === b) return k < j;
      if (!/[*?]/.test(a)) return false;
      if (/[*?]/.test(b)) return a === '*' || (a.endsWith('*') && !/[*?]/.test(a.slice(0, -1)) && b.startsWith(a.slice(0, -1)));
      return compileGlob(a, { wildcards: true, variables: false }).test(b, null);
    });
    if (covered) report.at('SUGGESTION', code, details(item.text), item.path);
  });
}

export function checkRedundantStatements(report: Report, listed: { statement: JsonObject; path: Path }[]): void {
  const seen = new Set<string>();
  for (const { statement, path } of listed) {
    const canonical = canonicalWithoutSid(statement);
    if (seen.has(canonical)) {
      report.at('SUGGESTION', 'REDUNDANT_STATEMENT', 'The statement is redundant because it provides identical permissions to another statement in the policy. Remove the redundant statement.', path);
    }
    seen.add(canonical);
  }
}

function canonicalWithoutSid(statement: JsonObject): string {
  const entries = [...statement].filter(([k]) => k !== 'Sid').sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries.map(([k, v]) => [k, plain(v)]));
}

export function plain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (isJsonObject(v)) return [...v].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, plain(x)]);
  return v;
}

// The entity range queries, written once for both dialects. `list` and `count` take optional ref,
// key bounds and limit; each combination is its own statement text so that it can be prepared once
// and so that every condition the database sees can use the (account, kind, key) or
// (account, kind, ref, key) index — no `? IS NULL OR …` catch-alls that defeat the planner.

import type { KeyRange } from './range.ts';

/** Renders the n-th (1-based) bind parameter: `?` for SQLite, `$n` for PostgreSQL. */
export type Placeholder = (n: number) => string;

export interface RangeQueryShape {
  count: boolean;
  ref: boolean;
  range: KeyRange;
  /** A list of keys and refs only, without the documents. */
  keysOnly?: boolean;
}

export interface RangeQuery {
  /** Identifies the statement text, for statement caches and PostgreSQL statement names. */
  id: string;
  sql: string;
}

export function rangeQueryId(shape: RangeQueryShape): string {
  const { range } = shape;
  const lower = range.lower === undefined ? 'n' : range.lowerInclusive ? 'i' : 'x';
  return `${shape.count ? 'count' : shape.keysOnly ? 'keys' : 'list'}_${shape.ref ? 'r' : ''}${lower}${range.upper === undefined ? 'n' : 'u'}`;
}

/**
 * Parameters, in order: account, kind, [ref], [lower], [upper], then (list only) the limit.
 * `rangeParams` builds exactly this list.
 */
export function rangeQuery(shape: RangeQueryShape, ph: Placeholder): RangeQuery {
  let n = 0;
  const next = (): string => ph(++n);
  const { range } = shape;
  let where = `account = ${next()} AND kind = ${next()}`;
  if (shape.ref) where += ` AND ref = ${next()}`;
  if (range.lower !== undefined) where += ` AND key ${range.lowerInclusive ? '>=' : '>'} ${next()}`;
  if (range.upper !== undefined) where += ` AND key < ${next()}`;
  const sql = shape.count
    ? `SELECT count(*) AS n FROM entities WHERE ${where}`
    : `SELECT key, ref${shape.keysOnly ? '' : ', doc'} FROM entities WHERE ${where} ORDER BY key LIMIT ${next()}`;
  return { id: rangeQueryId(shape), sql };
}

export function rangeParams(
  account: string,
  kind: string,
  ref: string | undefined,
  range: KeyRange,
  limit: number | null | undefined,
): unknown[] {
  const params: unknown[] = [account, kind];
  if (ref !== undefined) params.push(ref);
  if (range.lower !== undefined) params.push(range.lower);
  if (range.upper !== undefined) params.push(range.upper);
  if (limit !== undefined) params.push(limit);
  return params;
}

/** A caller's `limit` as a non-negative integer, or undefined for "no limit". */
export function normalizeLimit(limit: number | undefined): number | undefined {
  if (limit === undefined || !Number.isFinite(limit)) return undefined;
  return Math.max(0, Math.floor(limit));
}

/** Epoch milliseconds as the integer both databases store (PostgreSQL's BIGINT rejects fractions). */
export const epochMs = (ms: number): number => Math.floor(ms);

/** A lease batch size: a positive integer, or 0 for "nothing to lease". */
export function leaseLimit(limit: number): number {
  if (Number.isNaN(limit) || limit <= 0) return 0;
  return Number.isFinite(limit) ? Math.floor(limit) : 2 ** 31 - 1;
}

/**
 * The refs in use of an account's kind (ref_counts rows, migration 5), ascending, in a range.
 * Parameters, in order: account, kind, [lower], [upper], limit — `refRangeParams` builds them.
 */
export function refRangeQuery(range: KeyRange, ph: Placeholder): RangeQuery {
  let n = 0;
  const next = (): string => ph(++n);
  let where = `account = ${next()} AND kind = ${next()}`;
  if (range.lower !== undefined) where += ` AND ref ${range.lowerInclusive ? '>=' : '>'} ${next()}`;
  if (range.upper !== undefined) where += ` AND ref < ${next()}`;
  const id = `refs_${rangeQueryId({ count: false, ref: false, range }).slice('list_'.length)}`;
  return { id, sql: `SELECT ref FROM ref_counts WHERE ${where} ORDER BY ref LIMIT ${next()}` };
}

export function refRangeParams(account: string, kind: string, range: KeyRange, limit: number | null): unknown[] {
  return rangeParams(account, kind, undefined, range, limit);
}

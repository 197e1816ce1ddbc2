// The Tx of the PostgreSQL store: one pooled client inside an open transaction. Statements are named,
// so each connection parses and plans each of them once.

import { randomUUID } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';
import { type AccessRow, toAccessUse } from '../access-rows.ts';
import { decodeDoc, encodeDoc } from '../codec.ts';
import { arrayCounter, assertRefCounted, counterFor, hasRefCounter } from '../counters.ts';
import { keyRange, prefixRanges } from '../range.ts';
import { epochMs, normalizeLimit, type Placeholder, rangeParams, rangeQuery, type RangeQueryShape, refRangeParams, refRangeQuery } from '../sql.ts';
import { type AccessUse, type CountOptions, type Entity, type KeyRef, type ListOptions, type RefRange, type StoredEntity, type Tx, UniqueViolation } from '../types.ts';
import { SeenRows } from '../seen-rows.ts';
import { classify, sqlState, UNIQUE_VIOLATION } from './errors.ts';

const dollar: Placeholder = (n) => `$${n}`;

const SQL = {
  get: 'SELECT ref, doc FROM entities WHERE account = $1 AND kind = $2 AND key = $3',
  listByRef: 'SELECT key, ref, doc FROM entities WHERE account = $1 AND kind = $2 AND ref = $3 ORDER BY key',
  listByRefs: 'SELECT key, ref, doc FROM entities WHERE account = $1 AND kind = $2 AND ref = ANY($3::text[]) ORDER BY key',
  // One key-range scan of the primary key per prefix (the key column's "C" collation rules the comparisons).
  listUnder: `SELECT e.key, e.ref, e.doc FROM unnest($3::text[], $4::text[]) AS p(lower_key, upper_key)
    JOIN entities e ON e.account = $1 AND e.kind = $2 AND e.key >= p.lower_key AND e.key < p.upper_key ORDER BY e.key`,
  insert: 'INSERT INTO entities (account, kind, key, ref, doc) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
  update: 'UPDATE entities SET ref = $4, doc = $5 WHERE account = $1 AND kind = $2 AND key = $3',
  updateKeepRef: 'UPDATE entities SET doc = $4 WHERE account = $1 AND kind = $2 AND key = $3',
  delete: 'DELETE FROM entities WHERE account = $1 AND kind = $2 AND key = $3',
  deleteAccountEntities: 'DELETE FROM entities WHERE account = $1',
  deleteAccountJobs: 'DELETE FROM jobs WHERE account = $1',
  deleteAccountAccess: 'DELETE FROM access_usage WHERE account = $1',
  // One statement for a whole batch, rows taken in key order (so two nodes' batches lock rows in the
  // same order and cannot deadlock); a row takes a use only when it is later, whichever node writes last.
  upsertAccess: `INSERT INTO access_usage (account, principal, namespace, action, region, principal_arn, last_used)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (account, principal, namespace, action, region) DO UPDATE
    SET principal_arn = EXCLUDED.principal_arn, last_used = EXCLUDED.last_used
    WHERE EXCLUDED.last_used > access_usage.last_used`,
  listAccess: `SELECT principal, principal_arn, namespace, action, region, last_used FROM access_usage
    WHERE account = $1 ORDER BY principal, namespace, action, region`,
  listAccessOf: `SELECT principal, principal_arn, namespace, action, region, last_used FROM access_usage
    WHERE account = $1 AND principal = ANY($2::text[]) ORDER BY principal, namespace, action, region`,
  generation: 'SELECT n FROM generations WHERE account = $1',
  counter: 'SELECT n FROM entity_counts WHERE account = $1 AND kind = $2',
  refCounter: 'SELECT n FROM ref_counts WHERE account = $1 AND kind = $2 AND ref = $3',
  refCounts: 'SELECT ref, n FROM ref_counts WHERE account = $1 AND kind = $2 AND ref = ANY($3::text[])',
  bumpGeneration:
    'INSERT INTO generations (account, n) VALUES ($1, 1) ON CONFLICT (account) DO UPDATE SET n = generations.n + 1 RETURNING n',
  insertJob: `INSERT INTO jobs (id, type, account, run_at, attempts, lease_owner, lease_until, payload)
    VALUES ($1, $2, $3, $4, 0, NULL, NULL, $5) ON CONFLICT DO NOTHING`,
  finishJobDone: 'DELETE FROM jobs WHERE id = $1 AND lease_owner = $2',
  finishJobReschedule: `UPDATE jobs SET run_at = $3, payload = coalesce($4, payload), lease_owner = NULL, lease_until = NULL
    WHERE id = $1 AND lease_owner = $2`,
} as const;

type StatementName = keyof typeof SQL;
type EntityRow = [key: string, ref: string | null, doc: string];


const rangeQueries = new Map<string, { name: string; text: string }>();

function rangeStatement(shape: RangeQueryShape): { name: string; text: string } {
  return named(rangeQuery(shape, dollar));
}

function named({ id, sql }: { id: string; sql: string }): { name: string; text: string } {
  let stmt = rangeQueries.get(id);
  if (stmt === undefined) {
    stmt = { name: `iamd_${id}`, text: sql };
    rangeQueries.set(id, stmt);
  }
  return stmt;
}

export class PostgresTx implements Tx {
  private live = true;
  /**
   * The first error a statement raised, even if the callback caught it: PostgreSQL has then aborted
   * the transaction, and COMMIT would silently roll back. The store checks it before committing.
   */
  failure: unknown = undefined;
  /** Rows get() read in a read-only view (seen-rows.ts); null in a write transaction. */
  private readonly seenRows: SeenRows | null;

  constructor(
    private readonly client: PoolClient,
    private readonly readOnly: boolean,
    /**
     * Accounts whose generation this transaction bumped — or, in a group commit, another member of
     * the same database transaction before it (see generation()).
     */
    private readonly bumped: Set<string> = new Set(),
  ) {
    this.seenRows = readOnly ? new SeenRows() : null;
  }

  end(): void {
    this.live = false;
  }

  async get<T>(account: string, kind: string, key: string): Promise<Entity<T> | undefined> {
    // Before the remembered rows too: a Tx that outlived its transaction answers nothing.
    this.assertLive();
    const id = SeenRows.id(account, kind, key);
    let row = this.seenRows?.get(id);
    if (row === undefined) {
      const { rows } = await this.run('get', [account, kind, key]);
      row = (rows[0] as [string | null, string] | undefined) ?? null;
      this.seenRows?.remember(id, row);
    }
    return row === null ? undefined : { account, kind, key, ref: row[0], doc: decodeDoc<T>(row[1]) };
  }

  async list<T>(account: string, kind: string, options?: ListOptions): Promise<Entity<T>[]> {
    return (await this.rangeRows(account, kind, options)).map((row) => toEntity<T>(account, kind, row));
  }

  async listStored(account: string, kind: string, options?: ListOptions): Promise<StoredEntity[]> {
    return (await this.rangeRows(account, kind, options)).map(toStored);
  }

  /** A key range's rows; with `keysOnly`, each row without its document (`[key, ref]`). */
  private async rangeRows(account: string, kind: string, options: ListOptions | undefined, keysOnly = false): Promise<EntityRow[]> {
    const limit = normalizeLimit(options?.limit);
    if (limit === 0) return [];
    const range = keyRange(options?.keyPrefix, options?.after);
    const { rows } = await this.query(
      rangeStatement({ count: false, ref: false, range, keysOnly }),
      rangeParams(account, kind, undefined, range, limit ?? null),
    );
    return rows as EntityRow[];
  }

  async listKeyRefs(account: string, kind: string, options?: ListOptions): Promise<KeyRef[]> {
    return (await this.rangeRows(account, kind, options, true)).map(([key, ref]) => ({ key, ref }));
  }

  async listByRef<T>(account: string, kind: string, ref: string): Promise<Entity<T>[]> {
    const { rows } = await this.run('listByRef', [account, kind, ref]);
    return (rows as EntityRow[]).map((row) => toEntity<T>(account, kind, row));
  }

  async listByRefs<T>(account: string, kind: string, refs: readonly string[]): Promise<Entity<T>[]> {
    if (refs.length === 0) return [];
    const { rows } = await this.run('listByRefs', [account, kind, refs]);
    return (rows as EntityRow[]).map((row) => toEntity<T>(account, kind, row));
  }

  async listUnder<T>(account: string, kind: string, prefixes: readonly string[]): Promise<Entity<T>[]> {
    if (prefixes.length === 0) return [];
    const { lower, upper } = prefixRanges(prefixes);
    const { rows } = await this.run('listUnder', [account, kind, lower, upper]);
    return (rows as EntityRow[]).map((row) => toEntity<T>(account, kind, row));
  }

  async count(account: string, kind: string, options?: CountOptions): Promise<number> {
    const counter = counterFor(account, kind, options);
    if (counter !== undefined) return this.counter(account, counter);
    if (hasRefCounter(kind, options)) {
      const { rows } = await this.run('refCounter', [account, kind, options!.ref]);
      return rows.length === 0 ? 0 : Number((rows[0] as [string])[0]);
    }
    const ref = options?.ref ?? undefined;
    const range = keyRange(options?.keyPrefix, undefined);
    const { rows } = await this.query(
      rangeStatement({ count: true, ref: ref !== undefined, range }),
      rangeParams(account, kind, ref, range, undefined),
    );
    return Number((rows[0] as [string])[0]);
  }

  async countRefs(account: string, kind: string, refs: readonly string[]): Promise<number[]> {
    assertRefCounted(kind);
    if (refs.length === 0) return [];
    const { rows } = await this.run('refCounts', [account, kind, refs]);
    const held = new Map((rows as [string, string][]).map(([ref, n]) => [ref, Number(n)]));
    return refs.map((ref) => held.get(ref) ?? 0);
  }

  async refsInUse(account: string, kind: string, range: RefRange = {}): Promise<string[]> {
    assertRefCounted(kind);
    const bounds = keyRange(range.refPrefix, range.after);
    const { rows } = await this.query(named(refRangeQuery(bounds, dollar)), refRangeParams(account, kind, bounds, normalizeLimit(range.limit) ?? null));
    return (rows as [string][]).map((row) => row[0]);
  }

  itemTotal(account: string, kind: string, field: string): Promise<number> {
    return this.counter(account, arrayCounter(account, kind, field));
  }

  private async counter(account: string, name: string): Promise<number> {
    const { rows } = await this.run('counter', [account, name]);
    return rows.length === 0 ? 0 : Number((rows[0] as [string])[0]);
  }

  async insert<T>(account: string, kind: string, key: string, doc: T, ref: string | null = null): Promise<void> {
    let inserted: number | null;
    try {
      ({ rowCount: inserted } = await this.run('insert', [account, kind, key, ref, encodeDoc(doc)], true));
    } catch (e) {
      // ON CONFLICT covers the primary key; this only maps a violation raised some other way.
      if (sqlState(e) === UNIQUE_VIOLATION) throw new UniqueViolation(kind, key);
      throw e;
    }
    if (inserted === 0) throw new UniqueViolation(kind, key);
  }

  async update<T>(account: string, kind: string, key: string, doc: T, ref?: string | null): Promise<boolean> {
    const { rowCount } =
      ref === undefined
        ? await this.run('updateKeepRef', [account, kind, key, encodeDoc(doc)], true)
        : await this.run('update', [account, kind, key, ref, encodeDoc(doc)], true);
    return rowCount! > 0;
  }

  async delete(account: string, kind: string, key: string): Promise<boolean> {
    return (await this.run('delete', [account, kind, key], true)).rowCount! > 0;
  }

  async deleteAccount(account: string): Promise<void> {
    await this.run('deleteAccountEntities', [account], true);
    await this.run('deleteAccountJobs', [account], true);
    await this.run('deleteAccountAccess', [account], true);
    // Bumped, not reset: see the SQLite store; caches must never see a generation number come back.
    await this.run('bumpGeneration', [account], true);
    this.bumped.add(account);
  }

  async generation(account: string): Promise<number> {
    // Not committed yet, maybe never (a rollback, a lost serialization race): a cache filled under
    // this number could later match another state that reached it. NaN equals nothing.
    if (this.bumped.has(account)) return NaN;
    const { rows } = await this.run('generation', [account]);
    return rows.length === 0 ? 0 : Number((rows[0] as [string])[0]);
  }

  async bumpGeneration(account: string): Promise<number> {
    const { rows } = await this.run('bumpGeneration', [account], true);
    this.bumped.add(account);
    return Number((rows[0] as [string])[0]);
  }

  async recordAccess(uses: readonly AccessUse[]): Promise<void> {
    if (uses.length === 0) return;
    // ON CONFLICT may touch a row once per statement: a row given twice keeps its latest use.
    const latest = new Map<string, AccessUse>();
    for (const u of uses) {
      const key = `${u.account}\n${u.principalId}\n${u.namespace}\n${u.action}\n${u.region}`;
      const seen = latest.get(key);
      if (!seen || u.lastUsed > seen.lastUsed) latest.set(key, u);
    }
    const columns: [string[], string[], string[], string[], string[], string[], number[]] = [[], [], [], [], [], [], []];
    for (const u of latest.values()) {
      columns[0].push(u.account);
      columns[1].push(u.principalId);
      columns[2].push(u.namespace);
      columns[3].push(u.action);
      columns[4].push(u.region);
      columns[5].push(u.principalArn);
      columns[6].push(epochMs(u.lastUsed));
    }
    await this.run('upsertAccess', columns, true);
  }

  async listAccess(account: string, principalIds?: readonly string[]): Promise<AccessUse[]> {
    if (principalIds?.length === 0) return [];
    const { rows } = principalIds === undefined ? await this.run('listAccess', [account]) : await this.run('listAccessOf', [account, principalIds]);
    return (rows as AccessRow[]).map((row) => toAccessUse(account, row));
  }

  async enqueueJob<P>(job: { type: string; account: string; runAt: number; payload: P; id?: string }): Promise<string> {
    const id = job.id ?? randomUUID();
    const { rowCount } = await this.run(
      'insertJob',
      [id, job.type, job.account, epochMs(job.runAt), encodeDoc(job.payload)],
      true,
    );
    if (rowCount === 0) throw new UniqueViolation('job', id);
    return id;
  }

  async finishJob(
    id: string,
    owner: string,
    outcome: { done: true } | { done: false; runAt: number; payload?: unknown },
  ): Promise<boolean> {
    const { rowCount } = outcome.done
      ? await this.run('finishJobDone', [id, owner], true)
      : await this.run(
          'finishJobReschedule',
          [id, owner, epochMs(outcome.runAt), outcome.payload === undefined ? null : encodeDoc(outcome.payload)],
          true,
        );
    return rowCount! > 0;
  }

  private assertLive(): void {
    if (!this.live) throw new Error('store: this transaction has ended; use the Tx only inside its callback');
  }

  private run(name: StatementName, values: unknown[], writes = false): Promise<QueryResult> {
    if (writes && this.readOnly) {
      return Promise.reject(new Error('store: read() is read-only; write inside transaction()'));
    }
    return this.query({ name: `iamd_${name}`, text: SQL[name] }, values);
  }

  private async query(stmt: { name: string; text: string }, values: unknown[]): Promise<QueryResult> {
    this.assertLive();
    try {
      return await this.client.query({ name: stmt.name, text: stmt.text, values, rowMode: 'array' });
    } catch (e) {
      // Domain code sees the store's StoreUnavailable, never pg's own connection errors.
      const failure = classify(e);
      this.failure ??= failure;
      throw failure;
    }
  }
}

const toEntity = <T>(account: string, kind: string, row: EntityRow): Entity<T> => ({
  account,
  kind,
  key: row[0],
  ref: row[1],
  doc: decodeDoc<T>(row[2]),
});

const toStored = (row: EntityRow): StoredEntity => ({ key: row[0], ref: row[1], text: row[2] });

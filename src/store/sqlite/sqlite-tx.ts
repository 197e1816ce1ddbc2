// The Tx of the SQLite store. Every method runs its statement synchronously when called (better-sqlite3
// is synchronous), so an un-awaited call still lands inside its transaction; the promise only carries
// the result. A Tx is only valid during its transaction: afterwards every call rejects, so a leaked
// reference can never write into somebody else's transaction on the shared connection.

import { randomUUID } from 'node:crypto';
import { type AccessRow, toAccessUse } from '../access-rows.ts';
import { decodeDoc, encodeDoc } from '../codec.ts';
import { arrayCounter, assertRefCounted, counterFor, hasRefCounter } from '../counters.ts';
import { keyRange, prefixRanges } from '../range.ts';
import { epochMs, normalizeLimit, rangeParams, refRangeParams } from '../sql.ts';
import { type AccessUse, type CountOptions, type Entity, type KeyRef, type ListOptions, type RefRange, type StoredEntity, type Tx, UniqueViolation } from '../types.ts';
import { SeenRows, type StoredRow } from '../seen-rows.ts';
import type { ReadStatements, WriteStatements } from './statements.ts';

type EntityRow = [key: string, ref: string | null, doc: string];

/** A function, not a closure made on every get: the request path reads several rows. */
function readRow(reads: ReadStatements, account: string, kind: string, key: string): StoredRow {
  return (reads.get.get(account, kind, key) as [ref: string | null, doc: string] | undefined) ?? null;
}

export class SqliteTx implements Tx {
  private live = true;
  /**
   * Generations read in a read-only view: its snapshot cannot change, and one request asks for its
   * account's generation several times (credentials, then policies).
   */
  private readonly seenGenerations: Map<string, number> | null;
  /** Rows get() read in a read-only view (seen-rows.ts); null in a write transaction. */
  private readonly seenRows: SeenRows | null;

  constructor(
    private readonly reads: ReadStatements,
    /** null in a read-only view. */
    private readonly writes: WriteStatements | null,
    /**
     * In a write transaction, the accounts whose generation this transaction — or another member of
     * its group commit, earlier on the same connection — has bumped; null in a read-only view.
     */
    private readonly bumped: Set<string> | null,
  ) {
    this.seenGenerations = writes === null ? new Map() : null;
    this.seenRows = writes === null ? new SeenRows() : null;
  }

  /** Called by the store when the transaction ends. */
  end(): void {
    this.live = false;
  }

  async get<T>(account: string, kind: string, key: string): Promise<Entity<T> | undefined> {
    const row = this.getRow(account, kind, key);
    return row === null ? undefined : { account, kind, key, ref: row[0], doc: decodeDoc<T>(row[1]) };
  }

  private getRow(account: string, kind: string, key: string): StoredRow {
    // First, whatever follows: a view that has ended answers nothing, not even a row it read before.
    const reads = this.r();
    if (this.seenRows === null) return readRow(reads, account, kind, key);
    const id = SeenRows.id(account, kind, key);
    let row = this.seenRows.get(id);
    if (row === undefined) {
      row = readRow(reads, account, kind, key);
      this.seenRows.remember(id, row);
    }
    return row;
  }

  async list<T>(account: string, kind: string, options?: ListOptions): Promise<Entity<T>[]> {
    return this.rangeRows(account, kind, options).map((row) => toEntity<T>(account, kind, row));
  }

  async listStored(account: string, kind: string, options?: ListOptions): Promise<StoredEntity[]> {
    return this.rangeRows(account, kind, options).map(toStored);
  }

  /** A key range's rows; with `keysOnly`, each row without its document (`[key, ref]`). */
  private rangeRows(account: string, kind: string, options: ListOptions | undefined, keysOnly = false): EntityRow[] {
    const limit = normalizeLimit(options?.limit);
    if (limit === 0) return [];
    const range = keyRange(options?.keyPrefix, options?.after);
    return this.r()
      .range({ count: false, ref: false, range, keysOnly })
      .all(...rangeParams(account, kind, undefined, range, limit ?? -1)) as EntityRow[];
  }

  async listKeyRefs(account: string, kind: string, options?: ListOptions): Promise<KeyRef[]> {
    return this.rangeRows(account, kind, options, true).map(([key, ref]) => ({ key, ref }));
  }

  async listByRef<T>(account: string, kind: string, ref: string): Promise<Entity<T>[]> {
    const rows = this.r().listByRef.all(account, kind, ref) as EntityRow[];
    return rows.map((row) => toEntity<T>(account, kind, row));
  }

  async listByRefs<T>(account: string, kind: string, refs: readonly string[]): Promise<Entity<T>[]> {
    if (refs.length === 0) return [];
    const rows = this.r().listByRefs.all(account, kind, JSON.stringify(refs)) as EntityRow[];
    return rows.map((row) => toEntity<T>(account, kind, row));
  }

  async listUnder<T>(account: string, kind: string, prefixes: readonly string[]): Promise<Entity<T>[]> {
    if (prefixes.length === 0) return [];
    const { lower, upper } = prefixRanges(prefixes);
    const rows = this.r().listUnder.all(JSON.stringify(lower.map((l, i) => [l, upper[i]])), account, kind) as EntityRow[];
    return rows.map((row) => toEntity<T>(account, kind, row));
  }

  async count(account: string, kind: string, options?: CountOptions): Promise<number> {
    const counter = counterFor(account, kind, options);
    if (counter !== undefined) return (this.r().counter.get(account, counter) as number | undefined) ?? 0;
    if (hasRefCounter(kind, options)) return (this.r().refCounter.get(account, kind, options!.ref) as number | undefined) ?? 0;
    const ref = options?.ref ?? undefined;
    const range = keyRange(options?.keyPrefix, undefined);
    return this.r()
      .range({ count: true, ref: ref !== undefined, range })
      .get(...rangeParams(account, kind, ref, range, undefined)) as number;
  }

  async countRefs(account: string, kind: string, refs: readonly string[]): Promise<number[]> {
    assertRefCounted(kind);
    if (refs.length === 0) return [];
    const held = new Map(this.r().refCounts.all(account, kind, JSON.stringify(refs)) as [string, number][]);
    return refs.map((ref) => held.get(ref) ?? 0);
  }

  async refsInUse(account: string, kind: string, range: RefRange = {}): Promise<string[]> {
    assertRefCounted(kind);
    const bounds = keyRange(range.refPrefix, range.after);
    const limit = normalizeLimit(range.limit) ?? -1;
    return this.r().refRange(bounds).all(...refRangeParams(account, kind, bounds, limit)) as string[];
  }

  async itemTotal(account: string, kind: string, field: string): Promise<number> {
    return (this.r().counter.get(account, arrayCounter(account, kind, field)) as number | undefined) ?? 0;
  }

  async insert<T>(account: string, kind: string, key: string, doc: T, ref: string | null = null): Promise<void> {
    const { changes } = this.w().insert.run(account, kind, key, ref, encodeDoc(doc));
    if (changes === 0) throw new UniqueViolation(kind, key);
  }

  async update<T>(account: string, kind: string, key: string, doc: T, ref?: string | null): Promise<boolean> {
    const w = this.w();
    const { changes } =
      ref === undefined
        ? w.updateKeepRef.run(encodeDoc(doc), account, kind, key)
        : w.update.run(ref, encodeDoc(doc), account, kind, key);
    return changes > 0;
  }

  async delete(account: string, kind: string, key: string): Promise<boolean> {
    return this.w().delete.run(account, kind, key).changes > 0;
  }

  async deleteAccount(account: string): Promise<void> {
    const w = this.w();
    w.deleteAccountEntities.run(account);
    w.deleteAccountJobs.run(account);
    w.deleteAccountAccess.run(account);
    // Bumped, not reset: a counter that went back to 0 would let a cache entry built for the old
    // account's policies look current again once the new account reached the same number.
    w.bumpGeneration.get(account);
    this.bumped?.add(account);
  }

  async generation(account: string): Promise<number> {
    // Not committed yet, maybe never: a cache filled now under that number could outlive a rollback
    // and later match a different state that reached the same number. NaN equals nothing.
    if (this.bumped?.has(account)) return NaN;
    const seen = this.seenGenerations?.get(account);
    if (seen !== undefined) return seen;
    const generation = (this.r().generation.get(account) as number | undefined) ?? 0;
    this.seenGenerations?.set(account, generation);
    return generation;
  }

  async bumpGeneration(account: string): Promise<number> {
    const n = this.w().bumpGeneration.get(account) as number;
    this.bumped?.add(account);
    return n;
  }

  async recordAccess(uses: readonly AccessUse[]): Promise<void> {
    const w = this.w();
    for (const u of uses) w.upsertAccess.run(u.account, u.principalId, u.namespace, u.action, u.region, u.principalArn, epochMs(u.lastUsed));
  }

  async listAccess(account: string, principalIds?: readonly string[]): Promise<AccessUse[]> {
    const r = this.r();
    if (principalIds?.length === 0) return [];
    const rows = (
      principalIds === undefined
        ? r.listAccess.all(account)
        : principalIds.length === 1
          ? r.listAccessOf.all(account, principalIds[0])
          : r.listAccessOfAny.all(account, JSON.stringify(principalIds))
    ) as AccessRow[];
    return rows.map((row) => toAccessUse(account, row));
  }

  async enqueueJob<P>(job: { type: string; account: string; runAt: number; payload: P; id?: string }): Promise<string> {
    const id = job.id ?? randomUUID();
    const { changes } = this.w().insertJob.run(id, job.type, job.account, epochMs(job.runAt), encodeDoc(job.payload));
    if (changes === 0) throw new UniqueViolation('job', id);
    return id;
  }

  async finishJob(
    id: string,
    owner: string,
    outcome: { done: true } | { done: false; runAt: number; payload?: unknown },
  ): Promise<boolean> {
    const w = this.w();
    const { changes } = outcome.done
      ? w.finishJobDone.run(id, owner)
      : w.finishJobReschedule.run(
          epochMs(outcome.runAt),
          outcome.payload === undefined ? null : encodeDoc(outcome.payload),
          id,
          owner,
        );
    return changes > 0;
  }

  private r(): ReadStatements {
    if (!this.live) throw new Error('store: this transaction has ended; use the Tx only inside its callback');
    return this.reads;
  }

  private w(): WriteStatements {
    if (!this.live) throw new Error('store: this transaction has ended; use the Tx only inside its callback');
    if (this.writes === null) throw new Error('store: read() is read-only; write inside transaction()');
    return this.writes;
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

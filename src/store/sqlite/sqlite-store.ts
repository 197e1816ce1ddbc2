// The embedded store: one SQLite file in WAL mode.
//
// One writing connection, its transactions serialised in-process by a FIFO mutex and across processes
// by BEGIN IMMEDIATE (+ busy_timeout). Reads go to a small pool of read-only connections, each read()
// in its own deferred transaction: a consistent WAL snapshot taken at its first statement, never
// blocked by the writer, and never seeing a transaction that has not committed — which a read on the
// writing connection would, in the middle of an async transaction callback.
//
// One Store per file per process: two writers in one process would wait on each other synchronously
// (busy_timeout blocks the event loop) while the lock holder needs the event loop to finish.
//
// A lock still held by another process after busy_timeout, or a failing disk, is StoreUnavailable
// (errors.ts): the caller may try again later, and the server answers 503 rather than 500.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { type Outcome, type QueuedWrite, settle } from '../batch.ts';
import { decodeDoc } from '../codec.ts';
import { MIGRATIONS } from '../migrations.ts';
import { Mutex } from '../mutex.ts';
import { compareKeys } from '../range.ts';
import { epochMs, leaseLimit } from '../sql.ts';
import type { Job, Store, Tx } from '../types.ts';
import { migrate, openConnection } from './connection.ts';
import { classify } from './errors.ts';
import { SqliteTx } from './sqlite-tx.ts';
import { ReadStatements, WriteStatements } from './statements.ts';

export const SQLITE_FILE_NAME = 'iamd.sqlite';

export interface SqliteStoreOptions {
  /** Wait for another process's write lock this long before failing (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Read-only connections kept for read() (default 4); more concurrent reads queue. */
  maxReaders?: number;
  /**
   * Let concurrent transactions share one commit (default: on, unless IAMD_GROUP_COMMIT=off — the
   * switch the benchmark uses to measure both ways in one run). Off, each transaction commits alone.
   */
  groupCommit?: boolean;
  /**
   * The event log's own file (StoreConfig): its commits are not fsynced, and its schema differs from
   * the entities' file's from migration 7 on.
   */
  eventLog?: boolean;
}

interface Reader {
  db: Database.Database;
  statements: ReadStatements;
}

/**
 * At most this many transactions share one commit: a batch runs its members one after another, so a
 * bound keeps the first member's wait for its acknowledgement short.
 */
const MAX_BATCH = 64;

type JobRow = { id: string; type: string; account: string; run_at: number; attempts: number; payload: string };

export async function openSqliteStore(dir: string, options: SqliteStoreOptions = {}): Promise<Store> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SQLITE_FILE_NAME);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const eventLog = options.eventLog ?? false;
  const writer = openConnection(file, { readonly: false, busyTimeoutMs, syncCommits: !eventLog });
  try {
    migrate(writer, MIGRATIONS, eventLog ? 'event-log' : 'entities');
  } catch (e) {
    writer.close();
    throw e;
  }
  const groupCommit = options.groupCommit ?? process.env.IAMD_GROUP_COMMIT !== 'off';
  return new SqliteStore(file, writer, busyTimeoutMs, Math.max(1, options.maxReaders ?? 4), groupCommit ? MAX_BATCH : 1);
}

class SqliteStore implements Store {
  private readonly writeLock = new Mutex();
  /** Transactions waiting for the next batch (group commit). */
  private readonly waitingWrites: QueuedWrite[] = [];
  private readonly writes: WriteStatements;
  private readonly idleReaders: Reader[] = [];
  private readonly waitingForReader: ((reader: Reader) => void)[] = [];
  private readerCount = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly writer: Database.Database,
    private readonly busyTimeoutMs: number,
    private readonly maxReaders: number,
    /** Transactions per commit at most (1: no group commit). */
    private readonly maxBatch: number,
  ) {
    this.writes = new WriteStatements(writer);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.assertOpen();
      this.waitingWrites.push({ fn, resolve, reject } as QueuedWrite);
      // One batch waits on the write lock at a time; whatever arrives meanwhile joins it.
      if (this.waitingWrites.length !== 1) return;
      const start = () => void this.writeLock.run(() => this.commitBatch());
      // With group commit the batch starts no sooner than the event loop's next turn: better-sqlite3
      // is synchronous, so a batch started at once would run, COMMIT and fsync inside this request's
      // own turn, before the other requests already readable could queue behind it — every batch
      // would hold one transaction.
      if (this.maxBatch > 1) setImmediate(start);
      else start();
    });
  }

  /**
   * Group commit: the transactions queued since the last batch began run one after another in one
   * database transaction, each in a savepoint of its own, and share its one COMMIT (one fsync). A
   * transaction whose callback throws rolls back to its savepoint: its writes vanish, the others'
   * stay. Each caller hears back only after the COMMIT, so nothing is acknowledged that a power cut
   * could still take away.
   */
  private async commitBatch(): Promise<void> {
    const batch = this.waitingWrites.splice(0, this.maxBatch);
    // More waited than one batch takes: they get the next one.
    if (this.waitingWrites.length > 0) void this.writeLock.run(() => this.commitBatch());
    if (this.closed) {
      for (const w of batch) w.reject(new Error('store: closed'));
      return;
    }
    let remaining = batch;
    while (remaining.length > 0) remaining = await this.runBatch(remaining);
  }

  /**
   * Runs `batch` in one transaction; returns the members that still have to run (when a failure
   * took the whole transaction away midway, the members after it start over in a new one).
   */
  private async runBatch(batch: QueuedWrite[]): Promise<QueuedWrite[]> {
    try {
      this.writes.begin.run();
    } catch (e) {
      for (const w of batch) w.reject(classify(e));
      return [];
    }
    // Every outcome waits for the COMMIT, failures too: a member's refusal may rest on what an
    // earlier member wrote (its name is taken), which only the COMMIT makes true.
    const outcomes: Outcome[] = [];
    // Accounts whose generation a member bumped: uncommitted, so no generation read in this
    // transaction may be taken for a version a cache could trust (see SqliteTx.generation).
    const bumped = new Set<string>();
    for (let i = 0; i < batch.length; i++) {
      const write = batch[i]!;
      const tx = new SqliteTx(this.writes, this.writes, bumped);
      try {
        this.writes.savepoint.run();
        const result = await write.fn(tx);
        tx.end();
        this.writes.releaseSavepoint.run();
        outcomes.push({ write, ok: true, value: result });
      } catch (e) {
        tx.end();
        const failure = classify(e);
        outcomes.push({ write, ok: false, value: failure });
        if (this.writer.inTransaction) {
          // Only this member's writes are undone; the transaction goes on with the next.
          try {
            this.writes.rollbackToSavepoint.run();
            this.writes.releaseSavepoint.run();
            continue;
          } catch (rollbackError) {
            this.abandon(outcomes, classify(rollbackError));
            return batch.slice(i + 1);
          }
        }
        // SQLite rolled the whole transaction back by itself (disk full, I/O error): what the
        // members before this one wrote is gone with it; they fail as this one did. The members
        // after it start over in a transaction of their own.
        this.abandon(outcomes, failure);
        return batch.slice(i + 1);
      }
    }
    try {
      this.writes.commit.run();
    } catch (e) {
      this.abandon(outcomes, classify(e));
      return [];
    }
    settle(outcomes);
    return [];
  }

  /** The transaction is lost: every member that ran in it fails with `failure`. */
  private abandon(outcomes: Outcome[], failure: unknown): void {
    if (this.writer.inTransaction) {
      try {
        this.writes.rollback.run();
      } catch {
        // The connection already ended it.
      }
    }
    for (const { write } of outcomes) write.reject(failure);
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.assertOpen();
    const reader = this.idleReaders.pop() ?? (await this.newOrFreedReader());
    const tx = new SqliteTx(reader.statements, null, null);
    try {
      reader.statements.begin.run();
      return await fn(tx);
    } catch (e) {
      throw classify(e);
    } finally {
      tx.end();
      if (reader.db.inTransaction) reader.statements.commit.run();
      this.releaseReader(reader);
    }
  }

  leaseJobs(options: { types: string[]; owner: string; now: number; leaseMs: number; limit: number }): Promise<Job[]> {
    const limit = leaseLimit(options.limit);
    if (options.types.length === 0 || limit === 0) return Promise.resolve([]);
    return this.writeLock.run(() => {
      this.assertOpen();
      const rows = this.inWriteTransaction(
        () =>
          this.writes.leaseJobs.all(
            options.owner,
            epochMs(options.now + options.leaseMs),
            JSON.stringify(options.types),
            epochMs(options.now),
            epochMs(options.now),
            limit,
          ) as JobRow[],
      );
      // RETURNING has no order; hand jobs out in the order they were chosen (due first).
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || compareKeys(a.id, b.id));
    });
  }

  wipe(): Promise<void> {
    return this.writeLock.run(() => {
      this.assertOpen();
      this.inWriteTransaction(() => {
        this.writes.deleteAllEntities.run();
        this.writes.deleteAllJobs.run();
        this.writes.deleteAllAccess.run();
        // Bumped, not reset, for the same reason as in deleteAccount: caches on other nodes.
        this.writes.bumpAllGenerations.run();
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writeLock.run(() => this.writer.close());
    for (const reader of this.idleReaders.splice(0)) reader.db.close();
  }

  private inWriteTransaction<T>(fn: () => T): T {
    try {
      this.writes.begin.run();
      const result = fn();
      this.writes.commit.run();
      return result;
    } catch (e) {
      if (this.writer.inTransaction) this.writes.rollback.run();
      throw classify(e);
    }
  }

  private newOrFreedReader(): Promise<Reader> {
    if (this.readerCount < this.maxReaders) {
      this.readerCount++;
      try {
        const db = openConnection(this.file, { readonly: true, busyTimeoutMs: this.busyTimeoutMs });
        return Promise.resolve({ db, statements: new ReadStatements(db, 'BEGIN DEFERRED') });
      } catch (e) {
        this.readerCount--;
        return Promise.reject(e);
      }
    }
    return new Promise((resolve) => this.waitingForReader.push(resolve));
  }

  private releaseReader(reader: Reader): void {
    const waiter = this.waitingForReader.shift();
    if (waiter !== undefined) waiter(reader);
    else if (this.closed) {
      reader.db.close();
      this.readerCount--;
    } else this.idleReaders.push(reader);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store: closed');
  }
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  type: row.type,
  account: row.account,
  runAt: row.run_at,
  attempts: row.attempts,
  payload: decodeDoc(row.payload),
});

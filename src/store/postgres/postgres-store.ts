// The scale-out store: PostgreSQL, shared by any number of iamd nodes.
//
// Transactions run at SERIALIZABLE: domain code checks then writes (quotas, "role still has
// instance profiles", trust checks), and only SERIALIZABLE makes such read-then-write logic correct
// when two nodes run it at once. A transaction that loses a race (40001 serialization failure,
// 40P01 deadlock) is rolled back and run again, up to MAX_ATTEMPTS times — so the callback may run
// more than once, and must have no effects outside the transaction (no HTTP calls, no in-memory
// caches filled, no events emitted) until `transaction()` has returned. One that loses every time is
// StoreUnavailable: contention is a temporary condition for the caller to retry, not a bug.
//
// read() is REPEATABLE READ READ ONLY: one snapshot for the whole callback, never a serialization
// failure. leaseJobs is a single statement at the server's default isolation (READ COMMITTED)
// using FOR UPDATE SKIP LOCKED, so concurrent leasers on any nodes never pick the same job.
//
// When the database goes away (stopped, restarted, the network cut) every call fails with
// StoreUnavailable instead of pg's assorted errors, and the pool heals by itself: a connection that
// died is dropped, never handed out again, and the next call opens a fresh one.

import pg from 'pg';
import { decodeDoc } from '../codec.ts';
import { MIGRATIONS } from '../migrations.ts';
import { compareKeys } from '../range.ts';
import { epochMs, leaseLimit } from '../sql.ts';
import { StoreUnavailable, type Job, type Store, type Tx } from '../types.ts';
import { classify, isConnectionFailure, isRetryable } from './errors.ts';
import { migrate } from './migrate.ts';
import { GroupCommit } from './group-commit.ts';
import { PostgresTx } from './postgres-tx.ts';
import { rollBack } from './rollback.ts';

export interface PostgresStoreOptions {
  /** A plain lower-case identifier; created when missing. Default: the server's search_path. */
  schema?: string;
  /** Pool size (default 10). */
  maxConnections?: number;
  /** Runs of a transaction that keeps losing serialization races before it is StoreUnavailable (default 12). */
  maxAttempts?: number;
  /**
   * Let the transactions this process runs at the same time share one database transaction and
   * commit, each in a savepoint (group-commit.ts). Default: on, unless IAMD_GROUP_COMMIT=off.
   */
  groupCommit?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const CONNECT_TIMEOUT_MS = 10_000;

/** BEGIN failed on a connection that turned out dead: nothing ran, so the transaction may start over. */
class NotStarted extends Error {
  constructor(readonly failure: unknown) {
    super('store: the transaction could not begin');
  }
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`store: schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // A server that does not answer at all (a network partition rather than a refusal) fails the
    // request after this long instead of holding it forever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // Every connection resolves the unqualified table names in the chosen schema.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client whose connection dies (server restart) emits 'error'; unhandled, it would crash the
  // process. The pool drops that client and the next query opens a fresh connection.
  pool.on('error', () => {});
  // The same for a connection that dies while checked out (between two statements of a transaction):
  // the pool listens only to idle clients. The failure surfaces in the next statement on that client,
  // which then is released as broken.
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema, MIGRATIONS);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw e;
  }
  const groupCommit = options.groupCommit ?? process.env.IAMD_GROUP_COMMIT !== 'off';
  return new PostgresStore(pool, Math.max(1, options.maxAttempts ?? 12), groupCommit);
}

const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL SERIALIZABLE';

type JobRow = [id: string, type: string, account: string, runAt: string, attempts: number, payload: string];

const LEASE_JOBS = `
  WITH due AS MATERIALIZED (
    SELECT id FROM jobs
    WHERE type = ANY($3::text[]) AND run_at <= $4 AND (lease_until IS NULL OR lease_until <= $4)
    ORDER BY run_at, id
    LIMIT $5
    FOR UPDATE SKIP LOCKED
  )
  UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = jobs.attempts + 1
  FROM due WHERE jobs.id = due.id
  RETURNING jobs.id, jobs.type, jobs.account, jobs.run_at, jobs.attempts, jobs.payload`;

class PostgresStore implements Store {
  private closed = false;
  private readonly batches: GroupCommit | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxAttempts: number,
    groupCommit: boolean,
  ) {
    this.batches = groupCommit ? new GroupCommit(pool, maxAttempts, backoff) : undefined;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.batches ? this.batches.run(fn) : this.attempts(BEGIN_WRITE, false, fn);
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.attempts('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', true, fn);
  }

  async leaseJobs(options: { types: string[]; owner: string; now: number; leaseMs: number; limit: number }): Promise<Job[]> {
    const limit = leaseLimit(options.limit);
    if (options.types.length === 0 || limit === 0) return [];
    this.assertOpen();
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await this.pool.query<JobRow>({
          name: 'iamd_leaseJobs',
          text: LEASE_JOBS,
          values: [options.owner, epochMs(options.now + options.leaseMs), options.types, epochMs(options.now), limit],
          rowMode: 'array',
        });
        return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || compareKeys(a.id, b.id));
      } catch (e) {
        // Only possible when the server's default isolation is stricter than READ COMMITTED.
        if (!isRetryable(e)) throw classify(e);
        if (attempt >= this.maxAttempts) throw new StoreUnavailable(e);
        await backoff(attempt);
      }
    }
  }

  async wipe(): Promise<void> {
    this.assertOpen();
    // Several statements in one simple query run as one transaction. Generations are bumped, not
    // reset: see deleteAccount.
    await this.pool.query('DELETE FROM entities; DELETE FROM jobs; DELETE FROM access_usage; UPDATE generations SET n = n + 1').catch((e: unknown) => {
      throw classify(e);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /**
   * Runs a transaction until it commits: again after a lost serialization race (up to maxAttempts),
   * and again at once when BEGIN found its pooled connection dead (the database restarted since it
   * was last used), so stale connections cost a retry, not a failed request.
   */
  private async attempts<T>(begin: string, readOnly: boolean, fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(begin, readOnly, fn);
      } catch (e) {
        if (e instanceof NotStarted) {
          if (attempt >= this.maxAttempts) throw classify(e.failure);
          continue;
        }
        if (readOnly || !isRetryable(e)) throw classify(e);
        // Still losing after every attempt: the database is too contended to take this work now,
        // a temporary condition the caller may retry (503), not a bug (500).
        if (attempt >= this.maxAttempts) throw new StoreUnavailable(e);
        await backoff(attempt);
      }
    }
  }

  /** One run of a transaction on one pooled connection. */
  private async once<T>(begin: string, readOnly: boolean, fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.assertOpen();
    const client = await this.pool.connect().catch((e: unknown) => {
      throw classify(e);
    });
    let broken: Error | undefined;
    try {
      await client.query(begin);
    } catch (e) {
      client.release(e instanceof Error ? e : new Error(String(e)));
      if (isConnectionFailure(e)) throw new NotStarted(e);
      throw e;
    }
    const tx = new PostgresTx(client, readOnly);
    try {
      const result = await fn(tx);
      tx.end();
      // A statement failed but the callback swallowed the error: the transaction is aborted and
      // COMMIT would quietly roll back. Surface that error (a serialization failure is then retried).
      if (tx.failure !== undefined) throw tx.failure;
      const commit = await client.query('COMMIT');
      // COMMIT reached the server after every statement fn started: one fn did not wait for failed.
      if (commit.command !== 'COMMIT') throw tx.failure ?? new Error('store: COMMIT rolled back');
      return result;
    } catch (thrown) {
      tx.end();
      // A statement lost a serialization race, the callback caught that and went on, and the next
      // statement met the aborted transaction: the lost race is what happened, and it is retried.
      const e = tx.failure !== undefined && isRetryable(tx.failure) ? tx.failure : thrown;
      broken = await rollBack(client, e);
      throw e;
    } finally {
      client.release(broken);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('store: closed');
  }
}

const toJob = (row: JobRow): Job => ({
  id: row[0],
  type: row[1],
  account: row[2],
  runAt: Number(row[3]),
  attempts: row[4],
  payload: decodeDoc(row[5]),
});

/**
 * Randomised exponential back-off, so the racers of a lost race do not collide again in lockstep. It
 * starts near the length of a short transaction (a few ms): waiting less, a loser tends to meet the
 * next writer of the same account's generation row again (the crash run's four clients measured it).
 */
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 4 * 2 ** attempt)));

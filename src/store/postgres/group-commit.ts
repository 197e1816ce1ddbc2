// Group commit on PostgreSQL: the write transactions this process has waiting run one after another
// inside one SERIALIZABLE transaction, each in a savepoint of its own, and share its COMMIT.
//
// What it buys is not the fsync (PostgreSQL already flushes the WAL of concurrent commits together)
// but the races: writers of one account all update that account's generation row and its counters,
// so under SERIALIZABLE concurrent transactions of one node keep aborting each other and retrying
// (32 concurrent CreateRoles in one account: a fifth of them refused after 12 lost races, before).
// In one transaction they cannot conflict with each other; only other nodes remain to race with.
//
// A member that throws rolls back to its savepoint: only its writes are undone. A lost race (40001,
// 40P01) or a dead connection takes the whole transaction, so the batch runs again from its start —
// every member's callback again, which the Store contract allows (callbacks have no outside effects).
// Outcomes, failures included, are told only once the COMMIT has decided them: a member's refusal may
// rest on what an earlier member wrote.

import type pg from 'pg';
import { type Outcome, type QueuedWrite, settle } from '../batch.ts';
import { StoreUnavailable, type Tx } from '../types.ts';
import { classify, isConnectionFailure, isRetryable } from './errors.ts';
import { PostgresTx } from './postgres-tx.ts';
import { rollBack } from './rollback.ts';

/** The whole transaction is lost (a race or the connection): the batch starts over or fails together. */
class BatchLost extends Error {
  constructor(
    readonly failure: unknown,
    /** Lost before anything ran (no connection, BEGIN failed): safe to start over at once. */
    readonly notStarted = false,
  ) {
    super('store: the batch transaction was lost');
  }
}

/** At most this many transactions share one commit, so the first one's wait stays short. */
const MAX_BATCH = 64;

export class GroupCommit {
  private readonly waiting: QueuedWrite[] = [];
  private running = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxAttempts: number,
    private readonly backoff: (attempt: number) => Promise<void>,
  ) {}

  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ fn, resolve, reject } as QueuedWrite);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Transactions started in the same tick as this one join its batch.
      await Promise.resolve();
      while (this.waiting.length > 0) await this.runBatch(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: QueuedWrite[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let outcomes: Outcome[];
      try {
        outcomes = await this.once(batch);
      } catch (e) {
        const failure = e instanceof BatchLost ? e.failure : e;
        // A lost race is run again; so is a batch whose connection was dead before it began (a pooled
        // connection the database dropped while idle). A connection lost later — maybe during COMMIT,
        // with an unknown outcome — is not: the callers hear StoreUnavailable, as without batching.
        const again = isRetryable(failure) || (e instanceof BatchLost && e.notStarted && isConnectionFailure(failure));
        if (again && attempt < this.maxAttempts) {
          if (isRetryable(failure)) await this.backoff(attempt);
          continue;
        }
        const told = isRetryable(failure) ? new StoreUnavailable(failure) : classify(failure);
        for (const w of batch) w.reject(told);
        return;
      }
      settle(outcomes);
      return;
    }
  }

  /** One run of the batch on one pooled connection; throws when the whole transaction is lost. */
  private async once(batch: QueuedWrite[]): Promise<Outcome[]> {
    // No connection to be had: the database is down, which waiting again here would not change.
    const client = await this.pool.connect().catch((e: unknown) => {
      throw new BatchLost(classify(e));
    });
    let broken: Error | undefined;
    try {
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      } catch (e) {
        throw new BatchLost(e, true);
      }
      const outcomes: Outcome[] = [];
      // Generations bumped in this transaction, by any member: not committed (PostgresTx.generation).
      const bumped = new Set<string>();
      for (const write of batch) outcomes.push(await this.member(client, write, bumped));
      const commit = await client.query('COMMIT').catch((e: unknown) => {
        throw new BatchLost(e);
      });
      if (commit.command !== 'COMMIT') throw new Error('store: COMMIT rolled back');
      return outcomes;
    } catch (e) {
      const failure = e instanceof BatchLost ? e.failure : e;
      broken = await rollBack(client, failure);
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** One member in its savepoint: its outcome, or BatchLost when its failure took the transaction. */
  private async member(client: pg.PoolClient, write: QueuedWrite, bumped: Set<string>): Promise<Outcome> {
    await client.query('SAVEPOINT batch_member').catch((e: unknown) => {
      throw new BatchLost(e);
    });
    const tx = new PostgresTx(client, false, bumped);
    let outcome: Outcome;
    try {
      outcome = { write, ok: true, value: await write.fn(tx) };
    } catch (thrown) {
      outcome = { write, ok: false, value: thrown };
    }
    tx.end();
    // RELEASE and ROLLBACK TO reach the server after every statement the callback started, even one
    // it did not wait for: once they answered, tx.failure knows how all of them ended. A statement
    // still running when the callback returned may fail meanwhile (RELEASE then meets the aborted
    // transaction): that is this member's failure, never the batch's.
    if (outcome.ok && tx.failure === undefined) {
      const released = await client.query('RELEASE SAVEPOINT batch_member').then(
        () => true,
        (e: unknown) => {
          if (tx.failure === undefined) throw new BatchLost(e);
          return false;
        },
      );
      if (released) return outcome;
    }
    // A statement failed and the callback swallowed it (or never waited for it): this member's part
    // is aborted. A lost race is the transaction's, not the member's, even when the callback caught it.
    const failure = (): unknown =>
      tx.failure !== undefined && (outcome.ok || isRetryable(tx.failure)) ? tx.failure : outcome.value;
    const takesBatch = (e: unknown): boolean => isRetryable(e) || isConnectionFailure(e);
    if (takesBatch(failure())) throw new BatchLost(failure());
    try {
      await client.query('ROLLBACK TO SAVEPOINT batch_member');
      await client.query('RELEASE SAVEPOINT batch_member');
    } catch (rollbackError) {
      throw new BatchLost(takesBatch(failure()) ? failure() : rollbackError);
    }
    // A statement the callback left running has ended by now; if it lost a race, so did the batch.
    if (takesBatch(failure())) throw new BatchLost(failure());
    return { write, ok: false, value: failure() };
  }
}

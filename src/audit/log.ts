// The event log's writer. Every call the dispatcher runs becomes an event at once (in memory); the
// events are written in one store transaction a second, and at close — never one write per request,
// which would turn every read into a write transaction and put a disk flush on every call's path.
// A crash therefore loses at most the last second of events, never an entity.
//
// A flush writes each account's events as blocks (src/audit/store.ts): one row of up to BLOCK_EVENTS
// events, encoded once, where a row an event cost SQLite's insert, index entries and counter triggers
// for each — a third of a recorded read's CPU. It writes in small transactions (one block each) and
// hands the event loop back between them: on SQLite every statement runs synchronously, and a
// second's events under load written and committed in one go held every waiting request for a
// hundred milliseconds and more. The event log's SQLite file does not fsync its commits
// (eventStoreConfigOf): its events already wait up to a second in memory, unwritten. The store written
// to is the event log's own (on SQLite a file of its own: eventStoreConfigOf in src/store/index.ts).
//
// Each flush then purges blocks older than the retention (CloudTrail's event history keeps 90 days): a
// bounded number of deletions per flush, over the accounts in turn, so a flush never grows with the
// size of the history.

import { GLOBAL } from '../store/types.ts';
import type { Store, Tx } from '../store/types.ts';
import { storedEvent } from './event.ts';
import { addEvents, eventKey, purgeExpired, BLOCK_EVENTS } from './store.ts';
import type { AuditSink, CallRecord } from './types.ts';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600_000;

/** Events waiting beyond this many (the store unreachable for a long time) are dropped, oldest first. */
const MAX_PENDING = 100_000;
/** Expired blocks deleted per flush, on top of as many as the flush writes (so the purge keeps pace). */
const PURGE_PER_FLUSH = 16;
/** Accounts whose expired events one flush looks at. */
const PURGE_ACCOUNTS_PER_FLUSH = 16;
/** Expired blocks deleted per transaction (each is read whole first: a few hundred kB at most). */
const PURGE_PER_TRANSACTION = 4;
/** With nothing to write, the purge alone opens a transaction at most this often. */
const IDLE_PURGE_INTERVAL_MS = 60_000;

interface Pending {
  account: string;
  /** The event's time: the sort's first key (the cheaper comparison; the key breaks ties). */
  t: number;
  key: string;
  /** The event's JSON text: encoded once, here, and written as it is (one string held, not an object graph). */
  json: string;
}

export interface AuditLogOptions {
  /**
   * Account ids in ascending order after `after`: the purge visits every account in turn. Read from
   * wherever the accounts are kept, which need not be the event log's store.
   */
  accounts: (after: string | undefined, limit: number) => Promise<string[]>;
  retentionDays?: number;
  /**
   * Also record read-only calls that succeed (the server's default; `--audit-read-events=false` turns
   * it off, like a trail whose ReadWriteType is WriteOnly). Writes, every refused or failed call, and
   * every call a linked service makes through its role are always recorded.
   */
  readEvents?: boolean;
  log?: (line: string) => void;
  intervalMs?: number;
  /** The clock the retention is measured by (tests move it). */
  now?: () => number;
}

/**
 * A flush's events as the slices its transactions write: by account, newest first, BLOCK_EVENTS at a
 * time — sorted before slicing, so that a slice is one block, not spans interleaved with the next's.
 */
function slicesOf(batch: readonly Pending[]): Pending[][] {
  const accounts = new Map<string, Pending[]>();
  for (const e of batch) {
    let events = accounts.get(e.account);
    if (events === undefined) accounts.set(e.account, (events = []));
    events.push(e);
  }
  const slices: Pending[][] = [];
  for (const events of accounts.values()) {
    // Key order: newest first, then by key (the event id).
    events.sort((a, b) => b.t - a.t || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 0; i < events.length; i += BLOCK_EVENTS) slices.push(events.slice(i, i + BLOCK_EVENTS));
  }
  return slices;
}

/** Resolves after the requests already waiting on the event loop have had their turn. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class AuditLog implements AuditSink {
  private pending: Pending[] = [];
  private dropped = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly retentionMs: number;
  /** The last account the purge looked at; the next flush continues after it. */
  private purgeCursor: string | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private lastIdlePurge = 0;
  /** The last flush failed; the next failure is not logged again. */
  private failing = false;

  constructor(
    private readonly store: Store,
    private readonly options: AuditLogOptions,
  ) {
    this.retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  record(call: CallRecord): void {
    if (call.readOnly && call.error === undefined && !this.options.readEvents && !call.ctx.caller.session?.viaService) return;
    // An unsigned call naming no account iamd holds has no event history to go to.
    if (call.ctx.account === GLOBAL) return;
    try {
      const doc = storedEvent(call);
      this.pending.push({ account: call.ctx.account, t: doc.t, key: eventKey(doc.t, doc.id), json: JSON.stringify(doc) });
      if (this.pending.length > MAX_PENDING) {
        const excess = this.pending.length - MAX_PENDING;
        this.pending.splice(0, excess);
        this.dropped += excess;
      }
    } catch (error) {
      // The call itself has been answered; losing its event must not turn into a failed request.
      this.options.log?.(`cannot record ${call.service}:${call.operation} in the event log: ${(error as Error).message}`);
    }
  }

  /** Writes what is pending (and purges); flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) {
      const now = Date.now();
      if (now - this.lastIdlePurge < IDLE_PURGE_INTERVAL_MS) return;
      this.lastIdlePurge = now;
    }
    this.pending = [];
    if (this.dropped) {
      this.options.log?.(`event log: ${this.dropped} events dropped while the store could not be written`);
      this.dropped = 0;
    }
    const slices = slicesOf(batch);
    let written = 0;
    try {
      // Listed before the transactions: the accounts may live in another store than the events.
      const accounts = await this.accountsToPurge();
      for (; written < slices.length; written++) {
        if (written > 0) await nextTurn();
        const slice = slices[written]!;
        await this.store.transaction((tx) => addEvents(tx, slice[0]!.account, slice));
      }
      for (let budget = PURGE_PER_FLUSH + slices.length; budget > 0; ) {
        const limit = Math.min(budget, PURGE_PER_TRANSACTION);
        const deleted = await this.store.transaction((tx) => this.purge(tx, accounts, limit));
        if (deleted < limit) break;
        budget -= deleted;
        await nextTurn();
      }
      if (this.failing) this.options.log?.('event log: written again');
      this.failing = false;
    } catch (error) {
      // What is not written yet is kept for the next flush rather than lost, up to MAX_PENDING.
      // (Written again, a slice whose commit was in doubt changes nothing: addEvents skips what it holds.)
      this.pending = slices.slice(written).flat().concat(this.pending);
      // Once per stretch of failures: an outage would otherwise log a line every second.
      if (!this.failing) this.options.log?.(`cannot write the event log (retrying every flush): ${(error as Error).message}`);
      this.failing = true;
    }
  }

  /** The next accounts whose expired events this flush deletes, after the last one looked at. */
  private async accountsToPurge(): Promise<string[]> {
    const accounts = await this.options.accounts(this.purgeCursor, PURGE_ACCOUNTS_PER_FLUSH);
    if (accounts.length < PURGE_ACCOUNTS_PER_FLUSH && this.purgeCursor !== undefined) {
      // The end of the list: wrap around to its start.
      const rest = await this.options.accounts(undefined, PURGE_ACCOUNTS_PER_FLUSH - accounts.length);
      return accounts.concat(rest.filter((a) => !accounts.includes(a)));
    }
    return accounts;
  }

  /** Deletes up to `budget` expired blocks of `accounts`, in order; returns how many. */
  private async purge(tx: Tx, accounts: readonly string[], budget: number): Promise<number> {
    const cutoff = (this.options.now?.() ?? Date.now()) - this.retentionMs;
    let deleted = 0;
    for (const account of accounts) {
      if (deleted >= budget) break;
      deleted += await purgeExpired(tx, account, cutoff, budget - deleted);
      // An account left with expired events is visited first again next time.
      if (deleted < budget) this.purgeCursor = account;
    }
    return deleted;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

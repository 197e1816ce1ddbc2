// The Store: iamd's only door to durable state. Every implementation (SQLite embedded, PostgreSQL for
// several nodes) offers exactly this interface, so no caller changes when the database does.
//
// State is a set of JSON documents ("entities"), each addressed by (account, kind, key), with one
// optional secondary column `ref` for reverse look-ups (e.g. an attachment's policy ARN, an access
// key's user). Uniqueness of (account, kind, key) is enforced by the database's primary key, never by
// a read-then-write in memory. Domain code chooses keys so that uniqueness means what AWS means:
// user and role keys are lower-cased names, so names are unique regardless of case.
//
// Entities that are global rather than per-account (access key id → owner, session token → session)
// live under the account `GLOBAL`.

import type { CountOptions, RefRange } from './counters.ts';

export type { CountOptions, RefRange } from './counters.ts';

export const GLOBAL = '';

export interface Entity<T = unknown> {
  account: string;
  kind: string;
  key: string;
  ref: string | null;
  doc: T;
}

/**
 * An entity as `listStored` reads it: its document still the JSON text it was written as. The text
 * is a function of the document (`encodeDoc`), so an unchanged text is an unchanged document.
 */
export interface StoredEntity {
  key: string;
  ref: string | null;
  text: string;
}

export interface ListOptions {
  /** Only keys starting with this prefix. */
  keyPrefix?: string;
  /** Only keys strictly greater than this one (for Marker-style pagination). */
  after?: string;
  /** At most this many, in ascending key order. */
  limit?: number;
}

/** An entity's key and ref (`Tx.listKeyRefs`). */
export interface KeyRef {
  key: string;
  ref: string | null;
}

/** Thrown by `insert` when (account, kind, key) exists; domain code turns it into AWS's error. */
export class UniqueViolation extends Error {
  constructor(readonly kind: string, readonly key: string) {
    super(`${kind} ${key} exists`);
    this.name = 'UniqueViolation';
  }
}

/**
 * The database cannot be reached or cannot take the work right now (connection refused or cut, the
 * server shutting down, a lock held beyond the wait, an I/O error). Nothing of the transaction was
 * committed — unless the connection died during COMMIT itself, when the outcome is unknown, as for any
 * request cut off in flight. The server answers 503 ServiceUnavailable; background work retries later.
 */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`store unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreUnavailable';
  }
}

/** The StoreUnavailable behind `e` — itself, or what it was turned into on the way (its cause). */
export function unavailableCause(e: unknown): StoreUnavailable | undefined {
  if (e instanceof StoreUnavailable) return e;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause instanceof StoreUnavailable ? cause : undefined;
}

/** A durable background job (deletion tasks, resource lifecycles). */
export interface Job<P = unknown> {
  id: string;
  type: string;
  account: string;
  /** Epoch milliseconds at which the job may run. */
  runAt: number;
  attempts: number;
  payload: P;
}

/**
 * One line of Access Advisor's last-accessed data: a principal's latest call of one action of one
 * service namespace in one region, allowed or denied.
 */
export interface AccessUse {
  account: string;
  /** The principal's unique id (`AIDA…` for a user, `AROA…` for a role, the account id for root). */
  principalId: string;
  /** Its ARN when it made the call (a user renamed since keeps its id, not its ARN). */
  principalArn: string;
  /** The IAM service namespace (`iam`, `memorydb`). */
  namespace: string;
  /** The action's name without its namespace (`GetRole`). */
  action: string;
  region: string;
  /** Epoch milliseconds. */
  lastUsed: number;
}

export interface Tx {
  get<T>(account: string, kind: string, key: string): Promise<Entity<T> | undefined>;
  /** Ascending by key. */
  list<T>(account: string, kind: string, options?: ListOptions): Promise<Entity<T>[]>;
  /** The keys and refs of what `list` answers, without reading the documents. */
  listKeyRefs(account: string, kind: string, options?: ListOptions): Promise<KeyRef[]>;
  /**
   * `list` with each document left as its stored JSON text, for callers that keep what they derive
   * from a row and reuse it while the text is the same (a ListRoles page's encoded roles): an
   * unchanged row then costs no JSON decoding.
   */
  listStored(account: string, kind: string, options?: ListOptions): Promise<StoredEntity[]>;
  /** Every entity of `kind` whose ref equals `ref`, ascending by key. */
  listByRef<T>(account: string, kind: string, ref: string): Promise<Entity<T>[]>;
  /** `listByRef` for several refs in one read: every entity holding one of `refs`, ascending by key. */
  listByRefs<T>(account: string, kind: string, refs: readonly string[]): Promise<Entity<T>[]>;
  /**
   * Every entity whose key starts with one of `prefixes`, ascending by key, in one read: what `list`
   * with each `keyPrefix` would answer, together (a page of owners' policies). No prefix may start
   * with another (each entity is answered once).
   */
  listUnder<T>(account: string, kind: string, prefixes: readonly string[]): Promise<Entity<T>[]>;
  /**
   * How many entities of `kind` (with that ref, under that key prefix, or holding any ref). A whole
   * counted kind, or one ref of a kind counted per ref, is read from its counter
   * (src/store/counters.ts), whatever the account holds.
   */
  count(account: string, kind: string, options?: CountOptions): Promise<number>;
  /**
   * How many entities of `kind` hold each of `refs`, in the order given: one read of the ref counters
   * (migration 5), for the kinds of REF_COUNTED_KINDS_V5 only.
   */
  countRefs(account: string, kind: string, refs: readonly string[]): Promise<number[]>;
  /** The refs that entities of `kind` hold, ascending, each once (ref counters; REF_COUNTED_KINDS_V5 only). */
  refsInUse(account: string, kind: string, range?: RefRange): Promise<string[]>;
  /** The total length of the array `field` over the documents of `kind` (a counter; see counters.ts). */
  itemTotal(account: string, kind: string, field: string): Promise<number>;
  /** Throws `UniqueViolation` when the key is taken. */
  insert<T>(account: string, kind: string, key: string, doc: T, ref?: string | null): Promise<void>;
  /** Replaces the document (and ref) of an existing entity; returns false when it does not exist. */
  update<T>(account: string, kind: string, key: string, doc: T, ref?: string | null): Promise<boolean>;
  /** Returns false when it did not exist. */
  delete(account: string, kind: string, key: string): Promise<boolean>;
  /** Deletes every entity of the account (all kinds), its jobs and its Access Advisor rows. */
  deleteAccount(account: string): Promise<void>;

  /**
   * A per-account counter that write paths bump whenever anything that affects authorization
   * changes (policies, attachments, memberships, boundaries, trust policies). Caches of compiled
   * policy sets compare it to decide whether they are still valid, on every node.
   *
   * Inside a write transaction that has bumped it (on SQLite: or that shares its group commit with
   * one that has) it is NaN: that state is not committed and may never be, so nothing may be cached
   * under its number — NaN equals no number, so whatever a cache stores under it never matches.
   */
  generation(account: string): Promise<number>;
  bumpGeneration(account: string): Promise<number>;

  /**
   * Upserts Access Advisor rows: a row takes the given time (and ARN) only when it is later than the
   * one stored, so writers on several nodes, in any order, leave the latest use.
   */
  recordAccess(uses: readonly AccessUse[]): Promise<void>;
  /** The account's Access Advisor rows, of those principals (by unique id) when given. */
  listAccess(account: string, principalIds?: readonly string[]): Promise<AccessUse[]>;

  enqueueJob<P>(job: { type: string; account: string; runAt: number; payload: P; id?: string }): Promise<string>;
  /**
   * Ends a job leased to `owner`, in the same transaction as the work it did: removes it, or
   * re-schedules it at `runAt` with a new payload. Returns false when the lease was lost.
   */
  finishJob(id: string, owner: string, outcome: { done: true } | { done: false; runAt: number; payload?: unknown }): Promise<boolean>;
}

export interface Store {
  /**
   * Runs `fn` in one serializable transaction; everything it wrote commits together or not at all, and
   * the promise settles only once that is decided (after the commit is durable). On SQLite concurrent
   * transactions share one commit (group commit, docs/store.md): each runs in a savepoint of its own.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A read-only view; cheaper than a transaction where the implementation can make it so. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;

  /**
   * Leases up to `limit` due jobs of the given types to `owner` until `now + leaseMs`; a job whose lease
   * ran out (its worker died) can be leased again. No job is ever leased to two owners at once.
   */
  leaseJobs(options: { types: string[]; owner: string; now: number; leaseMs: number; limit: number }): Promise<Job[]>;
  /** Drops every entity, job and Access Advisor row (POST /_iamd/reset). */
  wipe(): Promise<void>;
  close(): Promise<void>;
}

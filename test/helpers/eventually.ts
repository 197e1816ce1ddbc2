// The one poller of the tests, for what iamd does in the background (deletion tasks and cluster
// lifecycles run as jobs, events and key use are flushed off the request path). It bounds the wait
// and, when the awaited state never comes, fails saying what never happened and what it saw last —
// a poller that gave up silently would let the assertion after it fail for the wrong reason.

import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

export interface Patience {
  /** How long to keep reading before giving up; generous, since it only delays a failure. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const INTERVAL_MS = 25;

/** Reads until `done` accepts the value, and returns it; `what` names the awaited state for the failure. */
export async function eventually<T, U extends T>(what: string, read: () => Promise<T>, done: (value: T) => value is U, patience?: Patience): Promise<U>;
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, patience?: Patience): Promise<T>;
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, patience: Patience = {}): Promise<T> {
  const timeoutMs = patience.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      const last = inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 200 });
      throw new Error(`never happened within ${timeoutMs / 1000} s: ${what}; last read: ${last.length > 1000 ? `${last.slice(0, 1000)}…` : last}`);
    }
    await sleep(INTERVAL_MS);
  }
}

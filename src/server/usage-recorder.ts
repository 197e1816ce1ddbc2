// "Last used" data — GetAccessKeyLastUsed's key uses, Access Advisor's principal × service × action ×
// region — must be written down for every request, but writing on every request would turn each read
// into a write transaction. Instead the latest use under each key is kept in memory and written in one
// transaction a second (and at shutdown). A use that repeats the last recorded one within a minute is
// not written again: a commit waits for the disk, and under load those waits show in every request's
// latency. A crash loses at most the last minute of "last used" dates — never an entity. A batch the
// store could not take (an outage) is kept for the next flush, under any newer use of the same key.

import type { Store, Tx } from '../store/types.ts';

/** What one kind of usage needs: how to tell a repeat, and how to write a batch. */
export interface UsageKind<U> {
  /** Named in the log when writing fails. */
  label: string;
  /** Epoch milliseconds of a use. */
  time(use: U): number;
  /** A use that says nothing new beside the last recorded one (same service and region, say). */
  repeats(last: U, next: U): boolean;
  /** Writes the batch (the latest use under each key) in the flush's transaction. */
  write(tx: Tx, batch: ReadonlyMap<string, U>): Promise<void>;
}

/** How stale a recorded "last used" date may be before the same use is written again. */
const RESOLUTION_MS = 60_000;
/** Keys remembered to skip repeats; past this the memory starts over (it only saves writes). */
const REMEMBERED_KEYS = 100_000;

export class UsageRecorder<U> {
  private pending = new Map<string, U>();
  private readonly recorded = new Map<string, U>();
  private readonly timer: NodeJS.Timeout;
  /** The last flush failed; the next failure is not logged again. */
  private failing = false;

  constructor(
    private readonly store: Store,
    private readonly kind: UsageKind<U>,
    private readonly log: (line: string) => void,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  note(key: string, use: U): void {
    const last = this.recorded.get(key);
    if (last !== undefined && this.kind.repeats(last, use) && this.kind.time(use) - this.kind.time(last) < RESOLUTION_MS) return;
    this.pending.set(key, use);
    if (this.recorded.size > REMEMBERED_KEYS) this.recorded.clear();
    this.recorded.set(key, use);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.transaction((tx) => this.kind.write(tx, batch));
      if (this.failing) this.log(`${this.kind.label}: recorded again`);
      this.failing = false;
    } catch (error) {
      for (const [key, use] of batch) if (!this.pending.has(key)) this.pending.set(key, use);
      if (!this.failing) this.log(`cannot record ${this.kind.label} (retrying every second): ${(error as Error).message}`);
      this.failing = true;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

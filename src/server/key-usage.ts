// GetAccessKeyLastUsed needs every request's key, service and region written down. Writing on every
// request would turn each read into a write transaction; instead the latest use of each key is kept in
// memory and written in one transaction a second (and at shutdown). A key used again for the same
// service and region within a minute of its last recorded use is not written again: a commit waits for
// the disk, and under load those waits show in every request's latency. A crash loses at most the
// last minute of "last used" dates — never an entity. A batch the store could not take (an outage) is
// kept for the next flush, under any newer use of the same key.

import type { Store, Tx } from '../store/types.ts';

export interface KeyUse {
  date: Date;
  service: string;
  region: string;
}

/** How stale a recorded "last used" date may be before the same use is written again. */
const RESOLUTION_MS = 60_000;

export class KeyUsageRecorder {
  private pending = new Map<string, KeyUse>();
  private readonly recorded = new Map<string, KeyUse>();
  private readonly timer: NodeJS.Timeout;
  /** The last flush failed; the next failure is not logged again. */
  private failing = false;

  constructor(
    private readonly store: Store,
    private readonly record: (tx: Tx, accessKeyId: string, use: KeyUse) => Promise<void>,
    private readonly log: (line: string) => void,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  note(accessKeyId: string, use: KeyUse): void {
    const last = this.recorded.get(accessKeyId);
    if (last && last.service === use.service && last.region === use.region && use.date.getTime() - last.date.getTime() < RESOLUTION_MS) {
      return;
    }
    this.pending.set(accessKeyId, use);
    if (this.recorded.size > 100_000) this.recorded.clear();
    this.recorded.set(accessKeyId, use);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.transaction(async (tx) => {
        for (const [accessKeyId, use] of batch) await this.record(tx, accessKeyId, use);
      });
      if (this.failing) this.log('access key use: recorded again');
      this.failing = false;
    } catch (error) {
      for (const [accessKeyId, use] of batch) if (!this.pending.has(accessKeyId)) this.pending.set(accessKeyId, use);
      if (!this.failing) this.log(`cannot record access key use (retrying every second): ${(error as Error).message}`);
      this.failing = true;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

// Watching audit retention work during a soak. iamd's shortest retention is one day, so the soak
// cannot wait for its own events to expire; instead, before iamd starts, it writes batches of events
// back-dated so that each expires at a chosen moment of the run (one batch expired already), and then
// counts what is left of each batch every few seconds through its own connection to the store.
// A batch shares one timestamp, so its events are exactly the keys with that time's prefix.

import { randomUUID } from 'node:crypto';
import { addEvents, encodedEvent, eventKey, listEvents, type StoredEvent } from '../../src/audit/index.ts';
import type { EncodedEvent } from '../../src/audit/store.ts';
import type { Store } from '../../src/store/types.ts';

const DAY_MS = 24 * 3600_000;

export interface Batch {
  /** When its events expire, ms after the soak's start (negative: expired before it began). */
  expiresAfterMs: number;
  size: number;
  /** The events' time, epoch ms. */
  time: number;
  /** What the last sample found left of it, and when (ms after the start) it was first found empty. */
  left: number;
  /** Left at the last sample before its expiry: a purge that came early shows here. */
  leftBeforeExpiry?: number;
  goneAfterMs?: number;
}

const keyPrefix = (time: number) => eventKey(time, '');

function seededEvent(time: number, n: number): StoredEvent {
  return {
    t: time, id: randomUUID(), rq: randomUUID(), s: 'iam', op: 'CreateUser', r: 'us-east-1', ip: '127.0.0.1', ro: false,
    who: { k: 'Root', key: 'test' }, p: { userName: `seeded-${n}` },
  };
}

/** Writes the batches for a soak starting at `start` with retention `retentionDays`. */
export async function seedBatches(store: Store, account: string, start: number, retentionDays: number, plan: { expiresAfterMs: number; size: number }[]): Promise<Batch[]> {
  const batches: Batch[] = plan.map((p) => ({ ...p, time: start + p.expiresAfterMs - retentionDays * DAY_MS, left: p.size }));
  for (const b of batches) {
    for (let from = 0; from < b.size; from += 1000) {
      const added: EncodedEvent[] = [];
      for (let n = from; n < Math.min(b.size, from + 1000); n++) added.push(encodedEvent(seededEvent(b.time, n)));
      // As the server stores them: in blocks.
      await store.transaction((tx) => addEvents(tx, account, added));
    }
  }
  return batches;
}

/** Counts what is left of each batch; `elapsedMs` is the time since the soak's start. */
export async function sampleBatches(store: Store, account: string, batches: Batch[], elapsedMs: number): Promise<void> {
  await store.read(async (tx) => {
    for (const b of batches) {
      const prefix = keyPrefix(b.time);
      b.left = (await listEvents(tx, account, prefix, b.size)).filter((e) => e.key.startsWith(prefix)).length;
      if (elapsedMs < b.expiresAfterMs) b.leftBeforeExpiry = b.left;
      if (b.left === 0 && b.goneAfterMs === undefined) b.goneAfterMs = elapsedMs;
    }
  });
}

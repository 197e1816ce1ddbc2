// Where events live: entities of kind `audit-event` under the account the call acted on, keyed so
// that the store's ascending key order is newest first — the order LookupEvents answers in — with
// the event id breaking ties: `<9999999999999 − epoch ms, 13 digits>:<event id>`. A time range is then
// a key range, and "older than the retention" is everything after one key.

import type { Entity, Tx } from '../store/types.ts';
import type { StoredEvent } from './types.ts';

export const AUDIT_EVENT_KIND = 'audit-event';

const LATEST_MS = 9_999_999_999_999;
const pad = (n: number): string => String(n).padStart(13, '0');

export const eventKey = (timeMs: number, eventId: string): string => `${pad(LATEST_MS - timeMs)}:${eventId}`;

/** The epoch milliseconds a key was written for (NaN when it is not an event key). */
export function timeOfKey(key: string): number {
  const m = /^(\d{13}):/.exec(key);
  return m ? LATEST_MS - Number(m[1]) : Number.NaN;
}

/** Keys after this one are events at or before `ms` (listing starts here for an end time). */
export const atOrBefore = (ms: number): string => pad(LATEST_MS - Math.min(ms, LATEST_MS));

/** Keys after this one are events strictly before `ms`. */
export const before = (ms: number): string => atOrBefore(ms - 1);

export function listEvents(tx: Tx, account: string, after: string, limit: number): Promise<Entity<StoredEvent>[]> {
  return tx.list<StoredEvent>(account, AUDIT_EVENT_KIND, { after, limit });
}

/** Deletes up to `limit` of the account's events older than `cutoffMs`; returns how many. */
export async function purgeExpired(tx: Tx, account: string, cutoffMs: number, limit: number): Promise<number> {
  if (limit <= 0) return 0;
  const expired = await tx.list(account, AUDIT_EVENT_KIND, { after: before(cutoffMs), limit });
  for (const e of expired) await tx.delete(account, AUDIT_EVENT_KIND, e.key);
  return expired.length;
}

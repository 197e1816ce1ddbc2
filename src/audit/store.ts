// Where events live: in blocks — entities of kind `audit-events` under the account the call acted on,
// each holding up to BLOCK_EVENTS events as one document, so a flush writes one row per account per
// slice rather than one per event (a row cost SQLite's insert, its index entries and the counter
// triggers: a third of a recorded read's CPU).
//
// Every event has a key ordered so that ascending key order is newest first — the order LookupEvents
// answers in — with the event id breaking ties: `<9999999999999 − epoch ms, 13 digits>:<event id>`. A
// time range is then a key range, and "older than the retention" is everything after one key. A
// block's document is its events in that order (newest first); its key is the key of its OLDEST
// event (the largest key in it); its ref is the key of its NEWEST event, so that a flush finds a block's
// span from its key and ref alone, without reading and decoding its events (blocks written before
// they carried it have no ref and are read instead). Blocks never overlap: every key an account's block spans (from its
// newest event's key to its oldest's) lies in no other block of the account. So the events after a
// key K are in the blocks whose key is after K, in block order, the first of them straddling K.
//
// addEvents keeps blocks disjoint without touching an event's time: an event whose key falls inside
// an existing block's span (a call that started before the last flush and ended after it — its time
// is its request's start — or a clock step back, or another worker's flush) is merged into that
// block, which is rewritten. Merged blocks may exceed BLOCK_EVENTS; nothing relies on the bound.
// Writers of one account's blocks are serialized by the store (SQLite has one writer; PostgreSQL
// runs write transactions SERIALIZABLE, so two flushes that read the same block cannot both commit).

import { EncodedDoc, type Entity, type KeyRef, type Tx } from '../store/index.ts';
import type { StoredEvent } from './types.ts';

/** The kind of the per-event rows iamd wrote before blocks: relocate.ts converts them at start-up. */
export const AUDIT_EVENT_KIND = 'audit-event';
export const AUDIT_BLOCK_KIND = 'audit-events';

/** Events a flush puts in one new block. */
export const BLOCK_EVENTS = 256;

const LATEST_MS = 9_999_999_999_999;
const pad = (n: number): string => String(n).padStart(13, '0');

export const eventKey = (timeMs: number, eventId: string): string => `${pad(LATEST_MS - timeMs)}:${eventId}`;

const keyOf = (e: StoredEvent): string => eventKey(e.t, e.id);

/** The epoch milliseconds a key was written for (NaN when it is not an event key). */
export function timeOfKey(key: string): number {
  const m = /^(\d{13}):/.exec(key);
  return m ? LATEST_MS - Number(m[1]) : Number.NaN;
}

/** Keys after this one are events at or before `ms` (listing starts here for an end time). */
export const atOrBefore = (ms: number): string => pad(LATEST_MS - Math.min(ms, LATEST_MS));

/** Keys after this one are events strictly before `ms`. */
export const before = (ms: number): string => atOrBefore(ms - 1);

/** Blocks read per statement while listing (a LookupEvents page needs one or two). */
const BLOCKS_PER_READ = 4;

/**
 * Up to `limit` of the account's events whose key is after `after`, newest first, each as the entity
 * it would be if events were stored one a row (kind `audit-event`, its event key).
 */
export async function listEvents(tx: Tx, account: string, after: string, limit: number): Promise<Entity<StoredEvent>[]> {
  const events: Entity<StoredEvent>[] = [];
  if (limit <= 0) return events;
  for (let cursor = after; ; ) {
    const blocks = await tx.list<StoredEvent[]>(account, AUDIT_BLOCK_KIND, { after: cursor, limit: BLOCKS_PER_READ });
    for (const block of blocks) {
      for (const doc of block.doc) {
        const key = keyOf(doc);
        // Only the first block can hold keys at or before `after` (the one straddling it).
        if (key <= after) continue;
        events.push({ account, kind: AUDIT_EVENT_KIND, key, ref: null, doc });
        if (events.length === limit) return events;
      }
    }
    if (blocks.length < BLOCKS_PER_READ) return events;
    cursor = blocks[blocks.length - 1]!.key;
  }
}

/** A block's key and the key of its newest event: the span of keys no other block may hold. */
interface BlockSpan {
  key: string;
  /** Undefined for an empty block. */
  newest: string | undefined;
}

/**
 * A block's span, from its ref (where a block names its newest event's key) without reading its
 * events; a block written before blocks named it is read.
 */
async function spanOf(tx: Tx, account: string, block: KeyRef): Promise<BlockSpan> {
  if (block.ref !== null) return { key: block.key, newest: block.ref };
  const doc = (await tx.get<StoredEvent[]>(account, AUDIT_BLOCK_KIND, block.key))?.doc ?? [];
  return { key: block.key, newest: doc.length > 0 ? keyOf(doc[0]!) : undefined };
}

/** The first block whose key is `key` or after it: the only one whose span can hold `key`. */
async function blockFrom(tx: Tx, account: string, key: string): Promise<BlockSpan | undefined> {
  // The block whose key is `key` itself sorts first among the keys it prefixes.
  const [same] = await tx.listKeyRefs(account, AUDIT_BLOCK_KIND, { keyPrefix: key, limit: 1 });
  const block = same?.key === key ? same : (await tx.listKeyRefs(account, AUDIT_BLOCK_KIND, { after: key, limit: 1 }))[0];
  return block === undefined ? undefined : spanOf(tx, account, block);
}

/** An event to add: its key and its JSON text (encoded once, when it was recorded). */
export interface EncodedEvent {
  key: string;
  json: string;
}

export const encodedEvent = (doc: StoredEvent): EncodedEvent => ({ key: keyOf(doc), json: JSON.stringify(doc) });

/**
 * Adds events to the account's blocks, keeping blocks disjoint: new blocks for the events that fall
 * between existing ones (their texts joined, not encoded again), merged into a block for those inside
 * its span. An event already stored (same key) is not stored twice, so adding the same events again
 * changes nothing.
 */
export async function addEvents(tx: Tx, account: string, added: readonly EncodedEvent[]): Promise<void> {
  const events = [...added]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .filter((e, i, sorted) => i === 0 || e.key !== sorted[i - 1]!.key);
  for (let i = 0; i < events.length; ) {
    const next = await blockFrom(tx, account, events[i]!.key);
    const newest = next?.newest;
    if (next !== undefined && newest !== undefined && newest <= events[i]!.key) {
      // Inside `next`'s span: merged into it (its newest event stays its newest).
      const held = (await tx.get<StoredEvent[]>(account, AUDIT_BLOCK_KIND, next.key))!.doc;
      const merged = new Map(held.map((doc) => [keyOf(doc), doc] as const));
      const before = merged.size;
      for (; i < events.length && events[i]!.key <= next.key; i++) {
        if (!merged.has(events[i]!.key)) merged.set(events[i]!.key, JSON.parse(events[i]!.json) as StoredEvent);
      }
      if (merged.size === before) continue;
      const doc = [...merged].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, d]) => d);
      await tx.update(account, AUDIT_BLOCK_KIND, next.key, doc, newest);
      continue;
    }
    // Between the block before (whose key is below events[i]) and `next`: new blocks of their own,
    // each naming its newest event's key in its ref.
    let end = i;
    while (end < events.length && (newest === undefined || events[end]!.key < newest)) end++;
    for (let start = i; start < end; start += BLOCK_EVENTS) {
      const block = events.slice(start, Math.min(end, start + BLOCK_EVENTS));
      const doc = new EncodedDoc(`[${block.map((e) => e.json).join(',')}]`);
      await tx.insert(account, AUDIT_BLOCK_KIND, block[block.length - 1]!.key, doc, block[0]!.key);
    }
    i = end;
  }
}

/**
 * Deletes up to `limit` of the account's blocks whose events are all older than `cutoffMs`; returns
 * how many. A block straddling the cutoff is kept whole until its newest event expires: retention is
 * exact to within one block's span (a flush's worth of the account's events, about a second).
 */
export async function purgeExpired(tx: Tx, account: string, cutoffMs: number, limit: number): Promise<number> {
  if (limit <= 0) return 0;
  const from = before(cutoffMs);
  const blocks = await tx.listKeyRefs(account, AUDIT_BLOCK_KIND, { after: from, limit: limit + 1 });
  let deleted = 0;
  for (const block of blocks) {
    if (deleted === limit) break;
    const { newest } = await spanOf(tx, account, block);
    if (newest !== undefined && newest <= from) continue;
    await tx.delete(account, AUDIT_BLOCK_KIND, block.key);
    deleted++;
  }
  return deleted;
}

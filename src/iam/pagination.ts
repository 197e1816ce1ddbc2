// IAM's Marker / MaxItems / IsTruncated pagination: key-after cursors (src/common/paging.ts) in IAM's
// words. A marker is opaque to clients: it carries the sort key of the last item returned, so the next
// page starts strictly after it even if items were added or removed in between (an offset would skip
// or repeat them).

import { pageAfterKey, pageSize, type KeyPaging, type KeyTokens } from '../common/paging.ts';
import type { Entity, Tx } from '../store/types.ts';
import { invalidMarker } from './errors.ts';

export const DEFAULT_MAX_ITEMS = 100;

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface PageOutput {
  IsTruncated: boolean;
  Marker?: string;
}

const MARKER_PREFIX = 'iamd1.';

/** `iamd1.` + the key in base64url; AWS's "Invalid Marker." for anything iamd did not hand out. */
const markers: KeyTokens = {
  write: (lastKey) => MARKER_PREFIX + Buffer.from(lastKey, 'utf8').toString('base64url'),
  read(marker) {
    const body = marker.startsWith(MARKER_PREFIX) ? marker.slice(MARKER_PREFIX.length) : undefined;
    if (body === undefined || body === '' || !/^[A-Za-z0-9_-]+$/.test(body)) throw invalidMarker();
    return Buffer.from(body, 'base64url').toString('utf8');
  },
};

// MaxItems' bounds (1–1000) are the model's, checked by the protocol layer.
const PAGING: KeyPaging = { tokens: markers, size: { default: DEFAULT_MAX_ITEMS } };

/**
 * One page of `items`, which must already be in ascending order of `keyOf` (code-point order, as the
 * store sorts). Items at or before the marker's key are skipped.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, input: PageInput): { items: T[] } & PageOutput {
  const page = pageAfterKey(items, keyOf, { token: input.Marker, size: input.MaxItems }, PAGING);
  return page.next === undefined ? { items: page.items, IsTruncated: false } : { items: page.items, IsTruncated: true, Marker: page.next };
}

/** The members of a paginated answer other than the list itself. */
export const pageMembers = (page: PageOutput): PageOutput =>
  page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: page.IsTruncated, Marker: page.Marker };

/** How many entities a store-side page reads at a time while a filter keeps too few of them. */
const SCAN_BATCH = 500;

/**
 * One page of the `kind` entities `keep` accepts, read from the store from the marker on, never the
 * whole list: the same page and marker as paginate() over every entity, at the cost of the page
 * (plus what the filter skips) instead of the account's size — ListRoles over 10,000 roles reads 51.
 */
export async function paginateStore<T>(tx: Tx, account: string, kind: string, input: PageInput, keep: (doc: T) => boolean = () => true): Promise<{ items: Entity<T>[] } & PageOutput> {
  const size = pageSize(input.MaxItems, PAGING.size);
  let after = input.Marker === undefined ? undefined : markers.read(input.Marker);
  const items: Entity<T>[] = [];
  for (;;) {
    const batch = Math.max(size + 1 - items.length, SCAN_BATCH);
    const chunk = await tx.list<T>(account, kind, { ...(after === undefined ? {} : { after }), limit: batch });
    for (const entity of chunk) if (items.length <= size && keep(entity.doc)) items.push(entity);
    if (items.length > size || chunk.length < batch) break;
    after = chunk[chunk.length - 1].key;
  }
  if (items.length <= size) return { items, IsTruncated: false };
  const page = items.slice(0, size);
  return { items: page, IsTruncated: true, Marker: markers.write(page[size - 1].key) };
}

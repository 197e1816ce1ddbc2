// IAM's Marker / MaxItems / IsTruncated pagination: key-after cursors (src/common/paging.ts) in IAM's
// words. A marker is opaque to clients: it carries the sort key of the last item returned, so the next
// page starts strictly after it even if items were added or removed in between (an offset would skip
// or repeat them).

import { pageAfterKey, pageSize, type KeyPaging, type KeyTokens } from '../common/paging.ts';
import type { Entity, ListOptions, StoredEntity, Tx } from '../store/types.ts';
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

/** What the next page of a Marker-paged list starts after, and how many items it holds. */
export function pageCursor(input: PageInput): { after: string | undefined; size: number } {
  return { after: input.Marker === undefined ? undefined : markers.read(input.Marker), size: pageSize(input.MaxItems, PAGING.size) };
}

/** The page made of the first `size` of `found` (one more than that means there is a next page). */
export function pageOf<T>(found: T[], size: number, keyOf: (item: T) => string): { items: T[] } & PageOutput {
  if (found.length <= size) return { items: found, IsTruncated: false };
  const items = found.slice(0, size);
  return { items, IsTruncated: true, Marker: markers.write(keyOf(items[items.length - 1]!)) };
}

/**
 * One page of the entities of `kind`, read from the store by key range: the rows after the marker's
 * key, a page and one more (to know whether another page follows) — never the whole kind, so a page
 * costs the same however many the account holds. `keep` filters (a PathPrefix): the range is then
 * read in chunks until the page is full or the kind ends.
 */
/** How many entities a filtered page reads at a time while the filter keeps too few of them. */
const SCAN_BATCH = 500;

export async function pageOfEntities<T>(
  tx: Tx,
  account: string,
  kind: string,
  input: PageInput,
  options: { keyPrefix?: string; keep?: (entity: Entity<T>) => boolean } = {},
): Promise<{ items: Entity<T>[] } & PageOutput> {
  return pageOfRows((range) => tx.list<T>(account, kind, range), input, options);
}

/** `pageOfEntities` with the documents left as their stored text (`Tx.listStored`). */
export async function pageOfStored(
  tx: Tx,
  account: string,
  kind: string,
  input: PageInput,
  options: { keyPrefix?: string; keep?: (row: StoredEntity) => boolean } = {},
): Promise<{ items: StoredEntity[] } & PageOutput> {
  return pageOfRows((range) => tx.listStored(account, kind, range), input, options);
}

async function pageOfRows<R extends { key: string }>(
  read: (range: ListOptions) => Promise<R[]>,
  input: PageInput,
  options: { keyPrefix?: string; keep?: (row: R) => boolean },
): Promise<{ items: R[] } & PageOutput> {
  const { size } = pageCursor(input);
  let { after } = pageCursor(input);
  const found: R[] = [];
  for (;;) {
    // Unfiltered, a page and one more is exactly enough; a filter reads in batches, so a sparse one
    // costs a few reads rather than one read per row.
    const want = options.keep ? Math.max(size + 1 - found.length, SCAN_BATCH) : size + 1 - found.length;
    const chunk = await read({ keyPrefix: options.keyPrefix, after, limit: want });
    for (const e of chunk) if (found.length <= size && (!options.keep || options.keep(e))) found.push(e);
    if (chunk.length < want || found.length > size) break;
    after = chunk[chunk.length - 1]!.key;
  }
  return pageOf(found, size, (e) => e.key);
}

/** The members of a paginated answer other than the list itself. */
export const pageMembers = (page: PageOutput): PageOutput =>
  page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: page.IsTruncated, Marker: page.Marker };


// IAM's Marker / MaxItems / IsTruncated pagination: key-after cursors (src/common/paging.ts) in IAM's
// words. A marker is opaque to clients: it carries the sort key of the last item returned, so the next
// page starts strictly after it even if items were added or removed in between (an offset would skip
// or repeat them).

import { pageAfterKey, type KeyPaging, type KeyTokens } from '../common/paging.ts';
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

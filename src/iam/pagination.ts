// IAM's Marker / MaxItems / IsTruncated pagination. A marker is opaque to clients: it carries the sort
// key of the last item returned, so the next page starts strictly after it even if items were added
// or removed in between (an offset would skip or repeat them).

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

export function encodeMarker(lastKey: string): string {
  return MARKER_PREFIX + Buffer.from(lastKey, 'utf8').toString('base64url');
}

/** The sort key a marker stands for; AWS's "Invalid Marker." for anything we did not hand out. */
export function decodeMarker(marker: string): string {
  const body = marker.startsWith(MARKER_PREFIX) ? marker.slice(MARKER_PREFIX.length) : undefined;
  if (body === undefined || body === '' || !/^[A-Za-z0-9_-]+$/.test(body)) throw invalidMarker();
  return Buffer.from(body, 'base64url').toString('utf8');
}

export const pageSize = (input: PageInput): number => input.MaxItems ?? DEFAULT_MAX_ITEMS;

/** The start key for a store listing (`ListOptions.after`), or undefined for the first page. */
export const afterKey = (input: PageInput): string | undefined =>
  input.Marker === undefined ? undefined : decodeMarker(input.Marker);

/**
 * One page of `items`, which must already be in ascending order of `keyOf` (code-point order, as the
 * store sorts). Items at or before the marker's key are skipped.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, input: PageInput): { items: T[] } & PageOutput {
  const after = afterKey(input);
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const size = pageSize(input);
  if (rest.length <= size) return { items: rest, IsTruncated: false };
  const page = rest.slice(0, size);
  return { items: page, IsTruncated: true, Marker: encodeMarker(keyOf(page[page.length - 1]!)) };
}

/** The members of a paginated answer other than the list itself. */
export const pageMembers = (page: PageOutput): PageOutput =>
  page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: page.IsTruncated, Marker: page.Marker };

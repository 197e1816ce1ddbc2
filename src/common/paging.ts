// Paging, written once for every service. Two kinds of cursor:
//
//   key-after  the list is sorted by a unique key; a token names the last key handed out and the next
//              page starts strictly after it, so items added or removed between two requests are
//              neither skipped nor repeated (what IAM, EC2, MemoryDB and ElastiCache lists need)
//   offset     the order has no unique key (events by time, streams by last event, brokers by
//              creation); a token names the index the next page starts at
//
// What differs from service to service is a parameter, so that each keeps its own wire: how a token
// is written and read (and which tokens it refuses, in its own words), the page size when none is
// asked for, and the bounds it checks itself (with its own refusal).

/** How a service writes the key of the last item into a token, and reads it back. */
export interface KeyTokens {
  write(key: string): string;
  /** The key `token` names; throws the service's refusal for a token it would not have handed out. */
  read(token: string): string;
}

/** How a service writes the index of the next page's first item into a token, and reads it back. */
export interface OffsetTokens {
  write(offset: number): string;
  /** The index `token` names in a list of `length` items; throws the service's refusal for a token it refuses. */
  read(token: string, length: number): number;
}

export interface PageSize {
  /** The size of a page when the request asks for none (`Infinity`: the rest of the list). */
  default: number;
  /** The bounds the service checks itself; a size out of them (or not whole) gets `refuse()`. */
  bounds?: { min: number; max: number; refuse(): Error };
}

export interface KeyPaging {
  tokens: KeyTokens;
  size: PageSize;
}

export interface OffsetPaging {
  tokens: OffsetTokens;
  size: PageSize;
}

/** A page request in the service's members: its token (NextToken, Marker, …) and size (MaxResults, MaxItems, …). */
export interface PageRequest {
  token?: string;
  size?: number;
}

/** One page, and the token of the next one when there is more. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** The size a request asks for, or the default; refused when the service bounds it and it is out of bounds. */
export function pageSize(requested: number | undefined, size: PageSize): number {
  const n = requested ?? size.default;
  const bounds = size.bounds;
  if (bounds && (!Number.isInteger(n) || n < bounds.min || n > bounds.max)) throw bounds.refuse();
  return n;
}

function pageFrom<T>(items: readonly T[], start: number, size: number): { items: T[]; more: boolean } {
  return { items: items.slice(start, start + size), more: start + size < items.length };
}

/** One page of `items`, which are in ascending order of their unique `keyOf` (as the store sorts). */
export function pageAfterKey<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest, paging: KeyPaging): Page<T> {
  const size = pageSize(request.size, paging.size);
  let start = 0;
  if (request.token !== undefined) {
    const after = paging.tokens.read(request.token);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = pageFrom(items, start, size);
  return page.more ? { items: page.items, next: paging.tokens.write(keyOf(page.items[page.items.length - 1]!)) } : { items: page.items };
}

/** One page of `items` in their order, from the index the request's token names. */
export function pageAtOffset<T>(items: readonly T[], request: PageRequest, paging: OffsetPaging): Page<T> {
  const size = pageSize(request.size, paging.size);
  const start = request.token === undefined ? 0 : paging.tokens.read(request.token, items.length);
  const page = pageFrom(items, start, size);
  return page.more ? { items: page.items, next: paging.tokens.write(start + size) } : { items: page.items };
}

const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const fromBase64url = (token: string): string => Buffer.from(token, 'base64url').toString('utf8');

/** Keys as base64url, any token read as what it decodes to (ElastiCache's markers). */
export const base64urlKeys: KeyTokens = { write: base64url, read: fromBase64url };

/** Keys as base64url; a token that decodes to nothing is refused (EC2's and MemoryDB's NextToken). */
export function nonEmptyBase64urlKeys(refuse: (token: string) => Error): KeyTokens {
  return {
    write: base64url,
    read(token) {
      const key = fromBase64url(token);
      if (key === '') throw refuse(token);
      return key;
    },
  };
}

/**
 * Offsets as the base64url of their decimal digits, read back leniently (`parseInt`): a token is
 * refused unless it names a whole index within the list (Logs', Amazon MQ's and CloudWatch's
 * NextToken). `parse` replaces the reading (MemoryDB's events read it with `Number`) and
 * `beyondTheEnd: 'empty'` lets an index past the list's end answer an empty page rather than a refusal.
 */
export function decimalOffsets(
  refuse: (token: string) => Error,
  options: { parse?: (digits: string) => number; beyondTheEnd?: 'refuse' | 'empty' } = {},
): OffsetTokens {
  const parse = options.parse ?? ((digits: string) => Number.parseInt(digits, 10));
  return {
    write: (offset) => base64url(String(offset)),
    read(token, length) {
      const offset = parse(fromBase64url(token));
      if (!Number.isInteger(offset) || offset < 0 || (offset > length && options.beyondTheEnd !== 'empty')) throw refuse(token);
      return offset;
    },
  };
}

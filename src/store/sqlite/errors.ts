// Which SQLite failures mean "the database cannot take this now" rather than "this statement is wrong":
// another process held the write lock beyond busy_timeout (BUSY, LOCKED), the disk failed or is full
// (IOERR, FULL), the file cannot be opened (CANTOPEN). Extended codes (SQLITE_IOERR_FSYNC, …) count
// as their primary code.

import { StoreUnavailable } from '../types.ts';

const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN)(_|$)/;

export function isUnavailable(e: unknown): boolean {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && UNAVAILABLE.test(code);
}

/** The store's own error for an unavailable database; any other error as it is. */
export const classify = (e: unknown): unknown => (isUnavailable(e) ? new StoreUnavailable(e) : e);

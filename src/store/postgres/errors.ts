// PostgreSQL error codes the store acts on, and which failures mean "the database is not there".

import { StoreUnavailable } from '../types.ts';

/** serialization_failure, deadlock_detected: the transaction lost a race and may simply be run again. */
const RETRYABLE = new Set(['40001', '40P01']);

export const UNIQUE_VIOLATION = '23505';

/**
 * SQLSTATEs that say the server is going or refusing, not that the statement was wrong: admin_shutdown
 * (a fast or smart stop), crash_shutdown, cannot_connect_now (starting up or in recovery),
 * too_many_connections. Class 08 (connection exception) is matched as a class.
 */
const SERVER_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/** What Node's sockets report when the server cannot be reached or the connection is cut. */
const SOCKET_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg raises these without a code: the socket ended under a client, or a pool checkout timed out. */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed)/;

export const sqlState = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;

export const isRetryable = (e: unknown): boolean => RETRYABLE.has(sqlState(e) ?? '');

/** True when `e` says the database could not be reached or dropped the connection. */
export function isConnectionFailure(e: unknown): boolean {
  if (e instanceof StoreUnavailable) return true;
  // Connecting to a name with several addresses fails with one error per address.
  if (e instanceof AggregateError) return e.errors.some(isConnectionFailure);
  const code = sqlState(e) ?? '';
  if (code.startsWith('08') || SERVER_UNAVAILABLE.has(code) || SOCKET_FAILURES.has(code)) return true;
  return e instanceof Error && PG_CONNECTION_MESSAGES.test(e.message);
}

/** The store's own error for a connection failure; any other error as it is. */
export const classify = (e: unknown): unknown => (isConnectionFailure(e) && !(e instanceof StoreUnavailable) ? new StoreUnavailable(e) : e);

// Ending a transaction that failed, for the plain store and the group commit alike.

import type pg from 'pg';
import { isConnectionFailure } from './errors.ts';

/**
 * Rolls back `client`'s transaction after `failure`. Returns the error to release the connection
 * with — so the pool discards it — when the failure cut the connection or the ROLLBACK itself failed:
 * such a connection is in no state to be lent again. Undefined when it may go back to the pool.
 */
export async function rollBack(client: pg.PoolClient, failure: unknown): Promise<Error | undefined> {
  let broken = isConnectionFailure(failure) ? (failure instanceof Error ? failure : new Error(String(failure))) : undefined;
  await client.query('ROLLBACK').catch((rollbackError: Error) => {
    broken = rollbackError;
  });
  return broken;
}

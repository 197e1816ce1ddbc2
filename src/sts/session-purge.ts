// Expired sessions are deleted, so the store does not grow with every AssumeRole an account ever made.
// One durable job does it for every node (a fixed id: enqueued at each start, it exists once): each run
// deletes up to a page of the sessions that expired over an hour ago, by the expiry index
// (src/sts/sessions.ts), and runs again at once while pages come back full, else a minute later.
//
// A purged session's token still answers ExpiredToken, as AWS's do at any age: it carries its expiry
// under a MAC (src/sts/token-stamp.ts). Only tokens issued before stamps (iamd before this version)
// answer InvalidClientTokenId once their session is gone.

import type { JobHandler } from '../jobs/runner.ts';
import { GLOBAL, UniqueViolation, type Store, type Tx } from '../store/types.ts';
import { purgeExpiredSessions } from './sessions.ts';

export const SESSION_PURGE_JOB_TYPE = 'sts:session-purge';
const JOB_ID = SESSION_PURGE_JOB_TYPE;

/** How long an expired session is kept: its record, not its token, answers within it. */
export const SESSION_RETENTION_MS = 3_600_000;
const PAGE = 500;
const INTERVAL_MS = 60_000;

/** Makes sure the purge job exists (at every start, and after a reset wiped the jobs). */
export async function scheduleSessionPurge(tx: Tx, now: number): Promise<void> {
  try {
    await tx.enqueueJob({ id: JOB_ID, type: SESSION_PURGE_JOB_TYPE, account: GLOBAL, runAt: now, payload: {} });
  } catch (e) {
    // Already there: another node, or an earlier start, enqueued it.
    if (!(e instanceof UniqueViolation)) throw e;
  }
}

export function sessionPurgeHandler(store: Store, clock: () => number = Date.now): JobHandler {
  return () =>
    store.transaction(async (tx) => {
      const now = clock();
      const purged = await purgeExpiredSessions(tx, now - SESSION_RETENTION_MS, PAGE);
      return { done: false, runAt: purged === PAGE ? now : now + INTERVAL_MS };
    });
}

// Events written by an iamd that kept them in its main SQLite file (before the event log had a file of
// its own) are moved into the event log's store at start-up, so LookupEvents keeps finding them.
// Copy first, then delete: a crash between the two leaves copies that the next start skips, never a
// lost event; several workers starting together may copy the same events, and skip them the same way.

import { UniqueViolation, type Store } from '../store/types.ts';
import { AUDIT_EVENT_KIND } from './store.ts';

/** Events moved per pair of transactions: bounds the memory and the lock time of each step. */
const BATCH = 1000;
const ACCOUNTS_PER_READ = 100;

/** Moves every event from `from` to `to`; returns how many. `accounts` lists the accounts as in AuditLogOptions. */
export async function moveEvents(from: Store, to: Store, accounts: (after: string | undefined, limit: number) => Promise<string[]>): Promise<number> {
  let moved = 0;
  let after: string | undefined;
  for (;;) {
    const page = await accounts(after, ACCOUNTS_PER_READ);
    if (page.length === 0) return moved;
    for (const account of page) {
      for (;;) {
        const batch = await from.read((tx) => tx.list(account, AUDIT_EVENT_KIND, { limit: BATCH }));
        if (batch.length === 0) break;
        await to.transaction(async (tx) => {
          for (const e of batch) {
            try {
              await tx.insert(account, AUDIT_EVENT_KIND, e.key, e.doc);
            } catch (error) {
              if (!(error instanceof UniqueViolation)) throw error;
            }
          }
        });
        await from.transaction(async (tx) => {
          for (const e of batch) await tx.delete(account, AUDIT_EVENT_KIND, e.key);
        });
        moved += batch.length;
      }
    }
    after = page[page.length - 1];
  }
}

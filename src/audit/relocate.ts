// Events an older iamd wrote one a row (kind `audit-event`) are converted into blocks (src/audit/store.ts)
// at start-up, so LookupEvents keeps finding them: those it kept in its main SQLite file (before the
// event log had a file of its own), and those in the event log's own store.
// Copy first, then delete: addEvents skips events a block already holds, so a crash between the two
// leaves rows that the next start converts to nothing, never a lost event; several workers starting
// together may convert the same rows, and skip them the same way. Within the event log's store the
// copy and the delete are one transaction.

import type { Store } from '../store/types.ts';
import { addEvents, encodedEvent, AUDIT_EVENT_KIND } from './store.ts';
import type { StoredEvent } from './types.ts';

/** Events converted per pair of transactions: bounds the memory and the lock time of each step. */
const BATCH = 1000;
const ACCOUNTS_PER_READ = 100;

/**
 * Converts every per-event row of `from` (the main store) and of `to` (the event log's store; the same
 * store on PostgreSQL) into blocks of `to`; returns how many. `accounts` lists the accounts as in
 * AuditLogOptions.
 */
export async function moveEvents(from: Store, to: Store, accounts: (after: string | undefined, limit: number) => Promise<string[]>): Promise<number> {
  let moved = 0;
  let after: string | undefined;
  for (;;) {
    const page = await accounts(after, ACCOUNTS_PER_READ);
    if (page.length === 0) return moved;
    for (const account of page) {
      if (from !== to) moved += await convert(from, to, account);
      moved += await convert(to, to, account);
    }
    after = page[page.length - 1];
  }
}

async function convert(from: Store, to: Store, account: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = await from.read((tx) => tx.list<StoredEvent>(account, AUDIT_EVENT_KIND, { limit: BATCH }));
    if (batch.length === 0) return moved;
    await to.transaction(async (tx) => {
      await addEvents(tx, account, batch.map((e) => encodedEvent(e.doc)));
      if (from === to) for (const e of batch) await tx.delete(account, AUDIT_EVENT_KIND, e.key);
    });
    if (from !== to) {
      await from.transaction(async (tx) => {
        for (const e of batch) await tx.delete(account, AUDIT_EVENT_KIND, e.key);
      });
    }
    moved += batch.length;
  }
}

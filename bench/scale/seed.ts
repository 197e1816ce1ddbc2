// Grows an account to a given size straight through the store API (the server keeps running on the
// same database): roles, users, customer managed policies and audit events, each a copy of one the
// server made through the SDK, with its own name, id and ARN. Batches of a few thousand rows per
// transaction, so 100,000 of each take seconds on SQLite and well under a minute on PostgreSQL.

import { randomBytes } from 'node:crypto';
import { AUDIT_EVENT_KIND, addEvents, encodedEvent, eventKey, listEvents } from '../../src/audit/store.ts';
import type { StoredEvent } from '../../src/audit/types.ts';
import { KIND } from '../../src/iam/model.ts';
import type { Entity, Store } from '../../src/store/types.ts';

const BATCH = 5000;

export interface Templates {
  role: Entity<Record<string, unknown>>;
  user: Entity<Record<string, unknown>>;
  policy: Entity<Record<string, unknown>>;
  event: Entity<StoredEvent>;
}

/** The entities to copy: the role, user and policy given by name, and any one audit event (from the event log's store). */
export async function templates(store: Store, events: Store, account: string, names: { role: string; user: string; policy: string }): Promise<Templates> {
  const [event] = await events.read((tx) => listEvents(tx, account, '', 1));
  return store.read(async (tx) => {
    const role = await tx.get<Record<string, unknown>>(account, KIND.role, names.role.toLowerCase());
    const user = await tx.get<Record<string, unknown>>(account, KIND.user, names.user.toLowerCase());
    const policy = await tx.get<Record<string, unknown>>(account, KIND.policy, names.policy.toLowerCase());
    if (!role || !user || !policy || !event) throw new Error('bench: a template entity is missing (has the audit log flushed?)');
    return { role, user, policy, event };
  });
}

/** The name of the i-th seeded entity: zero-padded, so names sort as numbers do. */
export const seededName = (prefix: string, i: number): string => `${prefix}${String(i).padStart(6, '0')}`;

const id = (prefix: string): string => prefix + randomBytes(12).toString('hex').toUpperCase().slice(0, 17);

/** One row of the entities table. */
export type Row = [account: string, kind: string, key: string, ref: string | null, doc: unknown];

/** Writes rows in one transaction. */
export type RowWriter = (rows: Row[]) => Promise<void>;

const insertAll = (store: Store, rows: Row[]): Promise<void> =>
  store.transaction(async (tx) => {
    for (const [account, kind, key, ref, doc] of rows) await tx.insert(account, kind, key, doc, ref);
  });

/** Through the store API: one insert per row, a few thousand to a transaction; events into the event log's store. */
export const storeWriter =
  (store: Store, events: Store): RowWriter =>
  async (rows) => {
    await insertAll(store, rows.filter((r) => r[1] !== AUDIT_EVENT_KIND));
    await writeEvents(events, rows);
  };

/** The rows' events (kind `audit-event`) into the event log's store, as the server stores them: in blocks. */
export async function writeEvents(events: Store, rows: Row[]): Promise<void> {
  const byAccount = new Map<string, ReturnType<typeof encodedEvent>[]>();
  for (const [account, kind, , , doc] of rows) {
    if (kind !== AUDIT_EVENT_KIND) continue;
    if (!byAccount.has(account)) byAccount.set(account, []);
    byAccount.get(account)!.push(encodedEvent(doc as StoredEvent));
  }
  for (const [account, added] of byAccount) await events.transaction((tx) => addEvents(tx, account, added));
}

/** Adds seeded entities number `from` (inclusive) to `to` (exclusive) of each kind. */
export async function seed(write: RowWriter, account: string, t: Templates, from: number, to: number): Promise<void> {
  const now = Date.now();
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    const rows: Row[] = [];
    for (let i = start; i < end; i++) {
      const roleName = seededName('seed-role-', i);
      rows.push([account, KIND.role, roleName, null, { ...t.role.doc, RoleName: roleName, RoleId: id('AROA'), Arn: `arn:aws:iam::${account}:role/${roleName}` }]);
      const userName = seededName('seed-user-', i);
      rows.push([account, KIND.user, userName, null, { ...t.user.doc, UserName: userName, UserId: id('AIDA'), Arn: `arn:aws:iam::${account}:user/${userName}` }]);
      const policyName = seededName('seed-policy-', i);
      rows.push([account, KIND.policy, policyName, null, { ...t.policy.doc, PolicyName: policyName, PolicyId: id('ANPA'), Arn: `arn:aws:iam::${account}:policy/${policyName}` }]);
      // Spread over the last day, so they sit among the server's own events.
      const eventId = randomBytes(16).toString('hex');
      const time = now - (i % 86_400) * 1000;
      rows.push([account, AUDIT_EVENT_KIND, eventKey(time, eventId), t.event.ref, { ...t.event.doc, id: eventId, t: time }]);
    }
    await write(rows);
  }
}

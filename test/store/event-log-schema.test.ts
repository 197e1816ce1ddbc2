// Migration 7 (src/store/migrations.ts): the event log's own SQLite file keeps its entities in a rowid
// table, whose key index holds no documents, because its documents are blocks of events of about
// 125 kB; the entities' file keeps its WITHOUT ROWID table. A file at version 6 is rebuilt with every
// row, its index, its triggers and its counters as they were, and the store's range reads then go
// through the key index in key order.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { openConnection } from '../../src/store/sqlite/connection.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.ts';
import { rangeQuery } from '../../src/store/sql.ts';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { atVersion, type Backend, insertSql, sqliteBackend, sqliteEventLogBackend, withStore } from './harness.ts';

/** Reads the SQLite file of a backend directly, outside the store. */
function inspect<T>(backend: Backend, fn: (db: Database.Database) => T): T {
  if (backend.config.kind !== 'sqlite') throw new Error('a SQLite backend');
  const db = openConnection(join(backend.config.dir, SQLITE_FILE_NAME), { readonly: true, busyTimeoutMs: 1000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const tableSql = (db: Database.Database): string =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entities'").pluck(true).get() as string;

interface Snapshot {
  rows: unknown[];
  triggers: unknown[];
  indexes: unknown[];
  counts: unknown[];
  refCounts: unknown[];
}

const snapshot = (db: Database.Database): Snapshot => ({
  rows: db.prepare('SELECT account, kind, key, ref, doc FROM entities ORDER BY account, kind, key').all(),
  triggers: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'entities' ORDER BY name").all(),
  indexes: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entities' AND sql IS NOT NULL ORDER BY name").all(),
  counts: db.prepare('SELECT * FROM entity_counts ORDER BY account, kind').all(),
  refCounts: db.prepare('SELECT * FROM ref_counts ORDER BY account, kind, ref').all(),
});

/** A block of events as large as a flush writes: most of it in overflow pages. */
const block = (n: number) => Array.from({ length: 256 }, (_, i) => ({ t: n * 1000 + i, id: `e${n}-${i}`, p: 'x'.repeat(450) }));

describe("the event log's file schema (migration 7)", () => {
  test('a file at version 6 becomes a rowid table with every row, index, trigger and counter as it was', async () => {
    const backend = sqliteEventLogBackend();
    try {
      await atVersion(6, backend, [
        insertSql(A, 'audit-events', '0000000000001:a', block(1), '0000000000000:a'),
        insertSql(A, 'audit-events', '0000000000003:b', block(2), '0000000000002:b'),
        insertSql(B, 'audit-events', '0000000000001:c', block(3)),
        insertSql(A, 'role', 'r1', {}),
        insertSql(A, 'policy', 'p1', { versions: [{ id: 'v1' }, { id: 'v2' }] }),
        insertSql(A, 'attachment', 'role/r1/p1', {}, 'p1'),
        insertSql(A, 'mfa-device', 'd1', {}, 'root'),
      ]);
      const before = inspect(backend, (db) => {
        assert.match(tableSql(db), /WITHOUT ROWID/, 'version 6 made a WITHOUT ROWID table');
        return snapshot(db);
      });
      assert.ok(before.triggers.length > 0 && before.counts.length > 0 && before.refCounts.length > 0);

      const store = await backend.open();
      try {
        const after = inspect(backend, (db) => {
          assert.doesNotMatch(tableSql(db), /WITHOUT ROWID/);
          return snapshot(db);
        });
        assert.deepEqual(after.rows, before.rows, 'every row, byte for byte');
        assert.deepEqual(after.indexes, before.indexes, 'the ref index');
        assert.deepEqual(after.triggers, before.triggers, 'every counter trigger, made again');
        assert.deepEqual(after.counts, before.counts);
        assert.deepEqual(after.refCounts, before.refCounts);

        // The store reads the blocks as before, and the triggers keep counting.
        const blocks = await store.read((tx) => tx.listKeyRefs(A, 'audit-events', { after: '0000000000001:a' }));
        assert.deepEqual(blocks, [{ key: '0000000000003:b', ref: '0000000000002:b' }]);
        assert.equal((await store.read((tx) => tx.get<unknown[]>(A, 'audit-events', '0000000000001:a')))?.doc.length, 256);
        await store.transaction(async (tx) => {
          await tx.insert(A, 'role', 'r2', {});
          await tx.update(A, 'policy', 'p1', { versions: [{ id: 'v1' }, { id: 'v2' }, { id: 'v3' }] });
          await tx.delete(A, 'attachment', 'role/r1/p1');
          await tx.update(A, 'mfa-device', 'd1', {}, null);
        });
        await store.read(async (tx) => {
          assert.equal(await tx.count(A, 'role'), 2);
          assert.equal(await tx.itemTotal(A, 'policy', 'versions'), 3);
          assert.deepEqual(await tx.countRefs(A, 'attachment', ['p1']), [0]);
          assert.equal(await tx.count(A, 'mfa-device', { withRef: true }), 0);
        });
      } finally {
        await store.close();
      }
    } finally {
      await backend.dispose();
    }
  });

  test("the store's range reads go through the key index, in its order", () =>
    withStore(sqliteEventLogBackend, async (_store, backend) => {
      inspect(backend, (db) => {
        for (const keysOnly of [false, true]) {
          const { sql } = rangeQuery({ count: false, ref: false, keysOnly, range: { lower: 'k', lowerInclusive: false, upper: undefined } }, () => '?');
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a', 'k', 'k', 1) as { detail: string }[]).map((r) => r.detail).join('; ');
          assert.match(plan, /USING INDEX sqlite_autoindex_entities_1 \(account=\? AND kind=\? AND key>\?\)/, plan);
          assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort');
        }
      });
    }));

  test("the entities' file keeps its WITHOUT ROWID table", () =>
    withStore(sqliteBackend, async (_store, backend) => {
      inspect(backend, (db) => assert.match(tableSql(db), /WITHOUT ROWID/));
    }));
});

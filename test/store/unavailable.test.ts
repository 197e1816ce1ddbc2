// A database that goes away: every store call fails with StoreUnavailable (never pg's or SQLite's own
// errors, never a crash of the process), nothing half-done is committed, and the same Store works
// again once the database is back — no reopening. PostgreSQL is cut through a TCP proxy, so the real
// server keeps serving the other tests; SQLite is made unavailable by another process's write lock.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.ts';
import { StoreUnavailable, type Store } from '../../src/store/types.ts';
import { postgresTarget, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { POSTGRES_URL, sqliteBackend } from './harness.ts';

const A = '111111111111';

const unavailable = (e: unknown): boolean => {
  assert.ok(e instanceof StoreUnavailable, `expected StoreUnavailable, got ${(e as Error)?.stack ?? String(e)}`);
  return true;
};

async function withProxiedStore(fn: (store: Store, proxy: TcpProxy, terminate: () => Promise<number>) => Promise<void>): Promise<void> {
  const schema = `iamd_test_${randomBytes(6).toString('hex')}`;
  const application = `iamd_outage_${randomBytes(4).toString('hex')}`;
  const proxy = await startTcpProxy(postgresTarget(POSTGRES_URL));
  const url = new URL(proxy.via(POSTGRES_URL));
  url.searchParams.set('application_name', application);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const store = await openPostgresStore(url.toString(), { schema });
    try {
      // What `pg_ctlcluster … stop -m fast` does to each backend: 57P01 admin_shutdown.
      const terminate = async () =>
        (await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application])).rowCount ?? 0;
      await fn(store, proxy, terminate);
    } finally {
      proxy.restore();
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await proxy.close();
  }
}

describe('PostgreSQL unreachable', () => {
  test('every call fails with StoreUnavailable while cut, and the same store works once restored', () =>
    withProxiedStore(async (store, proxy) => {
      await store.transaction((tx) => tx.insert(A, 'k', 'before', {}));
      // Several pooled connections are idle when the cut comes: their deaths must not crash the process.
      await Promise.all(Array.from({ length: 4 }, () => store.read((tx) => tx.count(A, 'k'))));
      proxy.cut();
      await assert.rejects(store.transaction((tx) => tx.insert(A, 'k', 'during', {})), unavailable);
      await assert.rejects(store.read((tx) => tx.get(A, 'k', 'before')), unavailable);
      await assert.rejects(store.leaseJobs({ types: ['t'], owner: 'o', now: 0, leaseMs: 1000, limit: 1 }), unavailable);
      await assert.rejects(store.wipe(), unavailable);
      proxy.restore();
      await store.transaction((tx) => tx.insert(A, 'k', 'after', {}));
      const keys = await store.read(async (tx) => (await tx.list(A, 'k')).map((e) => e.key));
      assert.deepEqual(keys, ['after', 'before'], 'the write tried during the cut is not there');
    }));

  test('a connection cut in the middle of a transaction: StoreUnavailable, and nothing of it committed', () =>
    withProxiedStore(async (store, proxy) => {
      const attempt = store.transaction(async (tx) => {
        await tx.insert(A, 'k', 'first-half', {});
        proxy.cut();
        await tx.insert(A, 'k', 'second-half', {});
      });
      await assert.rejects(attempt, unavailable);
      proxy.restore();
      assert.equal(await store.read((tx) => tx.count(A, 'k')), 0);
    }));

  test('connections the server terminated (57P01 admin_shutdown) cost no failed call', () =>
    withProxiedStore(async (store, _proxy, terminate) => {
      await Promise.all(Array.from({ length: 3 }, (_, i) => store.transaction((tx) => tx.insert(A, 'k', `k${i}`, {}))));
      assert.ok((await terminate()) > 0, 'the store had connections to terminate');
      // Every pooled connection is dead now; each call still succeeds, on a fresh connection.
      for (let i = 0; i < 4; i++) assert.equal(await store.read((tx) => tx.count(A, 'k')), 3);
      await store.transaction((tx) => tx.insert(A, 'k', 'k3', {}));
    }));
});

describe('PostgreSQL too contended', () => {
  test('a transaction that loses its serialization race on every attempt is StoreUnavailable, not a bare 40001', async () => {
    const schema = `iamd_test_${randomBytes(6).toString('hex')}`;
    // Two nodes: the transactions of one process share one database transaction (group commit) and
    // cannot race each other; those of two processes can.
    const store = await openPostgresStore(POSTGRES_URL, { schema, maxAttempts: 1 });
    const otherNode = await openPostgresStore(POSTGRES_URL, { schema, maxAttempts: 1 });
    try {
      await store.transaction(async (tx) => {
        await tx.insert(A, 'k', 'x', { n: 0 });
        await tx.insert(A, 'k', 'y', { n: 0 });
      });
      // Write skew: each reads what the other writes; SERIALIZABLE lets only one of them commit.
      let bothRead!: () => void;
      const read = new Promise<void>((resolve) => (bothRead = resolve));
      let readers = 0;
      const skew = (node: Store, mine: string, theirs: string) =>
        node.transaction(async (tx) => {
          await tx.get(A, 'k', theirs);
          if (++readers === 2) bothRead();
          await read;
          await tx.update(A, 'k', mine, { n: 1 });
        });
      const outcomes = await Promise.allSettled([skew(store, 'x', 'y'), skew(otherNode, 'y', 'x')]);
      const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(failures.length, 1, 'exactly one of the two commits');
      unavailable(failures[0].reason);
    } finally {
      await store.close();
      await otherNode.close();
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});

describe('SQLite unavailable', () => {
  test("another process's write lock held beyond busy_timeout is StoreUnavailable; the lock released, writes resume", async () => {
    const backend = sqliteBackend();
    const store = await openSqliteStore((backend.config as { dir: string }).dir, { busyTimeoutMs: 50 });
    const other = new Database(join((backend.config as { dir: string }).dir, SQLITE_FILE_NAME));
    try {
      other.exec('BEGIN IMMEDIATE');
      await assert.rejects(store.transaction((tx) => tx.insert(A, 'k', 'blocked', {})), unavailable);
      await assert.rejects(store.leaseJobs({ types: ['t'], owner: 'o', now: 0, leaseMs: 1000, limit: 1 }), unavailable);
      // Readers are not blocked by a writer (WAL).
      assert.equal(await store.read((tx) => tx.count(A, 'k')), 0);
      other.exec('COMMIT');
      await store.transaction((tx) => tx.insert(A, 'k', 'after', {}));
      assert.equal(await store.read((tx) => tx.count(A, 'k')), 1);
    } finally {
      other.close();
      await store.close();
      await backend.dispose();
    }
  });
});

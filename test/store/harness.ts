// Test harness: fresh stores of each kind. SQLite lives in a mkdtemp folder; PostgreSQL in a schema
// of its own, dropped afterwards. PostgreSQL must be reachable — when it is not, these tests fail.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type StoreConfig } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { migrate as migratePostgres } from '../../src/store/postgres/migrate.ts';
import { migrate as migrateSqlite, openConnection } from '../../src/store/sqlite/connection.ts';
import { SQLITE_FILE_NAME } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/types.ts';

export const POSTGRES_URL = process.env.IAMD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A place for one test's data: open as many stores on it as needed, then dispose of it. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  config: StoreConfig;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/** Makes a fresh backend; its label names it in test titles without making one. */
export interface BackendFactory {
  (): Backend;
  readonly label: string;
}

const sqliteBackendOf = (eventLog: boolean): BackendFactory => Object.assign(() => {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-store-'));
  const config: StoreConfig = eventLog ? { kind: 'sqlite', dir, eventLog } : { kind: 'sqlite', dir };
  return {
    name: 'sqlite' as const,
    config,
    open: () => openStore(config),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}, { label: eventLog ? "sqlite, the event log's file" : 'sqlite' });

export const sqliteBackend = sqliteBackendOf(false);
/** SQLite with the event log's file's schema (a rowid table of entities from migration 7). */
export const sqliteEventLogBackend = sqliteBackendOf(true);

export const postgresBackend: BackendFactory = Object.assign(() => {
  const schema = `iamd_test_${randomBytes(6).toString('hex')}`;
  const config: StoreConfig = { kind: 'postgres', url: POSTGRES_URL, schema };
  return {
    name: 'postgres' as const,
    config,
    open: () => openStore(config),
    dispose: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}, { label: 'postgres' });

export const BACKENDS: BackendFactory[] = [sqliteBackend, postgresBackend];

/** Every schema the store runs on: the store's contract and counters hold on each. */
export const LAYOUTS: BackendFactory[] = [...BACKENDS, sqliteEventLogBackend];

/** Opens a store on a fresh backend, runs `fn`, closes and disposes whatever happens. */
export async function withStore(factory: BackendFactory, fn: (store: Store, backend: Backend) => Promise<void>): Promise<void> {
  const backend = factory();
  try {
    const store = await backend.open();
    try {
      await fn(store, backend);
    } finally {
      await store.close();
    }
  } finally {
    await backend.dispose();
  }
}

/** An INSERT of one entity row, for filling a store at an older schema version. */
export const insertSql = (account: string, kind: string, key: string, doc: unknown, ref: string | null = null) =>
  `INSERT INTO entities (account, kind, key, ref, doc) VALUES ('${account}', '${kind}', '${key}', ${ref === null ? 'NULL' : `'${ref}'`}, '${JSON.stringify(doc)}')`;

/** The store's schema at `version` (2: before counters, 4: before ref counters, 5: before the role sessions' index), holding `fill`'s rows, then closed. */
export async function atVersion(version: number, backend: Backend, fill: string[]): Promise<void> {
  const before = MIGRATIONS.filter((m) => m.version <= version);
  if (backend.config.kind === 'sqlite') {
    const db = openConnection(join(backend.config.dir, SQLITE_FILE_NAME), { readonly: false, busyTimeoutMs: 1000 });
    try {
      migrateSqlite(db, before, backend.config.eventLog === true ? 'event-log' : 'entities');
      for (const sql of fill) db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${backend.config.schema}` });
  await client.connect();
  try {
    await migratePostgres(client as unknown as pg.PoolClient, backend.config.schema, before);
    for (const sql of fill) await client.query(sql);
  } finally {
    await client.end();
  }
}

// Opening the store iamd runs on: the embedded SQLite file by default, PostgreSQL when a database URL
// is set. Migrations run before the store is handed out.

import { openPostgresStore } from './postgres/postgres-store.ts';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

/**
 * `eventLog: true` (SQLite only): the event log's own file. A commit is not fsynced, so a power cut (never
 * a process crash) may take the last commits away — its data was never promised durable when a client
 * was answered; and its entities live in a rowid table, whose key index holds no documents
 * (migrations.ts, version 7), because its documents are blocks of events of about 125 kB.
 */
export type StoreConfig = { kind: 'sqlite'; dir: string; eventLog?: boolean } | { kind: 'postgres'; url: string; schema?: string };

export function openStore(config: StoreConfig): Promise<Store> {
  return config.kind === 'sqlite'
    ? openSqliteStore(config.dir, config.eventLog === true ? { eventLog: true } : {})
    : openPostgresStore(config.url, config.schema === undefined ? {} : { schema: config.schema });
}

/**
 * The one rule for which store a deployment uses, for every command that opens one: PostgreSQL when a
 * database URL is set (in `databaseSchema`, when given), otherwise SQLite in the data folder.
 */
export function storeConfigOf(settings: { dataDir: string; databaseUrl?: string | undefined; databaseSchema?: string | undefined }): StoreConfig {
  const { dataDir, databaseUrl, databaseSchema } = settings;
  if (!databaseUrl) return { kind: 'sqlite', dir: dataDir };
  return databaseSchema ? { kind: 'postgres', url: databaseUrl, schema: databaseSchema } : { kind: 'postgres', url: databaseUrl };
}

/**
 * Where the event log lives (docs/audit.md): on SQLite a database file of its own (`events/` in the data
 * folder), so that a second of recorded calls — a write per call — never lands in the WAL every read
 * of the entities goes through, and so that the writes of the log and of the entities do not wait for
 * each other's lock; on PostgreSQL the same database, which has no single WAL file to keep small.
 */
export function eventStoreConfigOf(settings: { dataDir: string; databaseUrl?: string | undefined; databaseSchema?: string | undefined }): StoreConfig {
  const main = storeConfigOf(settings);
  // Events wait up to a second in memory before they are written at all (src/audit/log.ts): an fsync per
  // flush would block the event loop for the disk and make them no safer than that second already does.
  return main.kind === 'sqlite' ? { kind: 'sqlite', dir: join(settings.dataDir, EVENTS_FOLDER), eventLog: true } : main;
}

/** The data folder's subfolder holding the event log's SQLite file. */
export const EVENTS_FOLDER = 'events';

export type { Entity, Job, KeyRef, ListOptions, Store, StoredEntity, Tx } from './types.ts';
export { EncodedDoc } from './codec.ts';
export { GLOBAL, StoreUnavailable, UniqueViolation, unavailableCause } from './types.ts';

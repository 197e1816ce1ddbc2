// Opening the store iamd runs on: the embedded SQLite file by default, PostgreSQL when
// IAMD_DATABASE_URL is set. Migrations run before the store is handed out.

import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

export type StoreConfig = { kind: 'sqlite'; dir: string } | { kind: 'postgres'; url: string; schema?: string };

export function openStore(config: StoreConfig): Promise<Store> {
  return config.kind === 'sqlite'
    ? openSqliteStore(config.dir)
    : openPostgresStore(config.url, config.schema === undefined ? {} : { schema: config.schema });
}

/**
 * The configuration the environment asks for: PostgreSQL at IAMD_DATABASE_URL (in the schema
 * IAMD_DATABASE_SCHEMA, if set), otherwise SQLite in `dataDir`.
 */
export function storeConfigFromEnv(env: Record<string, string | undefined>, dataDir: string): StoreConfig {
  const url = env.IAMD_DATABASE_URL;
  if (url === undefined || url === '') return { kind: 'sqlite', dir: dataDir };
  const schema = env.IAMD_DATABASE_SCHEMA;
  return schema === undefined || schema === '' ? { kind: 'postgres', url } : { kind: 'postgres', url, schema };
}

export type { Entity, Job, ListOptions, Store, Tx } from './types.ts';
export { GLOBAL, StoreUnavailable, UniqueViolation, unavailableCause } from './types.ts';

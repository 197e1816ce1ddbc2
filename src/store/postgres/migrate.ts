// Brings a PostgreSQL schema up to date. Several iamd nodes may start at once: they queue on an
// advisory lock (one per schema), and the first applies the missing migrations, each in its own
// transaction, while the others then find nothing left to do.

import type { PoolClient } from 'pg';
import { assertMigrationsOrdered, type Migration } from '../migrations.ts';

/** Advisory lock namespace: "iamd" in ASCII. */
const LOCK_NAMESPACE = 0x69616d64;

export async function migrate(client: PoolClient, schema: string | undefined, migrations: readonly Migration[]): Promise<void> {
  assertMigrationsOrdered(migrations);
  const lockArgs = [LOCK_NAMESPACE, schema ?? ''];
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', lockArgs);
  try {
    // The schema name was validated as a plain lower-case identifier (see postgres-store.ts).
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known) {
      throw new Error(`store: the database is at schema version ${newest}, newer than this iamd knows (${known})`);
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.postgres);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', lockArgs);
  }
}

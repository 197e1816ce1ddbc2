// Opening the SQLite file and bringing its schema up to date.

import Database from 'better-sqlite3';
import { assertMigrationsOrdered, type Migration, type SqliteFile, sqliteTextOf } from '../migrations.ts';

export interface ConnectionOptions {
  readonly: boolean;
  /** How long a statement waits for another process's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** fsync every commit (synchronous = FULL); false: NORMAL, for data a power cut may lose. */
  syncCommits?: boolean;
}

export function openConnection(file: string, options: ConnectionOptions): Database.Database {
  // `timeout` is SQLite's busy_timeout: several processes on one file queue on the lock instead of failing.
  const db = new Database(file, { readonly: options.readonly, timeout: options.busyTimeoutMs });
  if (!options.readonly) {
    // WAL: readers never block the writer nor the writer readers, and a commit appends to the log
    // instead of rewriting pages in place, so a crash leaves either the whole transaction or none.
    db.pragma('journal_mode = WAL');
    // FULL, not NORMAL: with NORMAL a commit is not fsynced, so a power loss (not a process crash)
    // can lose the last transactions after iamd already answered 200 for them. A committed write
    // here is an API call whose success the client saw; it must survive. The cost is one fsync per
    // write transaction; reads are unaffected. Only a store of data never promised durable (the
    // event log's) opts out: NORMAL in WAL mode is still crash-safe, only not power-cut-safe.
    db.pragma(options.syncCommits === false ? 'synchronous = NORMAL' : 'synchronous = FULL');
    // Each member of a group commit runs in a SAVEPOINT, and each statement whose triggers update the
    // counters in a statement transaction: SQLite keeps what they may have to undo in a sub-journal,
    // by default a temporary file once it outgrows 64 KiB — several write syscalls per request. In
    // memory instead: only ROLLBACK TO reads it, never crash recovery (the WAL alone is that), so
    // durability is unchanged.
    db.pragma('temp_store = MEMORY');
  }
  return db;
}

/**
 * Applies the missing migrations, each in its own IMMEDIATE transaction that re-checks whether it is
 * still missing, so several processes starting on one file at once apply each exactly once. `file`
 * says which of a migration's texts runs: the event log's file differs from version 7.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: SqliteFile = 'entities'): void {
  assertMigrationsOrdered(migrations);
  inImmediateTransaction(db, () => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
  });
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck(true);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newest = db.prepare('SELECT max(version) FROM schema_migrations').pluck(true).get() as number | null;
  const known = migrations.at(-1)?.version ?? 0;
  if (newest !== null && newest > known) {
    throw new Error(`store: the database is at schema version ${newest}, newer than this iamd knows (${known})`);
  }
  for (const m of migrations) {
    if (newest !== null && m.version <= newest && isApplied.get(m.version) !== undefined) continue;
    inImmediateTransaction(db, () => {
      if (isApplied.get(m.version) !== undefined) return;
      db.exec(sqliteTextOf(m, file));
      record.run(m.version, m.name, new Date().toISOString());
    });
  }
}

function inImmediateTransaction(db: Database.Database, fn: () => void): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    fn();
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

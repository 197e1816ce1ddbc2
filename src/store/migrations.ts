// The schema, as an append-only list of versioned migrations. Each runs in its own transaction and
// is recorded in `schema_migrations`, so a start applies exactly the missing ones; never edit a
// released migration — add the next version.
//
// The two dialects describe the same model:
// - entities: one JSON document per (account, kind, key); `ref` is the reverse-lookup column.
//   Keys compare bytewise (SQLite BINARY, PostgreSQL COLLATE "C") so order and prefix ranges agree
//   on both databases whatever the server's locale.
// - generations: the per-account authorization generation counter.
// - jobs: durable background jobs with their lease.
// - access_usage: Access Advisor's last-accessed data, one row per (account, principal, service
//   namespace, action, region) holding the latest time; written only by upserts that keep the later
//   time, so nodes sharing the database never move a date backwards.

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'entities, generations, jobs',
    sqlite: `
      CREATE TABLE entities (
        account TEXT NOT NULL,
        kind    TEXT NOT NULL,
        key     TEXT NOT NULL,
        ref     TEXT,
        doc     TEXT NOT NULL,
        PRIMARY KEY (account, kind, key)
      ) WITHOUT ROWID;
      CREATE INDEX entities_by_ref ON entities (account, kind, ref, key);
      CREATE TABLE generations (
        account TEXT PRIMARY KEY,
        n       INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        type        TEXT NOT NULL,
        account     TEXT NOT NULL,
        run_at      INTEGER NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until INTEGER,
        payload     TEXT NOT NULL
      );
      CREATE INDEX jobs_due ON jobs (type, run_at);
      CREATE INDEX jobs_by_account ON jobs (account);
    `,
    postgres: `
      CREATE TABLE entities (
        account TEXT COLLATE "C" NOT NULL,
        kind    TEXT COLLATE "C" NOT NULL,
        key     TEXT COLLATE "C" NOT NULL,
        ref     TEXT COLLATE "C",
        doc     TEXT NOT NULL,
        PRIMARY KEY (account, kind, key)
      );
      CREATE INDEX entities_by_ref ON entities (account, kind, ref, key);
      CREATE TABLE generations (
        account TEXT COLLATE "C" PRIMARY KEY,
        n       BIGINT NOT NULL
      );
      CREATE TABLE jobs (
        id          TEXT COLLATE "C" PRIMARY KEY,
        type        TEXT COLLATE "C" NOT NULL,
        account     TEXT COLLATE "C" NOT NULL,
        run_at      BIGINT NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until BIGINT,
        payload     TEXT NOT NULL
      );
      CREATE INDEX jobs_due ON jobs (type, run_at);
      CREATE INDEX jobs_by_account ON jobs (account);
    `,
  },
  {
    version: 2,
    name: 'secrets sealed at rest',
    // No table changes. From here on secrets are sealed (src/secrets/), and an older iamd would take a
    // sealed secret for the secret itself and answer every signature wrongly; the version alone makes
    // it refuse this database at start instead. The sealing itself needs the master key, so it runs
    // when iamd opens its secrets, once per store (src/secrets/at-rest.ts).
    sqlite: '',
    postgres: '',
  },
  {
    version: 3,
    name: 'access advisor last-accessed data',
    sqlite: `
      CREATE TABLE access_usage (
        account       TEXT NOT NULL,
        principal     TEXT NOT NULL,
        namespace     TEXT NOT NULL,
        action        TEXT NOT NULL,
        region        TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        last_used     INTEGER NOT NULL,
        PRIMARY KEY (account, principal, namespace, action, region)
      ) WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE access_usage (
        account       TEXT COLLATE "C" NOT NULL,
        principal     TEXT COLLATE "C" NOT NULL,
        namespace     TEXT COLLATE "C" NOT NULL,
        action        TEXT COLLATE "C" NOT NULL,
        region        TEXT COLLATE "C" NOT NULL,
        principal_arn TEXT NOT NULL,
        last_used     BIGINT NOT NULL,
        PRIMARY KEY (account, principal, namespace, action, region)
      );
    `,
  },
];

/** Checks the list's own invariant: versions strictly increase (a bad edit fails at start, loudly). */
export function assertMigrationsOrdered(list: readonly Migration[] = MIGRATIONS): void {
  list.forEach((m, i) => {
    if (i > 0 && m.version <= list[i - 1].version) {
      throw new Error(`migration ${m.version} (${m.name}) is out of order`);
    }
  });
}

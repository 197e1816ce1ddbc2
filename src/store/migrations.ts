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
// - entity_counts (version 4): how many entities of each counted kind an account holds, kept by
//   triggers in the transaction that inserts or deletes them (see counters.ts).
// - ref_counts (version 5): how many entities of a few kinds hold each ref (a policy's attachments and
//   boundary uses), kept the same way; a row exists only while its count is above 0.
// - version 6 adds no table: it back-fills the role sessions' index (entities of kind sts-role-session).
// - version 7 changes only the event log's own SQLite file (src/store/index.ts): its entities table
//   becomes a rowid table. A WITHOUT ROWID table keeps each row whole in its key's B-tree, and an
//   event block is about 125 kB, so every seek compared keys against rows read whole from their
//   overflow pages; a rowid table's key index holds the keys alone.
// - version 8 adds no table: it back-fills the sessions' expiry index (entities of kind
//   sts-session-expiry), by which expired sessions are purged.

import { arrayCounterName, COUNTED_ARRAYS_V4, COUNTED_KINDS_V4, COUNTED_WITH_REF_V4, REF_COUNTED_KINDS_V5, WITH_REF_SUFFIX } from './counters.ts';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  /** Run instead of `sqlite` on the event log's own file, where the two differ. */
  sqliteEventLog?: string;
  postgres: string;
}

/** Which of a migration's SQLite texts a file runs: the entities' file's or the event log's. */
export type SqliteFile = 'entities' | 'event-log';

export const sqliteTextOf = (m: Migration, file: SqliteFile): string => (file === 'event-log' ? (m.sqliteEventLog ?? m.sqlite) : m.sqlite);

/** The entities table's columns and key on SQLite, as version 1 made them and version 7 makes them again. */
const SQLITE_ENTITY_COLUMNS = `
        account TEXT NOT NULL,
        kind    TEXT NOT NULL,
        key     TEXT NOT NULL,
        ref     TEXT,
        doc     TEXT NOT NULL,
        PRIMARY KEY (account, kind, key)
      `;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'entities, generations, jobs',
    sqlite: `
      CREATE TABLE entities (${SQLITE_ENTITY_COLUMNS}) WITHOUT ROWID;
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
  {
    version: 4,
    name: 'entity counters',
    sqlite: sqliteCounters(),
    postgres: postgresCounters(),
  },
  {
    version: 5,
    name: 'ref counters',
    sqlite: sqliteRefCounters(),
    postgres: postgresRefCounters(),
  },
  {
    version: 6,
    name: "role sessions indexed by role",
    // Every role session already stored gets its entry in its role's index (src/sts/sessions.ts:
    // kind sts-role-session under the session's account, key `<role ARN> <expiry, 13 digits> <access
    // key id>`), which a service-linked role's deletion now reads instead of the account's every session.
    sqlite: `
      INSERT OR IGNORE INTO entities (account, kind, key, ref, doc)
        SELECT json_extract(doc, '$.account'), 'sts-role-session',
               json_extract(doc, '$.role.roleArn') || ' ' || printf('%013d', CAST(json_extract(doc, '$.expiresAt') AS INTEGER)) || ' ' || key,
               NULL, '{}'
        FROM entities
        WHERE account = '' AND kind = 'sts-session' AND json_extract(doc, '$.role.roleArn') IS NOT NULL;
    `,
    postgres: `
      INSERT INTO entities (account, kind, key, ref, doc)
        SELECT (doc::json)->>'account', 'sts-role-session',
               ((doc::json)->'role'->>'roleArn') || ' ' || lpad((((doc::json)->>'expiresAt')::numeric)::bigint::text, 13, '0') || ' ' || key,
               NULL, '{}'
        FROM entities
        WHERE account = '' AND kind = 'sts-session' AND (doc::json)->'role'->>'roleArn' IS NOT NULL
      ON CONFLICT DO NOTHING;
    `,
  },
  {
    version: 7,
    name: "the event log's entities in a rowid table",
    // The same columns, key and index; the rows copied as they are, so the counters stay right, and
    // the triggers that keep them made again (dropping the old table took them).
    sqlite: '',
    sqliteEventLog: `
      CREATE TABLE entities_rowid (${SQLITE_ENTITY_COLUMNS});
      INSERT INTO entities_rowid (account, kind, key, ref, doc) SELECT account, kind, key, ref, doc FROM entities ORDER BY account, kind, key;
      DROP TABLE entities;
      ALTER TABLE entities_rowid RENAME TO entities;
      CREATE INDEX entities_by_ref ON entities (account, kind, ref, key);
      ${sqliteCounterTriggers()}
      ${sqliteRefCounterTriggers()}
    `,
    // PostgreSQL's tables are heaps beside their key indexes already, and keep large values out of line.
    postgres: '',
  },
  {
    version: 8,
    name: 'sessions indexed by expiry',
    // Every session already stored gets its entry (src/sts/sessions.ts: GLOBAL, key `<expiry, 13 digits>
    // <access key id>`). A role session's names its entry in its role's index: found from that entry,
    // whose key ends with the session's key id after the 13 digits (an ARN holds no space; a session
    // ended early has a later expiry there than in its record), then every other session's with none.
    // Each statement reads the table once and looks sessions up by key: linear in the sessions.
    sqlite: `
      INSERT OR IGNORE INTO entities (account, kind, key, ref, doc)
        SELECT '', 'sts-session-expiry',
               printf('%013d', CAST(json_extract(s.doc, '$.expiresAt') AS INTEGER)) || ' ' || s.key,
               r.account || ' ' || r.key, '{}'
        FROM entities r JOIN entities s ON s.account = '' AND s.kind = 'sts-session' AND s.key = substr(r.key, instr(r.key, ' ') + 15)
        WHERE r.kind = 'sts-role-session';
      INSERT OR IGNORE INTO entities (account, kind, key, ref, doc)
        SELECT '', 'sts-session-expiry', printf('%013d', CAST(json_extract(doc, '$.expiresAt') AS INTEGER)) || ' ' || key, NULL, '{}'
        FROM entities
        WHERE account = '' AND kind = 'sts-session';
    `,
    // Statistics first: on a table never analyzed the planner guessed one session and one index entry,
    // and joined them by scanning one side once per row of the other (389 s over 20,000 sessions of one
    // role). OFFSET 0 keeps the LATERAL subquery a look-up by key for each index entry.
    postgres: `
      ANALYZE entities;
      INSERT INTO entities (account, kind, key, ref, doc)
        SELECT '', 'sts-session-expiry',
               lpad((((s.doc::json)->>'expiresAt')::numeric)::bigint::text, 13, '0') || ' ' || s.key,
               r.account || ' ' || r.key, '{}'
        FROM entities r
        CROSS JOIN LATERAL (
          SELECT doc, key FROM entities WHERE account = '' AND kind = 'sts-session' AND key = substr(r.key, strpos(r.key, ' ') + 15) OFFSET 0
        ) s
        WHERE r.kind = 'sts-role-session'
      ON CONFLICT DO NOTHING;
      INSERT INTO entities (account, kind, key, ref, doc)
        SELECT '', 'sts-session-expiry', lpad((((doc::json)->>'expiresAt')::numeric)::bigint::text, 13, '0') || ' ' || key, NULL, '{}'
        FROM entities
        WHERE account = '' AND kind = 'sts-session'
      ON CONFLICT DO NOTHING;
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

// Version 4's SQL. The kinds are written into the triggers, so these lists are frozen with the
// migration; counting anything else takes a new migration (and its back-fill).
function quoted(list: readonly string[]): string {
  return list.map((k) => `'${k}'`).join(', ');
}

/** Version 4's back-fill of the array counters, with the dialect's length of a document's array. */
function arrayCounterBackfill(length: (row: string, field: string) => string): string {
  return COUNTED_ARRAYS_V4.map(
    ({ kind, field }) => `
    INSERT INTO entity_counts (account, kind, n)
      SELECT account, '${arrayCounterName(kind, field)}', sum(${length('entities', field)}) FROM entities
      WHERE account <> '' AND kind = '${kind}' GROUP BY account;`,
  ).join('');
}

function sqliteCounters(): string {
  const kinds = quoted(COUNTED_KINDS_V4);
  const withRef = quoted(COUNTED_WITH_REF_V4);
  const arrays = arrayCounterBackfill(sqliteArrayLength);
  return `
    CREATE TABLE entity_counts (
      account TEXT NOT NULL,
      kind    TEXT NOT NULL,
      n       INTEGER NOT NULL,
      PRIMARY KEY (account, kind)
    ) WITHOUT ROWID;
    INSERT INTO entity_counts (account, kind, n)
      SELECT account, kind, count(*) FROM entities WHERE account <> '' AND kind IN (${kinds}) GROUP BY account, kind;
    INSERT INTO entity_counts (account, kind, n)
      SELECT account, kind || '${WITH_REF_SUFFIX}', count(*) FROM entities
      WHERE account <> '' AND kind IN (${withRef}) AND ref IS NOT NULL GROUP BY account, kind;${arrays}
    ${sqliteCounterTriggers()}
  `;
}

function sqliteArrayLength(row: string, field: string): string {
  return `coalesce(json_array_length(${row}.doc, '$.${field}'), 0)`;
}

/** Version 4's triggers on entities, apart from its table and back-fill: version 7 makes them again. */
function sqliteCounterTriggers(): string {
  const kinds = quoted(COUNTED_KINDS_V4);
  const withRef = quoted(COUNTED_WITH_REF_V4);
  const arrays = COUNTED_ARRAYS_V4.map(({ kind, field }) => {
    const name = `'${arrayCounterName(kind, field)}'`;
    return `
    CREATE TRIGGER entities_counted_${field}_insert AFTER INSERT ON entities
      WHEN NEW.account <> '' AND NEW.kind = '${kind}'
    BEGIN
      INSERT INTO entity_counts (account, kind, n) VALUES (NEW.account, ${name}, ${sqliteArrayLength('NEW', field)})
        ON CONFLICT (account, kind) DO UPDATE SET n = n + excluded.n;
    END;
    CREATE TRIGGER entities_counted_${field}_update AFTER UPDATE OF doc ON entities
      WHEN NEW.account <> '' AND NEW.kind = '${kind}'
    BEGIN
      UPDATE entity_counts SET n = n + ${sqliteArrayLength('NEW', field)} - ${sqliteArrayLength('OLD', field)} WHERE account = NEW.account AND kind = ${name};
    END;
    CREATE TRIGGER entities_counted_${field}_delete AFTER DELETE ON entities
      WHEN OLD.account <> '' AND OLD.kind = '${kind}'
    BEGIN
      UPDATE entity_counts SET n = n - ${sqliteArrayLength('OLD', field)} WHERE account = OLD.account AND kind = ${name};
    END;`;
  }).join('');
  return `
    CREATE TRIGGER entities_counted_insert AFTER INSERT ON entities
      WHEN NEW.account <> '' AND NEW.kind IN (${kinds})
    BEGIN
      INSERT INTO entity_counts (account, kind, n) VALUES (NEW.account, NEW.kind, 1)
        ON CONFLICT (account, kind) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER entities_counted_delete AFTER DELETE ON entities
      WHEN OLD.account <> '' AND OLD.kind IN (${kinds})
    BEGIN
      UPDATE entity_counts SET n = n - 1 WHERE account = OLD.account AND kind = OLD.kind;
    END;
    CREATE TRIGGER entities_counted_ref_insert AFTER INSERT ON entities
      WHEN NEW.account <> '' AND NEW.kind IN (${withRef}) AND NEW.ref IS NOT NULL
    BEGIN
      INSERT INTO entity_counts (account, kind, n) VALUES (NEW.account, NEW.kind || '${WITH_REF_SUFFIX}', 1)
        ON CONFLICT (account, kind) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER entities_counted_ref_update AFTER UPDATE OF ref ON entities
      WHEN NEW.account <> '' AND NEW.kind IN (${withRef}) AND ((OLD.ref IS NULL) <> (NEW.ref IS NULL))
    BEGIN
      INSERT INTO entity_counts (account, kind, n)
        VALUES (NEW.account, NEW.kind || '${WITH_REF_SUFFIX}', CASE WHEN NEW.ref IS NULL THEN -1 ELSE 1 END)
        ON CONFLICT (account, kind) DO UPDATE SET n = n + excluded.n;
    END;
    CREATE TRIGGER entities_counted_ref_delete AFTER DELETE ON entities
      WHEN OLD.account <> '' AND OLD.kind IN (${withRef}) AND OLD.ref IS NOT NULL
    BEGIN
      UPDATE entity_counts SET n = n - 1 WHERE account = OLD.account AND kind = OLD.kind || '${WITH_REF_SUFFIX}';
    END;${arrays}
  `;
}

function postgresCounters(): string {
  const kinds = quoted(COUNTED_KINDS_V4);
  const withRef = quoted(COUNTED_WITH_REF_V4);
  const length = (row: string, field: string): string => `coalesce(json_array_length((${row}.doc::json)->'${field}'), 0)`;
  const arrayCases = (row: 'NEW' | 'OLD', sign: string): string =>
    COUNTED_ARRAYS_V4.map(
      ({ kind, field }) => `
        IF ${row}.kind = '${kind}' THEN
          PERFORM iamd_add_count(${row}.account, '${arrayCounterName(kind, field)}', ${sign}${length(row, field)});
        END IF;`,
    ).join('');
  const arrayKinds = quoted(COUNTED_ARRAYS_V4.map((a) => a.kind));
  const backfillArrays = arrayCounterBackfill(length);
  return `
    CREATE TABLE entity_counts (
      account TEXT COLLATE "C" NOT NULL,
      kind    TEXT COLLATE "C" NOT NULL,
      n       BIGINT NOT NULL,
      PRIMARY KEY (account, kind)
    );
    INSERT INTO entity_counts (account, kind, n)
      SELECT account, kind, count(*) FROM entities WHERE account <> '' AND kind IN (${kinds}) GROUP BY account, kind;
    INSERT INTO entity_counts (account, kind, n)
      SELECT account, kind || '${WITH_REF_SUFFIX}', count(*) FROM entities
      WHERE account <> '' AND kind IN (${withRef}) AND ref IS NOT NULL GROUP BY account, kind;${backfillArrays}
    CREATE FUNCTION iamd_add_count(a TEXT, k TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
      INSERT INTO entity_counts (account, kind, n) VALUES (a, k, delta)
        ON CONFLICT (account, kind) DO UPDATE SET n = entity_counts.n + delta;
    $$;
    CREATE FUNCTION iamd_count_entity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.account <> '' THEN
        IF TG_OP = 'DELETE' AND OLD.kind IN (${kinds}) THEN PERFORM iamd_add_count(OLD.account, OLD.kind, -1); END IF;
        IF OLD.kind IN (${withRef}) AND OLD.ref IS NOT NULL THEN
          PERFORM iamd_add_count(OLD.account, OLD.kind || '${WITH_REF_SUFFIX}', -1);
        END IF;${arrayCases('OLD', '-')}
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.account <> '' THEN
        IF TG_OP = 'INSERT' AND NEW.kind IN (${kinds}) THEN PERFORM iamd_add_count(NEW.account, NEW.kind, 1); END IF;
        IF NEW.kind IN (${withRef}) AND NEW.ref IS NOT NULL THEN
          PERFORM iamd_add_count(NEW.account, NEW.kind || '${WITH_REF_SUFFIX}', 1);
        END IF;${arrayCases('NEW', '')}
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER entities_counted_insert AFTER INSERT ON entities FOR EACH ROW
      WHEN (NEW.account <> '' AND NEW.kind IN (${kinds})) EXECUTE FUNCTION iamd_count_entity();
    CREATE TRIGGER entities_counted_delete AFTER DELETE ON entities FOR EACH ROW
      WHEN (OLD.account <> '' AND OLD.kind IN (${kinds})) EXECUTE FUNCTION iamd_count_entity();
    CREATE TRIGGER entities_counted_update AFTER UPDATE ON entities FOR EACH ROW
      WHEN (NEW.account <> '' AND NEW.kind IN (${withRef}, ${arrayKinds})) EXECUTE FUNCTION iamd_count_entity();
  `;
}

// Version 5's SQL: per-ref counters of the kinds of REF_COUNTED_KINDS_V5, frozen with the migration.
// A count that reaches 0 deletes its row, so the table holds exactly the refs in use.

function sqliteRefCounters(): string {
  const kinds = quoted(REF_COUNTED_KINDS_V5);
  return `
    CREATE TABLE ref_counts (
      account TEXT NOT NULL,
      kind    TEXT NOT NULL,
      ref     TEXT NOT NULL,
      n       INTEGER NOT NULL,
      PRIMARY KEY (account, kind, ref)
    ) WITHOUT ROWID;
    INSERT INTO ref_counts (account, kind, ref, n)
      SELECT account, kind, ref, count(*) FROM entities WHERE kind IN (${kinds}) AND ref IS NOT NULL GROUP BY account, kind, ref;
    ${sqliteRefCounterTriggers()}
  `;
}

/** Version 5's triggers on entities, apart from its table and back-fill: version 7 makes them again. */
function sqliteRefCounterTriggers(): string {
  const kinds = quoted(REF_COUNTED_KINDS_V5);
  const add = (row: 'NEW' | 'OLD', delta: number): string => `
      INSERT INTO ref_counts (account, kind, ref, n) SELECT ${row}.account, ${row}.kind, ${row}.ref, ${delta} WHERE ${row}.ref IS NOT NULL
        ON CONFLICT (account, kind, ref) DO UPDATE SET n = n + excluded.n;
      DELETE FROM ref_counts WHERE account = ${row}.account AND kind = ${row}.kind AND ref = ${row}.ref AND n = 0;`;
  return `
    CREATE TRIGGER entities_ref_counted_insert AFTER INSERT ON entities
      WHEN NEW.kind IN (${kinds}) AND NEW.ref IS NOT NULL
    BEGIN${add('NEW', 1)}
    END;
    CREATE TRIGGER entities_ref_counted_delete AFTER DELETE ON entities
      WHEN OLD.kind IN (${kinds}) AND OLD.ref IS NOT NULL
    BEGIN${add('OLD', -1)}
    END;
    CREATE TRIGGER entities_ref_counted_update AFTER UPDATE OF ref ON entities
      WHEN NEW.kind IN (${kinds}) AND OLD.ref IS NOT NEW.ref
    BEGIN${add('OLD', -1)}${add('NEW', 1)}
    END;
  `;
}

function postgresRefCounters(): string {
  const kinds = quoted(REF_COUNTED_KINDS_V5);
  return `
    CREATE TABLE ref_counts (
      account TEXT COLLATE "C" NOT NULL,
      kind    TEXT COLLATE "C" NOT NULL,
      ref     TEXT COLLATE "C" NOT NULL,
      n       BIGINT NOT NULL,
      PRIMARY KEY (account, kind, ref)
    );
    INSERT INTO ref_counts (account, kind, ref, n)
      SELECT account, kind, ref, count(*) FROM entities WHERE kind IN (${kinds}) AND ref IS NOT NULL GROUP BY account, kind, ref;
    CREATE FUNCTION iamd_add_ref_count(a TEXT, k TEXT, r TEXT, delta BIGINT) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF delta > 0 THEN
        INSERT INTO ref_counts (account, kind, ref, n) VALUES (a, k, r, delta)
          ON CONFLICT (account, kind, ref) DO UPDATE SET n = ref_counts.n + delta;
      ELSE
        DELETE FROM ref_counts WHERE account = a AND kind = k AND ref = r AND n = -delta;
        IF NOT FOUND THEN
          UPDATE ref_counts SET n = n + delta WHERE account = a AND kind = k AND ref = r;
        END IF;
      END IF;
    END $$;
    CREATE FUNCTION iamd_count_ref() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.ref IS NOT NULL THEN PERFORM iamd_add_ref_count(OLD.account, OLD.kind, OLD.ref, -1); END IF;
      IF TG_OP <> 'DELETE' AND NEW.ref IS NOT NULL THEN PERFORM iamd_add_ref_count(NEW.account, NEW.kind, NEW.ref, 1); END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER entities_ref_counted_insert AFTER INSERT ON entities FOR EACH ROW
      WHEN (NEW.kind IN (${kinds}) AND NEW.ref IS NOT NULL) EXECUTE FUNCTION iamd_count_ref();
    CREATE TRIGGER entities_ref_counted_delete AFTER DELETE ON entities FOR EACH ROW
      WHEN (OLD.kind IN (${kinds}) AND OLD.ref IS NOT NULL) EXECUTE FUNCTION iamd_count_ref();
    CREATE TRIGGER entities_ref_counted_update AFTER UPDATE OF ref ON entities FOR EACH ROW
      WHEN (NEW.kind IN (${kinds}) AND OLD.ref IS DISTINCT FROM NEW.ref) EXECUTE FUNCTION iamd_count_ref();
  `;
}

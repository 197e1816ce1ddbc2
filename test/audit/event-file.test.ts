// The event log's own SQLite file: events go there and not into the entities' file, survive a restart
// and are found by LookupEvents afterwards; events an older iamd left in the main file are converted
// into blocks at start-up (with those an older iamd stored one a row in the event file) and found too. On PostgreSQL the events stay in the one database, and LookupEvents finds
// them there. Successful reads are recorded by default, and not with --audit-read-events=false.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import pg from 'pg';
import { AUDIT_BLOCK_KIND, AUDIT_EVENT_KIND, eventKey, type StoredEvent } from '../../src/audit/index.ts';
import { EVENTS_FOLDER, eventStoreConfigOf, openStore } from '../../src/store/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { trust } from '../helpers/iam.ts';
import { startServer, tempDir, type TestServer } from '../helpers/server.ts';
import { POSTGRES_URL } from '../store/harness.ts';

const byName = async (server: TestServer, name: string): Promise<Event[]> =>
  (await server.client(CloudTrailClient).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }))).Events ?? [];

const recorded = (server: TestServer, name: string) => eventually(`a ${name} event`, () => byName(server, name), (events) => events.length > 0);

describe('the event log in a file of its own', () => {
  const dataDir = tempDir();
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('events are written to events/ and not the main file, survive a restart and are found by LookupEvents', async () => {
    const first = await startServer(['--data-dir', dataDir]);
    try {
      await first.iam().send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
      await recorded(first, 'CreateRole');
      assert.ok(existsSync(join(dataDir, EVENTS_FOLDER, 'iamd.sqlite')));
      assert.equal((await first.iamd.store.read((tx) => tx.list(ACCOUNT, AUDIT_EVENT_KIND))).length, 0, 'no event in the main file');
      assert.ok((await first.iamd.events.read((tx) => tx.list(ACCOUNT, AUDIT_BLOCK_KIND))).length > 0, 'blocks in the event file');
      assert.equal((await first.iamd.events.read((tx) => tx.list(ACCOUNT, AUDIT_EVENT_KIND))).length, 0, 'no event a row');
    } finally {
      await first.close();
    }
    const second = await startServer(['--data-dir', dataDir]);
    try {
      const events = await byName(second, 'CreateRole');
      assert.equal(events.length, 1);
      assert.equal(JSON.parse(events[0].CloudTrailEvent!).requestParameters.roleName, 'kept');
    } finally {
      await second.close();
    }
  });

  test('events an older iamd stored one a row, in the main file or the event file, become blocks at start-up', async () => {
    const dir = tempDir();
    try {
      const t = Date.now() - 60_000;
      const legacy = (id: string, at: number): StoredEvent => ({
        t: at, id, rq: 'legacy-request', s: 'iam', op: 'DeleteRole', r: 'us-east-1', ip: '127.0.0.1', ro: false,
        who: { k: 'Root', key: 'test' }, p: { roleName: 'old' },
      });
      // The main file as an iamd before the event file left it: events among the entities.
      const main = await openStore({ kind: 'sqlite', dir });
      const inMain = [legacy('legacy-main-1', t), legacy('legacy-main-2', t + 20)];
      await main.transaction(async (tx) => { for (const e of inMain) await tx.insert(ACCOUNT, AUDIT_EVENT_KIND, eventKey(e.t, e.id), e); });
      await main.close();
      // The event file as an iamd before blocks left it: events one a row, interleaved in time with the main file's,
      // one of them also in the main file (a move that crashed between copy and delete).
      const eventFile = await openStore(eventStoreConfigOf({ dataDir: dir }));
      const inEventFile = [legacy('legacy-file-1', t + 10), legacy('legacy-file-2', t + 30), inMain[0]!];
      await eventFile.transaction(async (tx) => { for (const e of inEventFile) await tx.insert(ACCOUNT, AUDIT_EVENT_KIND, eventKey(e.t, e.id), e); });
      await eventFile.close();

      const expected = ['legacy-file-2', 'legacy-main-2', 'legacy-file-1', 'legacy-main-1'];
      const server = await startServer(['--data-dir', dir]);
      try {
        const events = await byName(server, 'DeleteRole');
        assert.deepEqual(events.map((e) => e.EventId), expected, 'each once, newest first');
        assert.equal((await server.iamd.store.read((tx) => tx.list(ACCOUNT, AUDIT_EVENT_KIND))).length, 0, 'moved, not copied');
        assert.equal((await server.iamd.events.read((tx) => tx.list(ACCOUNT, AUDIT_EVENT_KIND))).length, 0, 'no event left a row');
      } finally {
        await server.close();
      }
      // A second start finds nothing left to convert and the events still there.
      const again = await startServer(['--data-dir', dir]);
      try {
        assert.deepEqual((await byName(again, 'DeleteRole')).map((e) => e.EventId), expected);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the event log on PostgreSQL', () => {
  const schema = `iamd_events_${randomBytes(6).toString('hex')}`;
  after(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  test('events stay in the database, survive a restart and are found by LookupEvents', async () => {
    // The data folder keeps the master key the secrets in the database are sealed under.
    const dir = tempDir();
    const args = ['--data-dir', dir, '--database-url', POSTGRES_URL, '--database-schema', schema];
    const first = await startServer(args);
    try {
      assert.equal(first.iamd.events, first.iamd.store, 'one database for entities and events');
      assert.equal(existsSync(join(dir, EVENTS_FOLDER)), false, 'no event file beside it');
      await first.iam().send(new CreateRoleCommand({ RoleName: 'on-postgres', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
      await recorded(first, 'CreateRole');
    } finally {
      await first.close();
    }
    // An event an iamd before blocks stored one a row in the schema: converted at the next start.
    const t = Date.now() - 60_000;
    const legacy: StoredEvent = {
      t, id: 'legacy-pg-event', rq: 'legacy-request', s: 'iam', op: 'DeleteRole', r: 'us-east-1', ip: '127.0.0.1', ro: false,
      who: { k: 'Root', key: 'test' }, p: { roleName: 'old' },
    };
    const database = await openStore({ kind: 'postgres', url: POSTGRES_URL, schema });
    await database.transaction((tx) => tx.insert(ACCOUNT, AUDIT_EVENT_KIND, eventKey(t, legacy.id), legacy));
    await database.close();
    const second = await startServer(args);
    try {
      const [event] = await byName(second, 'CreateRole');
      assert.equal(JSON.parse(event.CloudTrailEvent!).requestParameters.roleName, 'on-postgres');
      assert.deepEqual((await byName(second, 'DeleteRole')).map((e) => e.EventId), ['legacy-pg-event']);
      assert.equal((await second.iamd.events.read((tx) => tx.list(ACCOUNT, AUDIT_EVENT_KIND))).length, 0, 'no event left a row');
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('read events', () => {
  test('a successful read is recorded by default', async () => {
    const server = await startServer();
    try {
      await server.iam().send(new CreateRoleCommand({ RoleName: 'read-me', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
      await server.iam().send(new GetRoleCommand({ RoleName: 'read-me' }));
      const [event] = await recorded(server, 'GetRole');
      assert.equal(JSON.parse(event.CloudTrailEvent!).readOnly, true);
    } finally {
      await server.close();
    }
  });

  test('--audit-read-events=false leaves successful reads out, and still records writes', async () => {
    const server = await startServer(['--audit-read-events=false']);
    try {
      await server.iam().send(new GetRoleCommand({ RoleName: 'missing' })).catch(() => undefined);
      await server.iam().send(new CreateRoleCommand({ RoleName: 'read-me', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
      await server.iam().send(new GetRoleCommand({ RoleName: 'read-me' }));
      // The write after the read is recorded, so the flush that would have carried the read has happened.
      await recorded(server, 'CreateRole');
      const reads = await byName(server, 'GetRole');
      assert.equal(reads.length, 1, 'only the refused read (NoSuchEntity) is recorded');
      assert.equal(JSON.parse(reads[0].CloudTrailEvent!).errorCode, 'NoSuchEntity');
    } finally {
      await server.close();
    }
  });
});

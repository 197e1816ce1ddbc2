// The event log's writer over a real SQLite store: nothing is written until a flush, a flush writes
// every pending event in newest-first key order, events past the retention are purged by later
// flushes in bounded steps (every account in turn), and no secret member survives into what is stored.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { addEvents, AuditLog, encodedEvent, AUDIT_BLOCK_KIND, eventKey, listEvents, storedEvent, timeOfKey, toCloudTrailRecord, type CallRecord } from '../../src/audit/index.ts';
import { rootCaller } from '../../src/auth/callers.ts';
import * as iam from '../../src/iam/index.ts';
import { storeSecrets } from '../../src/server/secrets.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { tempDir } from '../helpers/server.ts';

const DAY = 24 * 3600_000;

function call(account: string, at: number, operation = 'CreateUser', input: Record<string, unknown> = { UserName: 'u' }, output?: unknown): CallRecord {
  return {
    service: 'iam',
    operation,
    readOnly: false,
    input,
    output,
    resources: [`arn:aws:iam::${account}:user/u`, '*'],
    ctx: {
      requestId: 'req', caller: rootCaller(account, 'AKIAROOT'), account, region: 'us-east-1', now: new Date(at), sourceIp: '10.0.0.1', secureTransport: true,
    },
  };
}

describe('AuditLog', () => {
  let store: Store;
  let dir: string;

  before(async () => {
    dir = tempDir();
    store = await openStore({ kind: 'sqlite', dir });
    const secrets = await storeSecrets(store, { dataDir: dir });
    await store.transaction(async (tx) => {
      await iam.createAccount(tx, secrets, A);
      await iam.createAccount(tx, secrets, B);
    });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const accounts = (after: string | undefined, limit: number) => store.read((tx) => iam.listAccountIds(tx, after, limit));
  const stored = (account: string) => store.read((tx) => listEvents(tx, account, '', 100_000));

  test('successful reads are recorded only when read events are asked for; writes and refusals always', async () => {
    const account = '333333333333';
    const now = Date.now();
    const read = { ...call(account, now, 'GetUser'), readOnly: true };
    const refusedRead = { ...read, error: new Error('denied') };
    const write = call(account, now + 1, 'CreateUser');
    const serviceSession = {
      roleArn: `arn:aws:iam::${account}:role/aws-service-role/memorydb.amazonaws.com/AWSServiceRoleForMemoryDB`,
      roleName: 'AWSServiceRoleForMemoryDB', roleId: 'AROAEXAMPLE', sessionName: 'memorydb', issuedAt: now, expiresAt: now + 900_000,
      sessionPolicies: [], tags: {}, viaService: 'memorydb.amazonaws.com',
    };
    const serviceRead = { ...read, ctx: { ...read.ctx, caller: { ...read.ctx.caller, session: serviceSession } } };
    const writeOnly = new AuditLog(store, { accounts, intervalMs: 3_600_000 });
    for (const c of [read, refusedRead, write, serviceRead]) writeOnly.record(c);
    await writeOnly.close();
    assert.equal((await stored(account)).length, 3, 'only the client\'s successful read is left out');
    const everything = new AuditLog(store, { accounts, intervalMs: 3_600_000, readEvents: true });
    everything.record(read);
    await everything.close();
    assert.equal((await stored(account)).length, 4);
  });

  test('keys sort newest first, then by event id', () => {
    const older = eventKey(1_700_000_000_000, 'b');
    const newer = eventKey(1_700_000_000_001, 'a');
    assert.ok(newer < older);
    assert.ok(eventKey(1_700_000_000_000, 'a') < older);
    assert.equal(timeOfKey(older), 1_700_000_000_000);
    assert.ok(Number.isNaN(timeOfKey('nonsense')));
  });

  test('events wait in memory until a flush writes them all in one go', async () => {
    const log = new AuditLog(store, { accounts, intervalMs: 3600_000 });
    const now = Date.now();
    for (let i = 0; i < 5; i++) log.record(call(A, now + i));
    assert.equal((await stored(A)).length, 0);
    await log.close();
    const events = await stored(A);
    assert.equal(events.length, 5);
    assert.deepEqual(events.map((e) => timeOfKey(e.key)), [4, 3, 2, 1, 0].map((i) => now + i));
  });

  test('an event older than what a flush wrote before joins that block: blocks never overlap, and adding again changes nothing', async () => {
    const account = '444444444444';
    const log = new AuditLog(store, { accounts, intervalMs: 3600_000 });
    const now = Date.now();
    for (let i = 0; i < 600; i += 2) log.record(call(account, now + i));
    await log.flush();
    // Calls that started before the last flush ended after it (an event's time is its request's start).
    log.record(call(account, now + 301));
    log.record(call(account, now + 599));
    log.record(call(account, now + 1000));
    await log.close();
    const events = await stored(account);
    assert.equal(events.length, 303);
    assert.ok(events.every((e, i) => i === 0 || events[i - 1]!.key < e.key), 'newest first, each once');
    // Listing from any key gives the rest, whichever block it falls in.
    const from = events[100]!.key;
    assert.deepEqual((await store.read((tx) => listEvents(tx, account, from, 5))).map((e) => e.key), events.slice(101, 106).map((e) => e.key));

    const blocks = await store.read((tx) => tx.list<{ t: number; id: string }[]>(account, AUDIT_BLOCK_KIND));
    const spans = blocks.map((b) => [eventKey(b.doc[0]!.t, b.doc[0]!.id), b.key] as const);
    assert.ok(spans.every(([newest, oldest], i) => newest <= oldest && (i === 0 || spans[i - 1]![1] < newest)), 'disjoint blocks');
    assert.equal(blocks.reduce((n, b) => n + b.doc.length, 0), 303);
    assert.deepEqual(blocks.map((b) => b.ref), spans.map(([newest]) => newest), 'each block names its newest event in its ref');

    await store.transaction((tx) => addEvents(tx, account, events.map((e) => encodedEvent(e.doc))));
    assert.equal((await stored(account)).length, 303);
  });

  test('blocks written before they named their newest event are read for their span, and get the name when merged into', async () => {
    const account = '555555555555';
    const now = Date.now();
    const docs = [0, 10, 20].map((i) => storedEvent(call(account, now + i)));
    const old = docs.map(encodedEvent).sort((a, b) => (a.key < b.key ? -1 : 1));
    await store.transaction((tx) => tx.insert(account, AUDIT_BLOCK_KIND, old[2]!.key, JSON.parse(`[${old.map((e) => e.json).join(',')}]`)));
    // One event inside the old block's span, one newer than it: merged, and a block of its own.
    await store.transaction((tx) => addEvents(tx, account, [encodedEvent(storedEvent(call(account, now + 5))), encodedEvent(storedEvent(call(account, now + 30)))]));
    const blocks = await store.read((tx) => tx.list<{ t: number; id: string }[]>(account, AUDIT_BLOCK_KIND));
    assert.deepEqual(blocks.map((b) => b.doc.map((e) => e.t - now)), [[30], [20, 10, 5, 0]]);
    assert.deepEqual(blocks.map((b) => b.ref), blocks.map((b) => eventKey(b.doc[0]!.t, b.doc[0]!.id)));
  });

  test('events older than the retention are purged by later flushes, account by account', async () => {
    let clock = Date.now();
    // Written by a log that keeps a year: 3 events of 100 days ago in each account, and one of 10 days ago.
    const writer = new AuditLog(store, { accounts, retentionDays: 365, intervalMs: 3600_000 });
    // Two flushes, two blocks per account: a block is purged whole, once its newest event has expired.
    for (const account of [A, B]) for (let i = 0; i < 3; i++) writer.record(call(account, clock - 100 * DAY + i));
    await writer.flush();
    for (const account of [A, B]) writer.record(call(account, clock - 10 * DAY));
    await writer.close();
    const before = { A: (await stored(A)).length, B: (await stored(B)).length };
    assert.equal(before.B, 4);

    // A log that keeps 30 days; its own clock moves, and each flush purges what has expired.
    const log = new AuditLog(store, { accounts, retentionDays: 30, intervalMs: 3600_000, now: () => clock });
    log.record(call(A, clock));
    await log.flush();
    assert.equal((await stored(A)).length, before.A + 1 - 3);
    assert.equal((await stored(B)).length, before.B - 3);
    assert.ok((await stored(A)).every((e) => timeOfKey(e.key) >= clock - 30 * DAY));

    // Twenty more days: the 10-day-old events are now 30 days and a bit old.
    clock += 21 * DAY;
    log.record(call(B, clock));
    await log.close();
    assert.ok((await stored(A)).every((e) => timeOfKey(e.key) >= clock - 30 * DAY));
    assert.ok((await stored(B)).every((e) => timeOfKey(e.key) >= clock - 30 * DAY));
    assert.equal((await stored(B)).length, 1);
  });

  test('secrets never reach the stored event, in the request or the response', () => {
    const event = storedEvent(
      call(A, Date.now(), 'CreateAccessKey', { UserName: 'u', Password: 'hunter2', Nested: [{ AuthToken: 't0ken', Keep: 1 }] }, {
        AccessKey: { AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 'wJalrXUtnFEMI', Status: 'Active' },
        Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's3cr3t', SessionToken: 'IQoJb3JpZ2lu', Expiration: new Date(0) },
      }),
    );
    const text = JSON.stringify(event);
    for (const secret of ['hunter2', 't0ken', 'wJalrXUtnFEMI', 's3cr3t', 'IQoJb3JpZ2lu']) assert.equal(text.includes(secret), false, secret);
    const record = toCloudTrailRecord(event, A);
    assert.deepEqual(record.requestParameters, { userName: 'u', nested: [{ keep: 1 }] });
    assert.deepEqual(record.responseElements, {
      accessKey: { accessKeyId: 'AKIAEXAMPLE', status: 'Active' },
      credentials: { accessKeyId: 'ASIAEXAMPLE', expiration: '1970-01-01T00:00:00.000Z' },
    });
    assert.deepEqual(record.resources, [{ accountId: A, type: 'AWS::IAM::User', ARN: `arn:aws:iam::${A}:user/u` }]);
    assert.equal(record.sourceIPAddress, '10.0.0.1');
    assert.deepEqual(record.userIdentity, { type: 'Root', principalId: A, arn: `arn:aws:iam::${A}:root`, accountId: A, accessKeyId: 'AKIAROOT' });
  });
});

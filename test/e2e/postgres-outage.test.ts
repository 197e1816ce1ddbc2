// PostgreSQL goes away under load and comes back. iamd runs as a child process connected through a
// TCP proxy that the test cuts (so the real server keeps serving the other tests): meanwhile every
// service answers AWS's ServiceUnavailable (503) in its own protocol's envelope — never a 500, never
// an exit — and once the proxy is restored iamd serves again by itself, with every acknowledged write
// in place, the MemoryDB cluster whose lifecycle the outage interrupted finished, and the event log's
// buffered events written.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateClusterCommand, DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { missingUsers, startLoad, successesAfter } from '../../scripts/outage/load.ts';
import { SERVICE_UNAVAILABLE_MESSAGE } from '../../src/common/unavailable.ts';
import { POSTGRES_URL } from '../store/harness.ts';
import { ROOT, spawnServer, type ChildServer, type ClientConfig } from '../helpers/server.ts';
import { postgresTarget, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const schema = `iamd_outage_${randomBytes(6).toString('hex')}`;
const CUT_MS = 3000;
let proxy: TcpProxy;
let server: ChildServer;

before(async () => {
  proxy = await startTcpProxy(postgresTarget(POSTGRES_URL));
  // The cluster's first lifecycle step is due while the database is cut.
  server = await spawnServer(['--database-url', proxy.via(POSTGRES_URL), '--database-schema', schema, '--job-delay-ms', '300']);
});
after(async () => {
  await server?.kill();
  await proxy?.close();
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

const config = (): ClientConfig => ({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, done: () => boolean | Promise<boolean>, boundMs = 60_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

test('PostgreSQL cut under load: 503 ServiceUnavailable in every protocol, no 500, no exit; back by itself, nothing acknowledged lost', async () => {
  const load = startLoad(server.url);
  const { loops, acknowledgedUsers } = load;
  try {
    await until('every service to answer', () => loops.every((l) => successesAfter(l, 0) >= 3));
    // Before the cut, with the SDK's own retries: under the load loops a write may lose PostgreSQL's
    // serialization race often enough to be answered 503, which every SDK retries.
    await new MemoryDBClient({ ...config(), maxAttempts: 5 }).send(new CreateClusterCommand({ ClusterName: 'through-outage', NodeType: 'db.t4g.small', ACLName: 'open-access' }));

    proxy.cut();
    const cutAt = Date.now();
    await sleep(CUT_MS);
    const restoredAt = Date.now();
    proxy.restore();
    await until('every service to answer again after the restore', () => loops.every((l) => successesAfter(l, restoredAt) >= 3));
    await load.stop();

    for (const loop of loops) {
      const unexpected = loop.outcomes.filter((o) => !o.ok && !(o.name === 'ServiceUnavailable' && o.status === 503));
      assert.deepEqual(unexpected, [], `${loop.name}: only ServiceUnavailable failures`);
      // Sent after the cut and answered before the restore: the outage's answers.
      const during = loop.outcomes.filter((o) => o.sent > cutAt && o.at <= restoredAt);
      assert.ok(during.length > 0, `${loop.name} was called during the cut`);
      assert.ok(during.every((o) => !o.ok && o.message === SERVICE_UNAVAILABLE_MESSAGE), `${loop.name}: every answer during the cut is ServiceUnavailable with AWS's text`);
    }
    assert.equal(server.process.exitCode, null, 'iamd is still running');
    assert.doesNotMatch(server.output(), /request \S+ \(\w+\) failed:|unhandled error/, 'no request failed as a bug');

    assert.ok(acknowledgedUsers.length > 0);
    assert.deepEqual(await missingUsers(server.url, acknowledgedUsers), [], 'every acknowledged CreateUser is there');

    // The lifecycle job interrupted by the outage runs again and finishes.
    const memorydb = new MemoryDBClient(config());
    await until('the cluster to become available', async () =>
      (await memorydb.send(new DescribeClustersCommand({ ClusterName: 'through-outage' }))).Clusters?.[0]?.Status === 'available');

    // Events buffered while the database was away are written once it is back.
    const cloudtrail = new CloudTrailClient(config());
    const recorded = async () => {
      const names = new Set<string>();
      let NextToken: string | undefined;
      do {
        const page = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }], NextToken }));
        for (const event of page.Events ?? []) for (const r of event.Resources ?? []) if (r.ResourceName) names.add(r.ResourceName);
        NextToken = page.NextToken;
      } while (NextToken);
      return names;
    };
    await until('every acknowledged CreateUser in the event log', async () => {
      const names = await recorded();
      return acknowledgedUsers.every((u) => names.has(u));
    });
  } finally {
    proxy.restore();
    await load.stop();
  }
});

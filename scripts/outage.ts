// `npm run outage -- [--seconds 10] [--real] [--log]`: PostgreSQL goes away for `--seconds` while a child iamd
// serves the load of scripts/outage/load.ts, then comes back. By default only this iamd's connections
// are cut (a TCP proxy, nobody else on the machine notices); `--real` stops the PostgreSQL cluster itself
// with `pg_ctlcluster … stop -m fast` and starts it again (root only; every other user of it sees the
// outage too). Reports what each service answered meanwhile, how soon each answered again after the
// database's return, and whether anything acknowledged was lost. Exits 1 on a 500, an exit of iamd, a
// lost write, or a recovery slower than 5 s. `--log` prints iamd's own log of the outage at the end.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { CreateClusterCommand, DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { spawnServer, ROOT } from '../test/helpers/server.ts';
import { postgresTarget, startTcpProxy } from '../test/helpers/tcp-proxy.ts';
import { firstSuccessAfter, missingUsers, startLoad, successesAfter } from './outage/load.ts';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 10;
if (!(seconds > 0)) throw new Error('--seconds must be a positive number');
const real = args.includes('--real');
const RECOVERY_GOAL_MS = 5000;
const url = process.env.IAMD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `iamd_outage_${randomBytes(6).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean | Promise<boolean>, boundMs: number): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const cluster = readdirSync('/etc/postgresql')[0];
const pgctl = (action: 'stop' | 'start') =>
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'inherit' });

const proxy = real ? undefined : await startTcpProxy(postgresTarget(url));
const server = await spawnServer(['--database-url', proxy ? proxy.via(url) : url, '--database-schema', schema, '--job-delay-ms', '300']);
const load = startLoad(server.url);
let failed = false;
try {
  await until(() => load.loops.every((l) => successesAfter(l, 0) >= 3), 60_000);
  const memorydb = new MemoryDBClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  await memorydb.send(new CreateClusterCommand({ ClusterName: 'through-outage', NodeType: 'db.t4g.small', ACLName: 'open-access' }));

  console.log(`outage: ${seconds} s, ${real ? `PostgreSQL ${cluster} stopped (pg_ctlcluster stop -m fast)` : "this iamd's connections cut (TCP proxy)"}`);
  const downAt = Date.now();
  if (proxy) proxy.cut();
  else pgctl('stop');
  await sleep(seconds * 1000);
  if (proxy) proxy.restore();
  else pgctl('start');
  const backAt = Date.now();
  const recovered = await until(() => load.loops.every((l) => successesAfter(l, backAt) > 0), 60_000);
  await sleep(1000);
  await load.stop();

  console.log('\n| service | answers while down | of which 503 ServiceUnavailable | other failures | first success after the return |');
  console.log('|---|---|---|---|---|');
  let slowest = 0;
  for (const loop of load.loops) {
    const during = loop.outcomes.filter((o) => o.sent > downAt && o.at <= backAt);
    const unavailable = during.filter((o) => !o.ok && o.name === 'ServiceUnavailable' && o.status === 503).length;
    const others = loop.outcomes.filter((o) => !o.ok && !(o.name === 'ServiceUnavailable' && o.status === 503));
    const recovery = firstSuccessAfter(loop, backAt);
    slowest = Math.max(slowest, recovery ?? Infinity);
    if (others.length > 0) failed = true;
    const kinds = [...new Set(others.map((o) => `${o.status} ${o.name}`))].join(', ');
    console.log(`| ${loop.name} | ${during.length} | ${unavailable} | ${others.length}${kinds ? ` (${kinds})` : ''} | ${recovery === undefined ? 'none' : `${recovery} ms`} |`);
  }
  const alive = server.process.exitCode === null && server.process.signalCode === null;
  const missing = await missingUsers(server.url, load.acknowledgedUsers);
  const available = await until(async () => (await memorydb.send(new DescribeClustersCommand({ ClusterName: 'through-outage' }))).Clusters?.[0]?.Status === 'available', 60_000);
  console.log(`
iamd still running          ${alive ? 'yes' : 'NO'}
every service back after    ${recovered ? `${slowest} ms (goal ≤ ${RECOVERY_GOAL_MS} ms)` : 'NOT within 60 s'}
acknowledged CreateUser     ${load.acknowledgedUsers.length}, missing afterwards: ${missing.length}
cluster through the outage  ${available ? 'available' : 'NOT available within 60 s'}`);
  if (args.includes('--log')) console.log(`\niamd's log:\n${server.output().trim()}`);
  if (!alive || !recovered || slowest > RECOVERY_GOAL_MS || missing.length > 0 || !available) failed = true;
} finally {
  await load.stop();
  await server.kill();
  await proxy?.close();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
process.exitCode = failed ? 1 : 0;

// Signed IAM requests against a started iamd: GetRole and ListRoles (reads) and CreateRole (write), with
// 1 and with 32 concurrent keep-alive connections; throughput, p50 and p99. The requests are signed by
// the real @aws-sdk/client-iam (captured before sending, then replayed), as an IAM user whose identity
// policy allows the calls — so every request pays SigV4 verification, the policy decision and the store.
//
// Beside iamd, in the same run and on the same core, a bare node:http server answering a fixed 600-byte
// body: the platform's limit, so every iamd figure is also printed as a ratio to it. With one worker the
// server (and the bare server) are pinned to core 0 and the load generator to core 1 (taskset), so the
// figures are one core's; with `--workers 2` the server has both cores (and shares them with the load
// generator). The read rows are also measured with every read recorded in the event log and without.
//
// `npm run bench -- server [--quick] [--only reads|audit|writes|workers] [--roles N]` (the account's roles for the
// read rows, 1,000 by default). To profile the server: `IAMD_TEST_NODE_ARGS=--cpu-prof`. Goals (issue 13): GetRole at 32
// connections on one core ≥ 30 % of the bare server and p99 < 5 ms; two workers ≥ 1.8× one; ListRoles
// (100 per page) ≥ 2,000 pages/s on one core; recording every read costs < 5 %.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient, ListRolesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { spawnServer, tempDir, ROOT, type Credentials } from '../test/helpers/server.ts';
import { flagValue, formatRate, table, type BenchOptions } from './harness.ts';

export const title = 'signed IAM requests per second against a started iamd (GetRole, ListRoles, CreateRole), beside a bare node:http server';

interface Captured {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Lets the SDK build and sign a request, then stops it before it is sent. */
export async function capture(endpoint: string, credentials: Credentials, send: (client: IAMClient) => Promise<unknown>): Promise<Captured> {
  let captured: Captured | undefined;
  const client = new IAMClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { path: string; headers: Record<string, string>; body?: unknown }) => {
        captured = { path: req.path, headers: { ...req.headers }, body: String(req.body ?? '') };
        throw new Error('captured');
      },
    },
  });
  await send(client).catch(() => undefined);
  if (!captured) throw new Error('the SDK did not build a request');
  return captured;
}

export interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  calls: number;
  /** The server process's CPU time (user + system) per answered request, in µs, when its pid was given. */
  cpuMicros?: number;
}

/** A process's CPU time so far in µs (user + system, from /proc; undefined elsewhere). */
function cpuTime(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: the unit of /proc's CPU times, 100 on Linux's every common platform. */
const CLOCK_TICKS = 100;

/** A request as the bytes that go on the wire, built once so the load generator spends little CPU. */
export function wireBytes(url: URL, r: Captured): Buffer {
  const body = Buffer.from(r.body);
  const lines = [`POST ${r.path} HTTP/1.1`];
  for (const [name, value] of Object.entries(r.headers)) {
    if (name.toLowerCase() !== 'content-length') lines.push(`${name}: ${value}`);
  }
  if (!Object.keys(r.headers).some((h) => h.toLowerCase() === 'host')) lines.push(`host: ${url.host}`);
  lines.push(`content-length: ${body.length}`, 'connection: keep-alive', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n')), body]);
}

/**
 * One keep-alive connection sending requests one after another over a raw socket, reading each
 * response only as far as its status and Content-Length: Node's HTTP client would cost more CPU than
 * the server under test, on a machine where both share two cores.
 */
function connection(url: URL): { send(bytes: Buffer): Promise<number>; close(): void } {
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.setNoDelay(true);
  let buffered: Buffer = Buffer.alloc(0);
  let pending: ((status: number) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    const headerEnd = buffered.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const head = buffered.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length < headerEnd + 4 + length) return;
    buffered = buffered.subarray(headerEnd + 4 + length);
    const resolve = pending;
    pending = undefined;
    resolve?.(Number(head.slice(9, 12)));
  });
  socket.on('error', () => pending?.(0));
  return {
    send(bytes) {
      return new Promise((resolve) => {
        pending = resolve;
        socket.write(bytes);
      });
    },
    close: () => socket.destroy(),
  };
}

export async function load(url: URL, requests: Buffer[], connections: number, seconds: number, once: boolean, pid?: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    const conn = connection(url);
    try {
      while (performance.now() < deadline) {
        const i = next++;
        if (once && i >= requests.length) return;
        const start = performance.now();
        const status = await conn.send(requests[i % requests.length]);
        latencies.push(performance.now() - start);
        if (status !== 200) errors++;
      }
    } finally {
      conn.close();
    }
  };
  const start = performance.now();
  const cpuBefore = cpuTime(pid);
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const cpuAfter = cpuTime(pid);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const cpuMicros = cpuBefore !== undefined && cpuAfter !== undefined ? (cpuAfter - cpuBefore) / latencies.length : undefined;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, calls: latencies.length, ...(cpuMicros !== undefined ? { cpuMicros } : {}) };
}

/** Pins a process and all its threads to CPUs (`0`, `0-1`); false where taskset is missing or there is one core. */
function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a process on `cpus`: children (and cluster workers) inherit the affinity of whoever forks them. */
async function startOn<T>(cpus: string, start: () => Promise<T>): Promise<T> {
  if (!pinned) return start();
  pin(process.pid, cpus);
  try {
    return await start();
  } finally {
    pin(process.pid, LOAD_CPU);
  }
}

/** The load generator on core 1, the server under test (and the bare server) on core 0. */
const LOAD_CPU = '1';
let pinned = false;

const BARE_SERVER = `
const body = Buffer.alloc(600, 'x');
require('node:http').createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'text/xml', 'content-length': body.length }); res.end(body); });
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;

/** The platform's limit: node:http answering a fixed 600-byte body (about GetRole's answer), nothing else. */
async function spawnBareServer(cpus: string): Promise<{ url: URL; pid: number; kill(): void }> {
  const child = await startOn(cpus, async () => spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return { url: new URL(url), pid: child.pid!, kill: () => child.kill() };
}

/** The same request for the bare server: its bytes matter little, its size is GetRole's. */
async function measureBare(cpus: string, template: Buffer, connections: number, seconds: number): Promise<LoadResult> {
  const bare = await spawnBareServer(cpus);
  try {
    const request = [template];
    await load(bare.url, request, connections, 1, false);
    return await load(bare.url, request, connections, seconds, false, bare.pid);
  } finally {
    bare.kill();
  }
}

interface Fixture {
  url: URL;
  gets: Buffer[];
  /** ListRoles pages of 100, first and following pages alike. */
  lists: Buffer[];
  user: Credentials;
}

/** An account with `roles` roles and a user allowed GetRole, ListRoles and CreateRole; its signed reads. */
async function prepare(serverUrl: string, roles: number): Promise<Fixture> {
  const admin = new IAMClient({ endpoint: serverUrl, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  await admin.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: trust }));
  for (let i = 1; i < roles; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, roles - i) }, (_, j) =>
        admin.send(new CreateRoleCommand({ RoleName: `bench-listed-${String(i + j).padStart(5, '0')}`, AssumeRolePolicyDocument: trust })),
      ),
    );
  }
  await admin.send(new CreateUserCommand({ UserName: 'bench' }));
  await admin.send(
    new PutUserPolicyCommand({
      UserName: 'bench',
      PolicyName: 'bench',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:ListRoles', 'iam:CreateRole'], Resource: '*' }] }),
    }),
  );
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
  const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const url = new URL(serverUrl);
  const gets: Buffer[] = [];
  for (let i = 0; i < 256; i++) gets.push(wireBytes(url, await capture(serverUrl, user, (c) => c.send(new GetRoleCommand({ RoleName: 'bench-role' })))));
  const markers: (string | undefined)[] = [undefined];
  const reader = new IAMClient({ endpoint: serverUrl, region: 'us-east-1', credentials: user, maxAttempts: 1 });
  for (let marker: string | undefined, page = 0; page < 10; page++) {
    const answer = await reader.send(new ListRolesCommand({ MaxItems: 100, Marker: marker }));
    if (!answer.IsTruncated) break;
    marker = answer.Marker;
    markers.push(marker);
  }
  const lists: Buffer[] = [];
  for (let i = 0; i < 64; i++) {
    const Marker = markers[i % markers.length];
    lists.push(wireBytes(url, await capture(serverUrl, user, (c) => c.send(new ListRolesCommand({ MaxItems: 100, Marker })))));
  }
  return { url, gets, lists, user };
}

type Row = string[];

async function withServer<T>(args: string[], cpus: string, body: (serverUrl: string, pid: number) => Promise<T>): Promise<T> {
  const server = await startOn(cpus, () => spawnServer(['--data-dir', tempDir('iamd-bench-'), '--roles-quota', '1000000', ...args]));
  try {
    return await body(server.url, server.process.pid!);
  } finally {
    await server.kill();
  }
}

const percent = (a: number, b: number) => `${((100 * a) / b).toFixed(0)} %`;
const micros = (r: LoadResult) => (r.cpuMicros === undefined ? '' : r.cpuMicros.toFixed(0));

export async function run(options: BenchOptions): Promise<void> {
  const seconds = options.quick ? 2 : 6;
  const only = flagValue(options.args, 'only');
  const want = (part: string) => only === undefined || only.split(',').includes(part);
  pinned = pin(process.pid, LOAD_CPU);
  const serverCpu = pinned ? '0' : '0-1';
  console.log(pinned ? 'server pinned to core 0, load generator to core 1' : 'taskset unavailable: server and load generator share the cores');
  const rows: Row[] = [];
  /** A row, with its throughput and CPU per request as shares of the bare server's measured beside it. */
  const row = (what: string, workers: string, connections: number, r: LoadResult, bare?: LoadResult, note = '') =>
    rows.push([
      what, workers, String(connections), formatRate(r.perSecond), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors), micros(r),
      bare ? percent(r.perSecond, bare.perSecond) : note,
      bare?.cpuMicros !== undefined && r.cpuMicros !== undefined ? percent(bare.cpuMicros, r.cpuMicros) : '',
    ]);

  let oneWorker32: LoadResult | undefined;
  if (want('reads') || want('workers')) {
    await withServer(['--audit-read-events=true'], serverCpu, async (serverUrl, pid) => {
      const f = await prepare(serverUrl, Number(flagValue(options.args, 'roles') ?? 1000));
      const bareBefore = await measureBare(serverCpu, f.gets[0], 32, seconds);
      for (const connections of [1, 32]) {
        await load(f.url, f.gets, connections, 1, false);
        const r = await load(f.url, f.gets, connections, seconds, false, pid);
        if (connections === 32) oneWorker32 = r;
        row('GetRole', '1', connections, r, connections === 32 ? bareBefore : undefined);
      }
      await load(f.url, f.lists, 32, 1, false);
      const list = await load(f.url, f.lists, 32, seconds, false, pid);
      const bareAfter = await measureBare(serverCpu, f.gets[0], 32, seconds);
      row('ListRoles (100/page)', '1', 32, list, bareAfter);
      row('bare node:http, before', '1', 32, bareBefore);
      row('bare node:http, after', '1', 32, bareAfter);
    });
  }
  if (want('workers')) {
    await withServer(['--audit-read-events=true', '--workers', '2'], '0-1', async (serverUrl) => {
      const f = await prepare(serverUrl, 1);
      await load(f.url, f.gets, 32, 1, false);
      const r = await load(f.url, f.gets, 32, seconds, false);
      row('GetRole', '2', 32, r, undefined, oneWorker32 ? `${(r.perSecond / oneWorker32.perSecond).toFixed(2)}× one worker` : '');
    });
  }
  if (rows.length > 0) {
    console.log(table(['operation', 'workers', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/request', 'rate of bare', 'CPU of bare ÷ CPU'], rows));
  }

  if (want('audit')) {
    // Every read recorded or only what the default records, alternately in servers of their own.
    const audit: Row[] = [];
    const rates: Record<string, LoadResult[]> = { true: [], false: [] };
    for (let round = 0; round < 2; round++) {
      for (const recorded of ['true', 'false']) {
        await withServer([`--audit-read-events=${recorded}`], serverCpu, async (serverUrl, pid) => {
          const f = await prepare(serverUrl, 1);
          await load(f.url, f.gets, 32, 1, false);
          const r = await load(f.url, f.gets, 32, seconds, false, pid);
          rates[recorded].push(r);
          audit.push([`GetRole, reads ${recorded === 'true' ? 'recorded' : 'not recorded'}`, String(round + 1), formatRate(r.perSecond), r.p99.toFixed(2), micros(r)]);
        });
      }
    }
    const mean = (xs: LoadResult[], of: (r: LoadResult) => number) => xs.reduce((a, r) => a + of(r), 0) / xs.length;
    console.log('\n' + table(['one core, 32 connections', 'round', 'requests/s', 'p99 ms', 'CPU µs/request'], audit));
    const lost = 1 - mean(rates.true, (r) => r.perSecond) / mean(rates.false, (r) => r.perSecond);
    const extra = mean(rates.true, (r) => r.cpuMicros ?? NaN) / mean(rates.false, (r) => r.cpuMicros ?? NaN) - 1;
    console.log(`\nrecording every read: ${(100 * lost).toFixed(1)} % less throughput, ${(100 * extra).toFixed(1)} % more CPU per request (means of ${rates.true.length} rounds each)`);
  }

  if (want('writes')) {
    const writes: Row[] = [];
    for (const workers of [1, 2]) {
      await withServer(['--workers', String(workers)], workers === 1 ? serverCpu : '0-1', async (serverUrl) => {
        const f = await prepare(serverUrl, 1);
        const creates = options.quick ? 4000 : 20000;
        for (const connections of [1, 32]) {
          const batch: Buffer[] = [];
          for (let i = 0; i < creates / 2; i++) {
            const captured = await capture(serverUrl, f.user, (c) => c.send(new CreateRoleCommand({ RoleName: `bench-${connections}-${i}`, AssumeRolePolicyDocument: trust })));
            batch.push(wireBytes(f.url, captured));
          }
          const r = await load(f.url, batch, connections, seconds, true);
          writes.push(['CreateRole', String(workers), String(connections), formatRate(r.perSecond), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors)]);
        }
      });
    }
    console.log('\n' + table(['operation', 'workers', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'errors'], writes));
  }
  console.log('\ngoals (issue 13): GetRole, one core, 32 connections ≥ 30 % of bare node:http, p99 < 5 ms; two workers ≥ 1.8× one;');
  console.log('ListRoles (100 per page) ≥ 2,000 pages/s on one core; recording every read < 5 %');
}

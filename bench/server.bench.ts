// Signed IAM requests against a started iamd: GetRole (read) and CreateRole (write), with 1 and with
// 32 concurrent keep-alive connections; throughput, p50 and p99. The requests are signed by the real
// @aws-sdk/client-iam (captured before sending, then replayed), as an IAM user whose identity policy
// allows the calls — so every request pays SigV4 verification, the policy decision and the store.
// The server runs in its own process; the load generator shares the machine's other core.
//
// Measured with one server process and with two (`--workers 2`, node:cluster), since the machine has two
// cores. `npm run bench -- server [--quick]`. Goal (issue 3): ≥ 11,000 GetRole/s, p99 < 5 ms at 32 connections.

import { connect } from 'node:net';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { spawnServer, tempDir, ROOT, type Credentials } from '../test/helpers/server.ts';
import { formatRate, table, type BenchOptions } from './harness.ts';

export const title = 'signed IAM requests per second against a started iamd (GetRole, CreateRole)';

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
}

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

export async function load(url: URL, requests: Buffer[], connections: number, seconds: number, once: boolean): Promise<LoadResult> {
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
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, calls: latencies.length };
}

/** One iamd with `workers` processes: GetRole and CreateRole at 1 and 32 connections. */
async function measureServer(workers: number, options: BenchOptions): Promise<string[][]> {
  const seconds = options.quick ? 2 : 6;
  const server = await spawnServer(['--data-dir', tempDir('iamd-bench-'), '--roles-quota', '1000000', '--workers', String(workers)]);
  try {
    const admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await admin.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: trust }));
    await admin.send(new CreateUserCommand({ UserName: 'bench' }));
    await admin.send(
      new PutUserPolicyCommand({
        UserName: 'bench',
        PolicyName: 'bench',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:CreateRole'], Resource: '*' }] }),
      }),
    );
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };

    const url = new URL(server.url);
    const gets: Buffer[] = [];
    for (let i = 0; i < 256; i++) gets.push(wireBytes(url, await capture(server.url, user, (c) => c.send(new GetRoleCommand({ RoleName: 'bench-role' })))));
    const rows: string[][] = [];
    const row = (operation: string, connections: number, r: LoadResult) =>
      rows.push([operation, String(workers), String(connections), formatRate(r.perSecond), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors)]);
    for (const connections of [1, 32]) {
      await load(url, gets, connections, 1, false); // warm-up
      row('GetRole', connections, await load(url, gets, connections, seconds, false));
    }
    const creates = options.quick ? 4000 : 20000;
    for (const connections of [1, 32]) {
      const batch: Buffer[] = [];
      for (let i = 0; i < creates / 2; i++) {
        const captured = await capture(server.url, user, (c) => c.send(new CreateRoleCommand({ RoleName: `bench-${connections}-${i}`, AssumeRolePolicyDocument: trust })));
        batch.push(wireBytes(url, captured));
      }
      row('CreateRole', connections, await load(url, batch, connections, seconds, true));
    }
    return rows;
  } finally {
    await server.kill();
  }
}

export async function run(options: BenchOptions): Promise<void> {
  const rows = [...(await measureServer(1, options)), ...(await measureServer(2, options))];
  console.log(table(['operation', 'workers', 'connections', 'requests/s', 'p50 ms', 'p99 ms', 'errors'], rows));
  console.log('\ngoal: GetRole ≥ 11,000/s and p99 < 5 ms at 32 connections (issue 3)');
}

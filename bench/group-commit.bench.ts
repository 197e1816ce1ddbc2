// Group commit: CreateRole at 32 connections (and at 1) against an iamd on SQLite with every
// transaction committing alone (IAMD_GROUP_COMMIT=off, the store as it was) and with concurrent
// transactions sharing one commit (the default), then on PostgreSQL without group commit
// (IAMD_GROUP_COMMIT=off) and with it (the default there too) — all in one run. Each server
// is fresh; the requests are signed by the real SDK as an IAM user allowed to create roles. The server's
// CPU time per CreateRole (user + system, from /proc) is printed too: on a shared machine it moves far
// less than the rates do.
//
// `npm run bench -- group-commit [--quick]`. Goal (issue 13): CreateRole at 32 connections ≥ 5× the
// one-commit-per-transaction figure on SQLite, with synchronous=FULL kept.

import { randomBytes } from 'node:crypto';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import pg from 'pg';
import { POSTGRES_URL } from '../test/store/harness.ts';
import { ROOT, spawnServer, tempDir } from '../test/helpers/server.ts';
import { formatRate, formatRatio, table, type BenchOptions } from './harness.ts';
import { capture, load, trust, wireBytes, type LoadResult } from './server.bench.ts';

export const title = 'CreateRole with and without group commit, on SQLite and on PostgreSQL';

interface Setup {
  name: string;
  args: string[];
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

function setups(): Setup[] {
  return [
    { name: 'SQLite, one commit per transaction', args: [], env: { IAMD_GROUP_COMMIT: 'off' }, cleanup: async () => {} },
    { name: 'SQLite, group commit', args: [], env: {}, cleanup: async () => {} },
    ...(['off', 'on'] as const).map((mode) => {
      const schema = `iamd_gc_${mode}_${randomBytes(6).toString('hex')}`;
      return {
        name: `PostgreSQL, group commit ${mode}`,
        args: ['--database-url', POSTGRES_URL, '--database-schema', schema],
        env: { IAMD_MASTER_KEY: randomBytes(32).toString('base64'), IAMD_GROUP_COMMIT: mode },
        cleanup: async () => {
          const client = new pg.Client({ connectionString: POSTGRES_URL });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
    }),
  ];
}

async function measure(setup: Setup, creates: number): Promise<Map<number, LoadResult>> {
  const server = await spawnServer(['--data-dir', tempDir('iamd-gc-'), '--roles-quota', '1000000', ...setup.args], setup.env);
  try {
    const admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await admin.send(new CreateUserCommand({ UserName: 'bench' }));
    await admin.send(
      new PutUserPolicyCommand({
        UserName: 'bench',
        PolicyName: 'bench',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*' }] }),
      }),
    );
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const url = new URL(server.url);
    const results = new Map<number, LoadResult>();
    for (const connections of [1, 32]) {
      const requests: Buffer[] = [];
      for (let i = 0; i < creates; i++) {
        const RoleName = `gc-${connections}-${i}`;
        requests.push(wireBytes(url, await capture(server.url, user, (c) => c.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust })))));
      }
      // Errors are counted, not fatal: PostgreSQL refuses (503) what keeps losing serialization races.
      results.set(connections, await load(url, requests, connections, 600, true, server.process.pid));
    }
    return results;
  } finally {
    await server.kill();
    await setup.cleanup();
  }
}

export async function run(options: BenchOptions): Promise<void> {
  const creates = options.quick ? 1000 : 4000;
  const rows: string[][] = [];
  let baseline: number | undefined;
  for (const setup of setups()) {
    const results = await measure(setup, creates);
    for (const [connections, r] of results) {
      if (connections === 32) baseline ??= r.perSecond;
      const vs = connections === 32 && baseline !== undefined ? formatRatio(r.perSecond / baseline) : '';
      rows.push([setup.name, String(connections), formatRate(r.perSecond), r.p50.toFixed(2), r.p99.toFixed(2), String(r.errors), r.cpuMicros === undefined ? '' : r.cpuMicros.toFixed(0), vs]);
    }
  }
  console.log(table(['store', 'connections', 'CreateRole/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU µs/call', '÷ SQLite one commit each (32 conns)'], rows));
  console.log('\ngoal: SQLite group commit ≥ 5× one commit per transaction at 32 connections (issue 13)');
}

// What each operation costs as the account grows: one iamd per store (SQLite, then PostgreSQL),
// measured with 1,000 roles (and as many users, customer managed policies and audit events), then
// grown to 100,000 of each through the store API and measured again, in the same server process.
// Every request is signed by the real SDK as an IAM user whose identity policy allows it, so each
// figure includes SigV4, the authorization of the call and the store. One connection, requests one
// after another: the figure is the cost of one call (p50 latency). A bare node:http server answering a
// fixed 600-byte body is measured the same way in the same run, the floor no request can go under.
//
// `npm run bench -- scale [--quick] [--roles 100000] [--store sqlite|postgres]`. Goal (issue 13):
// every operation within 1.2× of its 1,000-role figure at 100,000 roles; server RSS under 250 MB.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  IAMClient,
  ListPoliciesCommand,
  ListRolesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import pg from 'pg';
import { eventStoreConfigOf, openStore, type StoreConfig } from '../src/store/index.ts';
import { POSTGRES_URL } from '../test/store/harness.ts';
import { ROOT, spawnServer, tempDir, type Credentials } from '../test/helpers/server.ts';
import { flagValue, formatRate, formatRatio, table, type BenchOptions } from './harness.ts';
import { type RowWriter, seed, seededName, storeWriter, templates, writeEvents } from './scale/seed.ts';
import { AUDIT_EVENT_KIND } from '../src/audit/store.ts';
import { capture, load, trust, wireBytes, type LoadResult } from './server.bench.ts';

export const title = 'costs at 1,000 and at 100,000 roles, users, policies and events (SQLite, PostgreSQL)';

const ACCOUNT = '123456789012';
const SMALL = 1000;

interface Operation {
  name: string;
  /** The signed requests to send; `once`: each is sent once (creates, deletes), else they repeat. */
  requests(size: number, phase: string): Promise<Buffer[]>;
  once?: boolean;
}

const marker = (key: string): string => `iamd1.${Buffer.from(key, 'utf8').toString('base64url')}`;

function operations(url: string, user: Credentials, quick: boolean): Operation[] {
  const signed = async (send: (client: IAMClient) => Promise<unknown>): Promise<Buffer> => wireBytes(new URL(url), await capture(url, user, send));
  const repeated = (send: (size: number) => (client: IAMClient) => Promise<unknown>) => async (size: number) => {
    const one = send(size);
    return Promise.all(Array.from({ length: 64 }, () => signed(one)));
  };
  const creates = quick ? 200 : 1000;
  const created = (phase: string) => Array.from({ length: creates }, (_, i) => `bench-create-${phase}-${i}`);
  const middle = (size: number) => Math.floor(size / 2);
  return [
    { name: 'GetRole', requests: repeated(() => (c) => c.send(new GetRoleCommand({ RoleName: 'bench-role' }))) },
    { name: 'ListRoles, first page', requests: repeated(() => (c) => c.send(new ListRolesCommand({}))) },
    {
      name: 'ListRoles, middle page',
      requests: repeated((size) => (c) => c.send(new ListRolesCommand({ Marker: marker(seededName('seed-role-', middle(size))) }))),
    },
    {
      name: 'ListPolicies (Local), middle page',
      requests: repeated((size) => (c) => {
        const name = seededName('seed-policy-', middle(size));
        return c.send(new ListPoliciesCommand({ Scope: 'Local', Marker: marker(`${name} arn:aws:iam::${ACCOUNT}:policy/${name}`) }));
      }),
    },
    { name: 'ListPolicies (All), first page', requests: repeated(() => (c) => c.send(new ListPoliciesCommand({}))) },
    { name: 'GetAccountSummary', requests: repeated(() => (c) => c.send(new GetAccountSummaryCommand({}))) },
    { name: 'GetAccountAuthorizationDetails, first page', requests: repeated(() => (c) => c.send(new GetAccountAuthorizationDetailsCommand({}))) },
    {
      name: 'GetAccountAuthorizationDetails, a page of roles',
      requests: repeated((size) => (c) => c.send(new GetAccountAuthorizationDetailsCommand({ Marker: marker(`r/${seededName('seed-role-', middle(size))}`) }))),
    },
    {
      name: 'CreateRole',
      once: true,
      requests: (_size, phase) => Promise.all(created(phase).map((RoleName) => signed((c) => c.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }))))),
    },
    {
      name: 'DeleteRole',
      once: true,
      requests: (_size, phase) => Promise.all(created(phase).map((RoleName) => signed((c) => c.send(new DeleteRoleCommand({ RoleName }))))),
    },
  ];
}

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

interface Phase {
  results: Map<string, LoadResult>;
  rss: number;
}

async function measurePhase(url: string, ops: Operation[], size: number, seconds: number, pid: number): Promise<Phase> {
  const results = new Map<string, LoadResult>();
  for (const op of ops) {
    const requests = await op.requests(size, String(size));
    if (!op.once) await load(new URL(url), requests, 1, 0.5, false); // warm-up
    const result = await load(new URL(url), requests, 1, op.once ? 600 : seconds, op.once === true);
    if (result.errors > 0) throw new Error(`bench: ${op.name} at ${size} roles answered ${result.errors} errors`);
    results.set(op.name, result);
  }
  return { results, rss: rssMb(pid) };
}

/** One store: a server, the account at 1,000 then at `big`, the table of both. */
async function measureStore(kind: 'sqlite' | 'postgres', big: number, options: BenchOptions, bare: LoadResult): Promise<void> {
  const seconds = options.quick ? 1 : 3;
  const dataDir = tempDir('iamd-scale-');
  const schema = `iamd_scale_${randomBytes(6).toString('hex')}`;
  const storeConfig: StoreConfig = kind === 'sqlite' ? { kind, dir: dataDir } : { kind, url: POSTGRES_URL, schema };
  const args = ['--data-dir', dataDir, '--roles-quota', '1000000'];
  if (kind === 'postgres') args.push('--database-url', POSTGRES_URL, '--database-schema', schema);
  const server = await spawnServer(args, kind === 'postgres' ? { IAMD_MASTER_KEY: randomBytes(32).toString('base64') } : {});
  const store = await openStore(storeConfig);
  // On SQLite the event log is a file of its own (events/); on PostgreSQL the same tables.
  const events = kind === 'sqlite' ? await openStore(eventStoreConfigOf({ dataDir })) : store;
  try {
    const admin = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await admin.send(new CreateRoleCommand({ RoleName: 'bench-role', AssumeRolePolicyDocument: trust }));
    await admin.send(new CreatePolicyCommand({ PolicyName: 'bench-policy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }] }) }));
    await admin.send(new CreateUserCommand({ UserName: 'bench' }));
    await admin.send(
      new PutUserPolicyCommand({
        UserName: 'bench',
        PolicyName: 'bench',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }),
      }),
    );
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    // The audit log writes its events once a second (later on a loaded machine): wait for one to copy.
    let t: Awaited<ReturnType<typeof templates>> | undefined;
    for (let waited = 0; t === undefined; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      t = await templates(store, events, ACCOUNT, { role: 'bench-role', user: 'bench', policy: 'bench-policy' }).catch((e: unknown) => {
        if (waited >= 30) throw e;
        return undefined;
      });
    }
    const ops = operations(server.url, user, options.quick);

    // SQLite through the store API; PostgreSQL a few thousand rows per statement (one INSERT per row
    // would take a quarter of an hour for 400,000 rows, and one transaction of thousands of
    // SERIALIZABLE inserts runs out of predicate locks). The triggers keep the counters either way.
    const pgClient = kind === 'postgres' ? new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` }) : undefined;
    await pgClient?.connect();
    const write: RowWriter = pgClient
      ? async (all) => {
          // Events go in as the server stores them, in blocks (addEvents): a few rows per batch.
          await writeEvents(events, all);
          const rows = all.filter((r) => r[1] !== AUDIT_EVENT_KIND);
          const column = (c: number) => rows.map((r) => (c === 4 ? JSON.stringify(r[4]) : r[c]));
          await pgClient.query('INSERT INTO entities (account, kind, key, ref, doc) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])', [
            column(0),
            column(1),
            column(2),
            column(3),
            column(4),
          ]);
        }
      : storeWriter(store, events);
    // Growing by a few thousand rows per statement leaves each counter row (entity_counts) with as many
    // dead versions, and every read of it walks them (8.4 ms instead of 0.07 at 100,000) until a vacuum
    // — never, on a server with autovacuum off (the test server here), else in the middle of the
    // measurement, beside a vacuum of the new rows. An account that grows call by call does not hold
    // them (page pruning removes one commit's versions at the next), so vacuum and analyze after each
    // growth and measure the account as it would be.
    const vacuum = async (): Promise<void> => {
      if (!pgClient) return;
      const started = performance.now();
      await pgClient.query('VACUUM ANALYZE entities, entity_counts, ref_counts');
      console.log(`${kind}: vacuumed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    let started = performance.now();
    await seed(write, ACCOUNT, t, 0, SMALL - 1);
    console.log(`${kind}: seeded ${SMALL.toLocaleString('en-US')} of each in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await vacuum();
    // A pass measured and thrown away: the first figures would otherwise include the JIT's warm-up.
    await measurePhase(server.url, ops, SMALL, 1, server.process.pid!);
    const small = await measurePhase(server.url, ops, SMALL, seconds, server.process.pid!);
    started = performance.now();
    await seed(write, ACCOUNT, t, SMALL - 1, big - 1);
    console.log(`${kind}: grew to ${big.toLocaleString('en-US')} of each in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await vacuum();
    await pgClient?.end();
    const large = await measurePhase(server.url, ops, big, seconds, server.process.pid!);

    const rows = ops.map((op) => {
      const a = small.results.get(op.name)!;
      const b = large.results.get(op.name)!;
      return [op.name, a.p50.toFixed(2), b.p50.toFixed(2), (b.p50 / a.p50).toFixed(2) + '×', formatRate(b.perSecond), formatRatio(bare.perSecond / b.perSecond)];
    });
    rows.push(['server RSS (MB)', small.rss.toFixed(0), large.rss.toFixed(0), (large.rss / small.rss).toFixed(2) + '×', '', '']);
    console.log(`\n${kind}:\n`);
    console.log(
      table(['operation (1 connection)', `p50 ms, ${SMALL.toLocaleString('en-US')}`, `p50 ms, ${big.toLocaleString('en-US')}`, 'ratio', `calls/s, ${big.toLocaleString('en-US')}`, 'bare node:http ÷ iamd'], rows),
    );
  } finally {
    if (events !== store) await events.close();
    await store.close();
    await server.kill();
    if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

/** The bare node:http server, measured like iamd: one connection, one request after another. */
async function measureBare(seconds: number): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./scale/bare-http.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const url = new URL(/listening on (\S+)/.exec(String(first.value))![1]!);
    const request = Buffer.from(`POST / HTTP/1.1\r\nhost: ${url.host}\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n{}`);
    await load(url, [request], 1, 0.5, false);
    return await load(url, [request], 1, seconds, false);
  } finally {
    child.kill();
  }
}

export async function run(options: BenchOptions): Promise<void> {
  const big = Number(flagValue(options.args, 'roles') ?? 100_000);
  const only = flagValue(options.args, 'store');
  const bare = await measureBare(options.quick ? 1 : 3);
  console.log(`bare node:http, 1 connection: ${formatRate(bare.perSecond)} requests/s, p50 ${bare.p50.toFixed(3)} ms\n`);
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (only === undefined || only === kind) await measureStore(kind, big, options, bare);
  }
  console.log('\ngoal: every operation within 1.2× of its 1,000-role figure; server RSS under 250 MB at 100,000 roles (issue 13)');
}

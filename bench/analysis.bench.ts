// "Who can reach what" on a large account: 2,000 users, 1,000 roles, 50 groups, 400 customer managed
// policies — 20,000 statements in all — made through iamd's own IAM operations (in-process, root,
// in batched transactions), then: the state read from the store, the full graph built (every edge of
// every principal, the escalation graph), `escalations`, and `who-can` cold (read the state, make the
// nodes, compute only the edges on the way to the principals that can act, answer — as `iamd analyze`
// and the server after a change do) and warm (on the complete graph the server keeps per generation).
// Goal (issue 11): who-can < 1 s, the full escalation graph < 10 s. `npm run bench -- analysis`.

import { accessGraph, escalations, whoCan } from '../src/analysis/index.ts';
import type { CallContext } from '../src/common/call.ts';
import { callContext, rootCaller } from '../test/helpers/callers.ts';
import { ACCOUNT } from '../test/helpers/accounts.ts';
import { startServer } from '../test/helpers/server.ts';
import { analysisSources } from '../test/analysis/sources.ts';
import { buildGraph } from '../src/analysis/graph.ts';
import { loadAccountState } from '../src/analysis/state.ts';
import { availableParallelism, loadavg } from 'node:os';
import { table, type BenchOptions } from './harness.ts';

export const title = 'who can reach what: graph of 2,000 users, 1,000 roles, 20,000 statements';

const USERS = 2000;
const ROLES = 1000;
const GROUPS = 50;
const MANAGED = 400;
const STATEMENTS_PER_MANAGED = 10;
const STATEMENTS_PER_USER = 4;
const STATEMENTS_PER_ROLE = 8;

/** A deterministic pseudo-random sequence, so every run builds the same account. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SERVICES: [string, string[], (n: number) => string][] = [
  ['s3', ['GetObject', 'PutObject', 'ListBucket', 'DeleteObject'], (n) => `arn:aws:s3:::bucket-${n}/*`],
  ['dynamodb', ['GetItem', 'PutItem', 'Query', 'Scan'], (n) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/table-${n}`],
  ['sqs', ['SendMessage', 'ReceiveMessage', 'DeleteMessage'], (n) => `arn:aws:sqs:us-east-1:${ACCOUNT}:queue-${n}`],
  ['sns', ['Publish', 'Subscribe'], (n) => `arn:aws:sns:us-east-1:${ACCOUNT}:topic-${n}`],
  ['logs', ['PutLogEvents', 'CreateLogStream'], (n) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/${n}:*`],
  ['kms', ['Decrypt', 'Encrypt'], (n) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/key-${n}`],
  ['ec2', ['DescribeInstances', 'StartInstances', 'StopInstances'], () => '*'],
  ['memorydb', ['DescribeClusters', 'CreateCluster'], (n) => `arn:aws:memorydb:us-east-1:${ACCOUNT}:cluster/c-${n}`],
];

function statement(next: () => number, i: number): Record<string, unknown> {
  const [service, actions, resource] = SERVICES[Math.floor(next() * SERVICES.length)];
  const picked = actions.filter(() => next() < 0.5);
  const s: Record<string, unknown> = {
    Sid: `S${i}`,
    Effect: next() < 0.05 ? 'Deny' : 'Allow',
    Action: (picked.length ? picked : [actions[0]]).map((a) => `${service}:${a}`),
    Resource: resource(Math.floor(next() * 500)),
  };
  if (next() < 0.15) s.Condition = { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };
  return s;
}

const doc = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function buildAccount(call: (op: string, input: Record<string, unknown>) => Promise<unknown>, batch: (work: () => Promise<void>) => Promise<void>): Promise<number> {
  const next = random(11);
  let statements = 0;
  const many = (n: number, offset: number) => {
    statements += n;
    return Array.from({ length: n }, (_, i) => statement(next, offset + i));
  };
  const user = (i: number) => `user-${i}`;
  const roleName = (i: number) => (i % 10 === 0 ? `team-${i}` : `app-${i}`);
  const policyArn = (i: number) => `arn:aws:iam::${ACCOUNT}:policy/managed-${i}`;

  await batch(async () => {
    for (let i = 0; i < MANAGED; i++) await call('CreatePolicy', { PolicyName: `managed-${i}`, PolicyDocument: doc(many(STATEMENTS_PER_MANAGED, 0)) });
    for (let g = 0; g < GROUPS; g++) {
      await call('CreateGroup', { GroupName: `group-${g}` });
      await call('AttachGroupPolicy', { GroupName: `group-${g}`, PolicyArn: policyArn(g) });
    }
  });
  for (let start = 0; start < USERS; start += 250) {
    await batch(async () => {
      for (let i = start; i < start + 250; i++) {
        await call('CreateUser', { UserName: user(i) });
        const own = many(STATEMENTS_PER_USER - 1, 0);
        // A share of users may assume the team roles; a few hold risky IAM permissions.
        own.push(i % 20 === 0 ? { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/team-*` } : statement(next, 99));
        statements++;
        if (i % 200 === 7) own.push({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${ACCOUNT}:user/${user(i)}` });
        if (i % 200 === 11) own.push({ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' });
        if (i % 200 === 13) own.push({ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/user-1*` });
        await call('PutUserPolicy', { UserName: user(i), PolicyName: 'own', PolicyDocument: doc(own) });
        await call('AttachUserPolicy', { UserName: user(i), PolicyArn: policyArn(GROUPS + Math.floor(next() * (MANAGED - GROUPS))) });
        await call('AddUserToGroup', { GroupName: `group-${i % GROUPS}`, UserName: user(i) });
      }
    });
  }
  for (let start = 0; start < ROLES; start += 250) {
    await batch(async () => {
      for (let i = start; i < start + 250; i++) {
        const trust =
          i % 10 === 0
            ? { AWS: `arn:aws:iam::${ACCOUNT}:root` }
            : i % 3 === 0
              ? { Service: 'ec2.amazonaws.com' }
              : { AWS: [`arn:aws:iam::${ACCOUNT}:user/${user((i * 7) % USERS)}`, `arn:aws:iam::${ACCOUNT}:user/${user((i * 13) % USERS)}`] };
        await call('CreateRole', { RoleName: roleName(i), AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: trust, Action: 'sts:AssumeRole' }]) });
        await call('PutRolePolicy', { RoleName: roleName(i), PolicyName: 'own', PolicyDocument: doc(many(STATEMENTS_PER_ROLE, 0)) });
        await call('AttachRolePolicy', { RoleName: roleName(i), PolicyArn: policyArn(GROUPS + Math.floor(next() * (MANAGED - GROUPS))) });
        // A few admin roles: the prizes.
        if (i % 250 === 30 || i % 250 === 31) await call('AttachRolePolicy', { RoleName: roleName(i), PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
      }
    });
  }
  return statements;
}

const fmt = (t: number) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);
const show = (t: { wall: number; cpu: number }) => `${fmt(t.wall)} (${fmt(t.cpu)})`;

/** Wall-clock and CPU milliseconds of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

export async function run(_options: BenchOptions): Promise<void> {
  const server = await startServer(['--roles-quota', '2000']);
  try {
    const { store, dispatcher } = server.iamd;
    const ctx: CallContext = callContext(rootCaller());
    let tx: Parameters<Parameters<typeof store.transaction>[0]>[0] | undefined;
    const call = (op: string, input: Record<string, unknown>) => dispatcher.callInTx('iam', op, input, ctx, tx!);
    const batch = (work: () => Promise<void>) => store.transaction(async (t) => {
      tx = t;
      await work();
    });
    const setup = performance.now();
    const statements = await buildAccount(call, batch);
    console.log(`account built through the IAM operations in ${fmt(performance.now() - setup)}: ${USERS} users, ${ROLES} roles, ${GROUPS} groups, ${MANAGED} managed policies, ${statements} statements\n`);

    const sources = analysisSources();
    const S3 = ['s3:GetObject', 'arn:aws:s3:::bucket-42/report.csv'] as const;
    const IAM = ['iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/user-5`] as const;
    const rows: string[][] = [];
    for (let round = 0; round < 3; round++) {
      const state = await timed(() => store.read((rt) => loadAccountState(rt, sources.awsPolicies, ACCOUNT)));
      const nodes = await timed(async () => buildGraph({ state: state.value, awsPolicies: sources.awsPolicies, linked: sources.linked }));
      const graph = nodes.value;
      const edges = await timed(async () => graph.complete());
      const up = await timed(async () => escalations(graph));
      const warm = await timed(async () => whoCan(graph, ...S3));
      const coldS3 = await timed(async () => whoCan(await accessGraph(store, sources, ACCOUNT), ...S3));
      const coldIam = await timed(async () => whoCan(await accessGraph(store, sources, ACCOUNT), ...IAM));
      rows.push([
        String(round + 1),
        show(state),
        show(nodes),
        show(edges),
        show({ wall: state.wall + nodes.wall + edges.wall + up.wall, cpu: state.cpu + nodes.cpu + edges.cpu + up.cpu }),
        show(warm),
        show(coldS3),
        show(coldIam),
        `${graph.nodes.size} / ${graph.edgeCount} / ${up.value.paths.length}`,
        `${coldS3.value.principals.length} / ${coldIam.value.principals.length}`,
      ]);
    }
    const graph = await accessGraph(store, sources, ACCOUNT);
    graph.complete();
    const byKind = new Map<string, number>();
    for (const edges of graph.out.values()) for (const edge of edges) byKind.set(edge.steps.map((s) => s.kind).join('+'), (byKind.get(edge.steps.map((s) => s.kind).join('+')) ?? 0) + 1);
    console.log(`edges by steps: ${[...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (on ${availableParallelism()} cores)\n`);
    console.log('Times are wall clock (CPU time of this process in parentheses: what the work costs when the machine is not shared).\n');
    console.log(table(['run', 'read state', 'make nodes', 'every edge', 'escalation graph (read + nodes + edges + escalations)', 'who-can, graph kept', 'who-can s3, from the store', 'who-can iam, from the store', 'nodes / edges / escalating', 'who-can answers (s3 / iam)'], rows));
  } finally {
    await server.close();
  }
}

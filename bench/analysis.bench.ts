// "Who can reach what" on a large account: 2,000 users, 1,000 roles, 50 groups, 400 customer managed
// policies — 20,000 statements in all — made through iamd's own IAM operations (in-process, root,
// in batched transactions), then: the state read from the store, the full graph built (every edge of
// every principal, the escalation graph), `escalations`, and `who-can` cold (read + build + answer,
// as `iamd analyze` does) and warm (on the graph the server keeps per account generation).
// Goal (issue 11): who-can < 1 s, the full escalation graph < 10 s. `npm run bench -- analysis`.

import { accessGraph, escalations, whoCan } from '../src/analysis/index.ts';
import type { CallContext } from '../src/common/call.ts';
import { callContext, rootCaller } from '../test/helpers/callers.ts';
import { ACCOUNT } from '../test/helpers/accounts.ts';
import { startServer } from '../test/helpers/server.ts';
import { analysisSources } from '../test/analysis/sources.ts';
import { buildGraph } from '../src/analysis/graph.ts';
import { loadAccountState } from '../src/analysis/state.ts';
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

const ms = (start: number) => performance.now() - start;
const fmt = (t: number) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);

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
    console.log(`account built through the IAM operations in ${fmt(ms(setup))}: ${USERS} users, ${ROLES} roles, ${GROUPS} groups, ${MANAGED} managed policies, ${statements} statements\n`);

    const sources = analysisSources();
    const rows: string[][] = [];
    for (let round = 0; round < 3; round++) {
      let t = performance.now();
      const state = await store.read((rt) => loadAccountState(rt, sources.awsPolicies, ACCOUNT));
      const load = ms(t);
      t = performance.now();
      const graph = buildGraph({ state, awsPolicies: sources.awsPolicies, linked: sources.linked });
      const build = ms(t);
      t = performance.now();
      const up = escalations(graph);
      const esc = ms(t);
      t = performance.now();
      const who = whoCan(graph, 's3:GetObject', 'arn:aws:s3:::bucket-42/report.csv');
      const warm = ms(t);
      t = performance.now();
      const cold = whoCan(await accessGraph(store, sources, ACCOUNT), 'iam:PutUserPolicy', `arn:aws:iam::${ACCOUNT}:user/user-5`);
      const coldMs = ms(t);
      rows.push([
        String(round + 1),
        fmt(load),
        fmt(build),
        fmt(load + build),
        fmt(esc),
        fmt(warm),
        fmt(coldMs),
        `${graph.nodes.size} / ${graph.edgeCount}`,
        `${up.paths.length}`,
        `${who.principals.length} / ${cold.principals.length}`,
      ]);
    }
    console.log(table(['run', 'read state', 'build graph', 'full graph (read + build)', 'escalations', 'who-can (warm)', 'who-can (cold)', 'nodes / edges', 'escalating principals', 'who-can answers (s3 / iam)'], rows));
  } finally {
    await server.close();
  }
}

// who-can and reach on an account built through the real server: directly, through a chain of two
// assumes, and through a linked service's role (MemoryDB's) — found before the role exists only for
// whoever may also create it, and for every caller of memorydb:CreateCluster once it does.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand, CreateServiceLinkedRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trust } from '../helpers/iam.ts';
import { accessGraph, reach, whoCan, type WhoCanAnswer } from '../../src/analysis/index.ts';
import { analysisSources } from './sources.ts';

let server: TestServer;
let iam: IAMClient;

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const MEMORYDB_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/memorydb.amazonaws.com/AWSServiceRoleForMemoryDB`;
const INTERFACE = `arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;

async function user(name: string, ...statements: Record<string, unknown>[]): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length > 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy(...statements) }));
}

const graph = () => accessGraph(server.iamd.store, analysisSources(), ACCOUNT);
const byPrincipal = (answer: WhoCanAnswer) => new Map(answer.principals.map((p) => [p.principal, p]));
const kinds = (entry: WhoCanAnswer['principals'][number] | undefined) => entry?.paths[0].steps.map((s) => `${s.kind} ${s.action}`);

before(async () => {
  server = await startServer();
  iam = server.iam();
  await user('reader', allow('s3:GetObject', 'arn:aws:s3:::reports/*'));
  await user('climber', allow('sts:AssumeRole', roleArn('first-hop')));
  await iam.send(new CreateRoleCommand({ RoleName: 'first-hop', AssumeRolePolicyDocument: trust(userArn('climber')) }));
  await iam.send(new CreateRoleCommand({ RoleName: 'reports', AssumeRolePolicyDocument: trust(roleArn('first-hop')) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'reports', PolicyName: 'read', PolicyDocument: policy(allow('s3:GetObject', 'arn:aws:s3:::reports/*')) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'first-hop', PolicyName: 'hop', PolicyDocument: policy(allow('sts:AssumeRole', roleArn('reports'))) }));
  await user('bystander', allow('s3:ListBucket'));
  await user('wide', allow('sts:AssumeRole'));
  // MemoryDB: one may create clusters and the role, one only clusters, one only the role.
  await user('db-admin', allow('memorydb:CreateCluster', `arn:aws:memorydb:*:${ACCOUNT}:cluster/*`), allow('iam:CreateServiceLinkedRole', '*', { Condition: { StringEquals: { 'iam:AWSServiceName': 'memorydb.amazonaws.com' } } }));
  await user('db-user', allow(['memorydb:CreateCluster', 'memorydb:DescribeClusters']));
  await user('role-maker', allow('iam:CreateServiceLinkedRole'));
});
after(() => server.close());

describe('who-can', () => {
  test('direct, through two assumes, and nobody else', async () => {
    const answer = whoCan(await graph(), 's3:GetObject', 'arn:aws:s3:::reports/q3.csv');
    const found = byPrincipal(answer);
    assert.deepEqual([...found.keys()].sort(), [roleArn('first-hop'), roleArn('reports'), userArn('climber'), userArn('reader')].sort());
    assert.equal(found.get(userArn('reader'))!.direct, true);
    assert.deepEqual(kinds(found.get(userArn('reader'))), ['direct s3:GetObject']);
    assert.deepEqual(found.get(userArn('reader'))!.paths[0].steps[0].statements, [{ policyId: 'user/reader/inline/inline', policyType: 'user', index: 0 }]);
    const climber = found.get(userArn('climber'))!;
    assert.equal(climber.direct, false);
    assert.deepEqual(kinds(climber), ['assume-role sts:AssumeRole', 'assume-role sts:AssumeRole', 'direct s3:GetObject']);
    assert.deepEqual(climber.paths[0].steps.map((s) => s.from), [userArn('climber'), roleArn('first-hop'), roleArn('reports')]);
    assert.deepEqual(climber.paths[0].steps[2].statements, [{ policyId: 'role/reports/inline/read', policyType: 'role', index: 0 }]);
    // Direct answers come first, then by path length.
    assert.deepEqual(answer.principals.map((p) => p.direct), [true, true, false, false]);
  });

  test('sts:AssumeRole is judged with the role\'s trust policy, as STS judges it', async () => {
    const answer = whoCan(await graph(), 'sts:AssumeRole', roleArn('reports'));
    // `wide` may call sts:AssumeRole on anything, but the trust policy names only first-hop.
    assert.deepEqual(answer.principals.map((p) => [p.principal, p.direct]), [
      [roleArn('first-hop'), true],
      [userArn('climber'), false],
    ]);
    assert.deepEqual(answer.principals[0].paths[0].steps[0].statements.map((s) => s.policyType), ['role', 'resource']);
    assert.deepEqual(whoCan(await graph(), 'sts:AssumeRole', MEMORYDB_ROLE).principals, []);
  });

  test("through MemoryDB's role: before it exists, only for who may also create it", async () => {
    const found = byPrincipal(whoCan(await graph(), 'ec2:CreateNetworkInterface', INTERFACE));
    assert.deepEqual(kinds(found.get(userArn('db-admin'))), ['create-service-linked-role iam:CreateServiceLinkedRole', 'service-role memorydb:CreateCluster', 'direct ec2:CreateNetworkInterface']);
    const steps = found.get(userArn('db-admin'))!.paths[0].steps;
    assert.deepEqual(steps[0].context, { 'iam:AWSServiceName': 'memorydb.amazonaws.com' });
    assert.equal(steps[0].resource, MEMORYDB_ROLE);
    assert.equal(steps[1].resource, `arn:aws:memorydb:*:${ACCOUNT}:cluster/*`);
    assert.equal(steps[1].to, 'memorydb.amazonaws.com');
    assert.equal(steps[2].from, MEMORYDB_ROLE);
    assert.deepEqual(steps[2].statements.map((s) => [s.policyId, s.policyType]), [['arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy', 'aws-managed']]);
    // A missing permission each: the role cannot come into being, or nothing makes MemoryDB use it.
    assert.equal(found.get(userArn('db-user')), undefined);
    assert.equal(found.get(userArn('role-maker')), undefined);
    // A role not yet created is nobody's answer.
    assert.equal(found.get(MEMORYDB_ROLE), undefined);
  });

  test('once the role exists, every caller of memorydb:CreateCluster reaches it', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'memorydb.amazonaws.com' }));
    const found = byPrincipal(whoCan(await graph(), 'ec2:CreateNetworkInterface', INTERFACE));
    assert.deepEqual(kinds(found.get(userArn('db-user'))), ['service-role memorydb:CreateCluster', 'direct ec2:CreateNetworkInterface']);
    assert.deepEqual(kinds(found.get(userArn('db-admin'))), ['service-role memorydb:CreateCluster', 'direct ec2:CreateNetworkInterface']);
    assert.equal(found.get(MEMORYDB_ROLE)!.direct, true);
    assert.equal(found.get(userArn('role-maker')), undefined);
    assert.equal(found.get(userArn('bystander')), undefined);
  });
});

describe('reach', () => {
  test('what a principal can do directly and through paths, by service', async () => {
    const answer = reach(await graph(), userArn('climber'))!;
    assert.equal(answer.principal, userArn('climber'));
    assert.deepEqual(Object.keys(answer.services), ['s3', 'sts']);
    const [read] = answer.services.s3;
    assert.equal(read.action, 's3:GetObject');
    assert.equal(read.resource, 'arn:aws:s3:::reports/*');
    assert.deepEqual(read.paths[0].steps.map((s) => s.kind), ['assume-role', 'assume-role', 'direct']);
    const direct = answer.services.sts.find((i) => i.resource === roleArn('first-hop'))!;
    assert.deepEqual(direct.paths[0].steps.map((s) => s.kind), ['direct']);
  });

  test("a caller of memorydb:CreateCluster reaches what MemoryDB's role may do", async () => {
    const answer = reach(await graph(), userArn('db-user'))!;
    assert.deepEqual(Object.keys(answer.services), ['ec2', 'memorydb']);
    const create = answer.services.ec2.find((i) => i.action === 'ec2:CreateNetworkInterface' && i.resource === 'arn:aws:ec2:*:*:subnet/*')!;
    assert.deepEqual(create.paths[0].steps.map((s) => `${s.kind} ${s.action}`), ['service-role memorydb:CreateCluster', 'direct ec2:CreateNetworkInterface']);
    // Grants under a condition the state cannot promise (the interface's tag) are not listed.
    assert.equal(answer.services.ec2.some((i) => i.action === 'ec2:DeleteNetworkInterface' && i.resource === 'arn:aws:ec2:*:*:network-interface/*'), false);
  });

  test('an unknown principal has no answer', async () => {
    assert.equal(reach(await graph(), userArn('nobody')), undefined);
  });
});

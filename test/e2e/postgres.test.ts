// The same server on PostgreSQL: two iamd nodes sharing one database see each other's writes, a
// policy changed through one node is enforced by the other on the next request, and concurrent
// CreateServiceLinkedRole calls for one service split across the nodes make exactly one role.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateServiceLinkedRoleCommand, CreateUserCommand, DeleteUserPolicyCommand, GetRoleCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { ROOT, type ChildServer, type Credentials } from '../helpers/server.ts';
import { startPostgresNodes, type PostgresNodes } from '../helpers/postgres-nodes.ts';

let cluster: PostgresNodes;
let nodes: ChildServer[] = [];

before(async () => {
  cluster = await startPostgresNodes(2);
  nodes = cluster.nodes;
});
after(() => cluster.close());

const iam = (url: string, credentials: Credentials = ROOT) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });

test('two iamd nodes over one PostgreSQL database share state and enforce policy changes at once', async () => {
  const [a, b] = nodes;
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await iam(a.url).send(new CreateRoleCommand({ RoleName: 'shared', AssumeRolePolicyDocument: trust }));
  assert.equal((await iam(b.url).send(new GetRoleCommand({ RoleName: 'shared' }))).Role?.RoleName, 'shared');

  await iam(a.url).send(new CreateUserCommand({ UserName: 'pat' }));
  await iam(a.url).send(new PutUserPolicyCommand({
    UserName: 'pat',
    PolicyName: 'read',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }] }),
  }));
  const key = (await iam(a.url).send(new CreateAccessKeyCommand({ UserName: 'pat' }))).AccessKey!;
  const pat = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  await iam(b.url, pat).send(new GetRoleCommand({ RoleName: 'shared' }));
  await iam(a.url).send(new DeleteUserPolicyCommand({ UserName: 'pat', PolicyName: 'read' }));
  await assert.rejects(iam(b.url, pat).send(new GetRoleCommand({ RoleName: 'shared' })), { name: 'AccessDenied' });
});

test('64 concurrent CreateServiceLinkedRole for one service across two nodes: one role, 63 times AWS\'s "taken"', async () => {
  const principal = 'elasticloadbalancing.amazonaws.com';
  const outcomes = await Promise.allSettled(
    Array.from({ length: 64 }, (_, i) => iam(nodes[i % 2].url).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: principal }))),
  );
  const created = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<{ Role?: { RoleName?: string } }>).value.Role!.RoleName!);
  assert.equal(created.length, 1, 'exactly one call created the role');
  const roleName = created[0];
  for (const o of outcomes) {
    if (o.status === 'fulfilled') continue;
    const error = o.reason as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(error.name, 'InvalidInputException', error.message);
    assert.equal(error.message, `Service role name ${roleName} has been taken in this account, please try a different suffix.`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  }
  for (const node of nodes) {
    const roles = (await iam(node.url).send(new ListRolesCommand({ PathPrefix: `/aws-service-role/${principal}/` }))).Roles ?? [];
    assert.deepEqual(roles.map((r) => r.RoleName), [roleName], 'one role, seen alike from both nodes');
    const attached = (await iam(node.url).send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? [];
    assert.equal(attached.length, 1, 'with its service policy attached once');
  }
});

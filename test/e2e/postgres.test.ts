// The same server on PostgreSQL: two iamd nodes sharing one database see each other's writes, and a
// policy changed through one node is enforced by the other on the next request.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteUserPolicyCommand, GetRoleCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { ROOT, spawnServer, type ChildServer, type Credentials } from '../helpers/server.ts';

const URL_ = process.env.IAMD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `iamd_e2e_${randomBytes(6).toString('hex')}`;
let nodes: ChildServer[] = [];

before(async () => {
  const args = ['--database-url', URL_, '--database-schema', schema];
  // Nodes sharing a database share its master key (docs/security.md).
  const env = { IAMD_MASTER_KEY: randomBytes(32).toString('base64') };
  nodes = [await spawnServer(args, env), await spawnServer(args, env)];
});
after(async () => {
  await Promise.all(nodes.map((n) => n.kill()));
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

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

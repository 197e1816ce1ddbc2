// `iamd accounts create` adds an isolated account whose root credentials work against a running iamd.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ROOT, spawnServer, tempDir, type Credentials } from '../helpers/server.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/iamd.js', import.meta.url).pathname;

test('iamd accounts create prints root credentials of a new, isolated account', async () => {
  const dataDir = tempDir();
  const { stdout } = await run(process.execPath, [BIN, 'accounts', 'create', '--id', '111122223333', '--data-dir', dataDir]);
  const created = JSON.parse(stdout) as { AccountId: string; AccessKeyId: string; SecretAccessKey: string };
  assert.equal(created.AccountId, '111122223333');
  assert.match(created.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);

  const again = await run(process.execPath, [BIN, 'accounts', 'create', '--id', '111122223333', '--data-dir', dataDir]).catch((e) => e);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /account 111122223333 exists already/);
  const bad = await run(process.execPath, [BIN, 'accounts', 'create', '--id', '12', '--data-dir', dataDir]).catch((e) => e);
  assert.equal(bad.code, 2);

  const server = await spawnServer(['--data-dir', dataDir]);
  try {
    const client = (credentials: Credentials) => ({
      iam: new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
      sts: new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 }),
    });
    const other = client({ accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey });
    const who = await other.sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::111122223333:root');

    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await other.iam.send(new CreateRoleCommand({ RoleName: 'only-in-111122223333', AssumeRolePolicyDocument: trust }));
    const defaultAccountRoles = await client(ROOT).iam.send(new ListRolesCommand({}));
    assert.deepEqual(defaultAccountRoles.Roles, []);
    const ownRoles = await other.iam.send(new ListRolesCommand({}));
    assert.deepEqual(ownRoles.Roles?.map((r) => r.Arn), ['arn:aws:iam::111122223333:role/only-in-111122223333']);
  } finally {
    await server.kill();
  }
});

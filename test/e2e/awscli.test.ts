// The AWS CLI v2 against a started iamd, unchanged but for --endpoint-url.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.ts';
import { awsCli, AWS_CLI } from '../helpers/awscli.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

test(`the AWS CLI (${AWS_CLI}) creates, reads, lists and deletes a role, and knows who it is`, async () => {
  const version = await awsCli(server.url, ['--version']);
  assert.match(version.stdout + version.stderr, /^aws-cli\/2\./, 'the AWS CLI v2 is installed');

  const created = await awsCli(server.url, ['iam', 'create-role', '--role-name', 'cli-role', '--assume-role-policy-document', trust]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal((created.json as { Role: { RoleName: string } }).Role.RoleName, 'cli-role');

  const got = await awsCli(server.url, ['iam', 'get-role', '--role-name', 'cli-role']);
  assert.equal(got.code, 0, got.stderr);
  const role = (got.json as { Role: { Arn: string; AssumeRolePolicyDocument: unknown; MaxSessionDuration: number } }).Role;
  assert.equal(role.Arn, 'arn:aws:iam::123456789012:role/cli-role');
  assert.deepEqual(role.AssumeRolePolicyDocument, JSON.parse(trust), 'the CLI decodes the URL-encoded policy');
  assert.equal(role.MaxSessionDuration, 3600);

  const listed = await awsCli(server.url, ['iam', 'list-roles']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((listed.json as { Roles: { RoleName: string }[] }).Roles.map((r) => r.RoleName), ['cli-role']);

  const deleted = await awsCli(server.url, ['iam', 'delete-role', '--role-name', 'cli-role']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await awsCli(server.url, ['iam', 'get-role', '--role-name', 'cli-role']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /NoSuchEntity.*The role with name cli-role cannot be found\./);

  const who = await awsCli(server.url, ['sts', 'get-caller-identity']);
  assert.equal(who.code, 0, who.stderr);
  assert.deepEqual(who.json, { UserId: '123456789012', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
});

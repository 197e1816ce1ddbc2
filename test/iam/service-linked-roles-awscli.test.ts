// The seed commands, verbatim but for --endpoint-url, through the AWS CLI against a started iamd.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { awsCli } from '../helpers/awscli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const ROLE = 'AWSServiceRoleForMemoryDB';

test('create, read, describe, delete and follow the deletion of the MemoryDB service-linked role', async () => {
  const created = await awsCli(server.url, ['iam', 'create-service-linked-role', '--aws-service-name', 'memorydb.amazonaws.com']);
  assert.equal(created.code, 0, created.stderr);
  const role = (created.json as { Role: Record<string, unknown> }).Role;
  assert.equal(role.RoleName, ROLE);
  assert.equal(role.Path, '/aws-service-role/memorydb.amazonaws.com/');
  assert.deepEqual(role.AssumeRolePolicyDocument, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'memorydb.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });

  const got = await awsCli(server.url, ['iam', 'get-role', '--role-name', ROLE]);
  assert.equal(got.code, 0, got.stderr);
  assert.equal((got.json as { Role: { MaxSessionDuration: number } }).Role.MaxSessionDuration, 3600);

  const described = await awsCli(server.url, ['iam', 'update-role-description', '--role-name', ROLE, '--description', 'MemoryDB acts for me']);
  assert.equal(described.code, 0, described.stderr);
  assert.equal((described.json as { Role: { Description: string } }).Role.Description, 'MemoryDB acts for me');

  const updated = await awsCli(server.url, ['iam', 'update-role', '--role-name', ROLE, '--description', 'still MemoryDB']);
  assert.equal(updated.code, 0, updated.stderr);
  const reread = await awsCli(server.url, ['iam', 'get-role', '--role-name', ROLE]);
  assert.equal((reread.json as { Role: { Description: string } }).Role.Description, 'still MemoryDB');

  const refused = await awsCli(server.url, ['iam', 'delete-role', '--role-name', ROLE]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /\(UnmodifiableEntity\).*Cannot perform the operation on the protected role 'AWSServiceRoleForMemoryDB' - this role is only modifiable by AWS/);

  const deleted = await awsCli(server.url, ['iam', 'delete-service-linked-role', '--role-name', ROLE]);
  assert.equal(deleted.code, 0, deleted.stderr);
  const taskId = (deleted.json as { DeletionTaskId: string }).DeletionTaskId;
  assert.match(taskId, /^task\/aws-service-role\/memorydb\.amazonaws\.com\/AWSServiceRoleForMemoryDB\/[0-9a-f-]{36}$/);

  let status = '';
  for (let i = 0; i < 100 && status !== 'SUCCEEDED'; i++) {
    const answer = await awsCli(server.url, ['iam', 'get-service-linked-role-deletion-status', '--deletion-task-id', taskId]);
    assert.equal(answer.code, 0, answer.stderr);
    status = (answer.json as { Status: string }).Status;
    assert.match(status, /^(NOT_STARTED|IN_PROGRESS|SUCCEEDED)$/);
  }
  assert.equal(status, 'SUCCEEDED');
  const gone = await awsCli(server.url, ['iam', 'get-role', '--role-name', ROLE]);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /\(NoSuchEntity\).*The role with name AWSServiceRoleForMemoryDB cannot be found\./);
});

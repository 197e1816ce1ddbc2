// The AWS CLI v2 with instance profiles: create, add a role, read it back in both directions, and the
// conflicts AWS answers while a role is in a profile — then take it apart again.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../helpers/server.ts';
import { awsCli, AWS_CLI } from '../helpers/awscli.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { trustEc2 } from '../helpers/iam.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const cli = (args: string[]) => awsCli(server.url, ['iam', ...args]);

test(`the AWS CLI (${AWS_CLI}) builds an EC2 instance profile with its role and takes it apart`, async () => {
  assert.equal((await cli(['create-role', '--role-name', 'web-role', '--assume-role-policy-document', trustEc2])).code, 0);
  const created = await cli(['create-instance-profile', '--instance-profile-name', 'web', '--path', '/app/']);
  assert.equal(created.code, 0, created.stderr);
  const profile = (created.json as { InstanceProfile: { Arn: string; InstanceProfileId: string; Roles: unknown[] } }).InstanceProfile;
  assert.equal(profile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/app/web`);
  assert.match(profile.InstanceProfileId, /^AIPA/);
  assert.deepEqual(profile.Roles, []);

  const added = await cli(['add-role-to-instance-profile', '--instance-profile-name', 'web', '--role-name', 'web-role']);
  assert.equal(added.code, 0, added.stderr);
  const got = await cli(['get-instance-profile', '--instance-profile-name', 'web']);
  assert.deepEqual((got.json as { InstanceProfile: { Roles: { RoleName: string }[] } }).InstanceProfile.Roles.map((r) => r.RoleName), ['web-role']);
  const forRole = await cli(['list-instance-profiles-for-role', '--role-name', 'web-role']);
  assert.deepEqual((forRole.json as { InstanceProfiles: { InstanceProfileName: string }[] }).InstanceProfiles.map((p) => p.InstanceProfileName), ['web']);

  const blocked = await cli(['delete-role', '--role-name', 'web-role']);
  assert.notEqual(blocked.code, 0);
  assert.match(blocked.stderr, /DeleteConflict.*Cannot delete entity, must remove roles from instance profile first\./);

  assert.equal((await cli(['remove-role-from-instance-profile', '--instance-profile-name', 'web', '--role-name', 'web-role'])).code, 0);
  assert.equal((await cli(['delete-instance-profile', '--instance-profile-name', 'web'])).code, 0);
  assert.equal((await cli(['delete-role', '--role-name', 'web-role'])).code, 0);
  const listed = await cli(['list-instance-profiles']);
  assert.deepEqual((listed.json as { InstanceProfiles: unknown[] }).InstanceProfiles, []);
});

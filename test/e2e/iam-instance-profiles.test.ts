// Instance profiles through the real IAM client, against the answers recorded from AWS
// (shared/reference/aws-recorded, iam__test_iam_instance_profiles): shapes per operation, the one-role
// quota, delete conflicts both ways, tags, paging, the account's views of them, and authorization —
// including the iam:PassRole that putting a role into a profile asks.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetInstanceProfileCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListInstanceProfileTagsCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagInstanceProfileCommand,
  UntagInstanceProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, decodeDocument, policy, trustEc2, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const profileArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:instance-profile${path}${name}`;

describe('lifecycle', () => {
  test('create, get, create on the root path, delete: the recorded members', async () => {
    const created = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/app/' }))).InstanceProfile!;
    assert.deepEqual(Object.keys(created).sort(), ['Arn', 'CreateDate', 'InstanceProfileId', 'InstanceProfileName', 'Path', 'Roles']);
    assert.equal(created.Arn, profileArn('web', '/app/'));
    assert.match(created.InstanceProfileId!, /^AIPA[A-Z2-7]{17}$/);
    assert.deepEqual(created.Roles, []);
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!;
    assert.deepEqual(got.Tags, []);
    assert.equal(got.InstanceProfileId, created.InstanceProfileId);
    assert.equal((await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'plain' }))).InstanceProfile!.Path, '/');

    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' })), 'NoSuchEntityException', 'Instance Profile web cannot be found.', 404);
  });

  test('the recorded errors: missing, duplicate (whatever the case), delete missing', async () => {
    await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile' })), 'NoSuchEntityException', 'Instance Profile nonexistent-profile cannot be found.', 404);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'dup' }));
    await rejects(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'dup' })), 'EntityAlreadyExistsException', 'Instance Profile dup already exists.', 409);
    await rejects(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'DUP' })), 'EntityAlreadyExistsException', 'Instance Profile DUP already exists.', 409);
    await rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile' })), 'NoSuchEntityException', 'Instance Profile nonexistent-profile cannot be found.', 404);
  });
});

describe('roles in profiles', () => {
  before(async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ec2-role', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other-role', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'holder', Path: '/p/' }));
  });

  test('add shows the role in Get, List and ListInstanceProfilesForRole; remove takes it out', async () => {
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'ec2-role' }));
    const roles = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'holder' }))).InstanceProfile!.Roles!;
    assert.equal(roles.length, 1);
    assert.deepEqual(Object.keys(roles[0]!).sort(), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Path', 'RoleId', 'RoleName']);
    assert.deepEqual(decodeDocument(roles[0]!.AssumeRolePolicyDocument), JSON.parse(trustEc2));
    const listed = (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.find((p) => p.InstanceProfileName === 'holder')!;
    assert.equal(listed.Roles![0]!.RoleName, 'ec2-role');
    assert.equal(listed.Tags, undefined);
    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2-role' }));
    assert.deepEqual(forRole.InstanceProfiles!.map((p) => p.Arn), [profileArn('holder', '/p/')]);
    assert.equal(forRole.IsTruncated, false);
    assert.deepEqual((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'other-role' }))).InstanceProfiles, []);

    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'ec2-role' }));
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'holder' }))).InstanceProfile!.Roles, []);
    assert.deepEqual((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ec2-role' }))).InstanceProfiles, []);
  });

  test('one role per profile; neither a profile with a role nor a role in a profile can be deleted', async () => {
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'ec2-role' }));
    await rejects(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'other-role' })),
      'LimitExceededException',
      'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
      409,
    );
    const conflict = 'Cannot delete entity, must remove roles from instance profile first.';
    await rejects(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'holder' })), 'DeleteConflictException', conflict, 409);
    await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'ec2-role' })), 'DeleteConflictException', conflict, 409);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'ec2-role' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'ec2-role' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ec2-role', AssumeRolePolicyDocument: trustEc2 }));
  });

  test('the recorded errors of adding, removing and listing', async () => {
    const noProfile = 'Instance Profile nonexistent-profile cannot be found.';
    const noRole = 'The role with name nonexistent-role cannot be found.';
    await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile', RoleName: 'ec2-role' })), 'NoSuchEntityException', noProfile, 404);
    await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'nonexistent-role' })), 'NoSuchEntityException', noRole, 404);
    await rejects(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile', RoleName: 'ec2-role' })), 'NoSuchEntityException', noProfile, 404);
    await rejects(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'nonexistent-role' })), 'NoSuchEntityException', noRole, 404);
    await rejects(
      iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'ec2-role' })),
      'NoSuchEntityException',
      'Role ec2-role in Instance Profile holder cannot be found.',
      404,
    );
    await rejects(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nonexistent-role' })), 'NoSuchEntityException', noRole, 404);
  });

  test('a service-linked role goes into no instance profile', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticache.amazonaws.com' }));
    await rejects(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: Role!.RoleName })), 'UnmodifiableEntityException', undefined, 400);
  });

  test('the account sees them: GetAccountAuthorizationDetails and GetAccountSummary', async () => {
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'other-role' }));
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    const role = details.RoleDetailList!.find((r) => r.RoleName === 'other-role')!;
    assert.deepEqual(role.InstanceProfileList!.map((p) => [p.InstanceProfileName, p.Roles!.map((r) => r.RoleName)]), [['holder', ['other-role']]]);
    assert.deepEqual(details.RoleDetailList!.find((r) => r.RoleName === 'ec2-role')!.InstanceProfileList, []);
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    const count = (await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles!.length;
    assert.equal(summary.InstanceProfiles, count);
    assert.equal(summary.InstanceProfilesQuota, 1000);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'holder', RoleName: 'other-role' }));
  });
});

describe('listing', () => {
  test('PathPrefix and Marker/MaxItems paging', async () => {
    for (const n of ['pg-a', 'pg-b', 'pg-c']) await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: n, Path: '/paged/' }));
    assert.deepEqual((await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/nothing/' }))).InstanceProfiles, []);
    const first = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    assert.deepEqual(first.InstanceProfiles!.map((p) => p.InstanceProfileName), ['pg-a', 'pg-b']);
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(second.InstanceProfiles!.map((p) => p.InstanceProfileName), ['pg-c']);
    assert.equal(second.IsTruncated, false);
  });
});

describe('tags', () => {
  test('on create, tag, list, untag; missing profiles answer NoSuchEntity', async () => {
    const created = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: [{ Key: 'InitialKey', Value: 'InitialValue' }] }))).InstanceProfile!;
    assert.deepEqual(created.Tags, [{ Key: 'InitialKey', Value: 'InitialValue' }]);
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tagged', Tags: [{ Key: 'MyKey', Value: 'myValue' }] }));
    const listed = await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged' }));
    assert.deepEqual(listed.Tags, [{ Key: 'InitialKey', Value: 'InitialValue' }, { Key: 'MyKey', Value: 'myValue' }]);
    assert.equal(listed.IsTruncated, false);
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'tagged', TagKeys: ['InitialKey', 'MyKey'] }));
    assert.deepEqual((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged' }))).Tags, []);
    const missing = 'Instance Profile nonexistent-profile cannot be found.';
    await rejects(iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile', Tags: [{ Key: 'k', Value: 'v' }] })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'nonexistent-profile', TagKeys: ['k'] })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nonexistent-profile' })), 'NoSuchEntityException', missing, 404);
  });
});

describe('authorization', () => {
  test('each operation asks its action on the profile ARN; adding a role also asks iam:PassRole on it', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'guarded' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'admin-ish', AssumeRolePolicyDocument: trustEc2 }));
    const noPass = server.iam(await userWithKey(iam, 'no-pass', policy(allow('iam:*InstanceProfile*'))));
    await rejects(
      noPass.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'guarded', RoleName: 'admin-ish' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/no-pass is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${ACCOUNT}:role/admin-ish because no identity-based policy allows the iam:PassRole action`,
      403,
    );
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'guarded' }))).InstanceProfile!.Roles, []);

    const onlyGet = server.iam(await userWithKey(iam, 'only-get', policy(allow('iam:GetInstanceProfile', profileArn('guarded')))));
    await onlyGet.send(new GetInstanceProfileCommand({ InstanceProfileName: 'guarded' }));
    await rejects(
      onlyGet.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'guarded' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/only-get is not authorized to perform: iam:DeleteInstanceProfile on resource: ${profileArn('guarded')} because no identity-based policy allows the iam:DeleteInstanceProfile action`,
      403,
    );
    await rejects(onlyGet.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'not-mine' })), 'AccessDenied', undefined, 403);

    // Control: with iam:PassRole on that role, the role goes in.
    const withPass = server.iam(await userWithKey(iam, 'with-pass', policy(allow('iam:AddRoleToInstanceProfile', profileArn('guarded')), allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin-ish`))));
    await withPass.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'guarded', RoleName: 'admin-ish' }));
    assert.equal((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'guarded' }))).InstanceProfile!.Roles![0]!.RoleName, 'admin-ish');
  });

  test('tags on create also need iam:TagInstanceProfile', async () => {
    const creator = server.iam(await userWithKey(iam, 'ip-creator', policy(allow('iam:CreateInstanceProfile'))));
    await rejects(creator.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'with-tags', Tags: [{ Key: 'k', Value: 'v' }] })), 'AccessDenied', /iam:TagInstanceProfile/, 403);
    await creator.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'without-tags' }));
  });
});

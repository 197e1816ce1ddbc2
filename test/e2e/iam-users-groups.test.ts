// Users, groups and membership through the wire: the real IAM client against a started iamd, the
// answers compared with the ones recorded from AWS (shared/reference/aws-recorded).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteGroupPolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateGroupCommand,
  UpdateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const names = (list: { UserName?: string; GroupName?: string }[] | undefined) => (list ?? []).map((e) => e.UserName ?? e.GroupName);

describe('users', () => {
  test('create, get and list have the recorded members; a user without tags has no Tags', async () => {
    const created = (await iam.send(new CreateUserCommand({ UserName: 'lifecycle', Path: '/test-lifecycle-path/' }))).User!;
    assert.deepEqual(Object.keys(created).sort(), ['Arn', 'CreateDate', 'Path', 'UserId', 'UserName']);
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:user/test-lifecycle-path/lifecycle`);
    assert.match(created.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.ok(created.CreateDate instanceof Date);

    const got = (await iam.send(new GetUserCommand({ UserName: 'lifecycle' }))).User!;
    assert.deepEqual(got, created);

    const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/test-lifecycle-path/' }));
    assert.equal(listed.IsTruncated, false);
    assert.equal(listed.Marker, undefined);
    assert.deepEqual(listed.Users, [created]);
  });

  test('tags come back on CreateUser and GetUser, in the order given', async () => {
    const tags = [
      { Key: 'Environment', Value: 'Test' },
      { Key: 'Team', Value: 'Platform' },
    ];
    const created = (await iam.send(new CreateUserCommand({ UserName: 'tagged', Tags: tags }))).User!;
    assert.deepEqual(created.Tags, tags);
    assert.deepEqual((await iam.send(new GetUserCommand({ UserName: 'tagged' }))).User!.Tags, tags);
    const listed = (await iam.send(new ListUsersCommand({}))).Users!.find((u) => u.UserName === 'tagged')!;
    assert.equal(listed.Tags, undefined, 'ListUsers leaves tags out');
  });

  test('PathPrefix is a plain string prefix', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'in-team', Path: '/team/backend/' }));
    await iam.send(new CreateUserCommand({ UserName: 'in-teams', Path: '/teams/' }));
    assert.deepEqual(names((await iam.send(new ListUsersCommand({ PathPrefix: '/team/' }))).Users), ['in-team']);
    assert.deepEqual(names((await iam.send(new ListUsersCommand({ PathPrefix: '/team' }))).Users), ['in-team', 'in-teams']);
    assert.deepEqual((await iam.send(new ListUsersCommand({ PathPrefix: '/nobody/' }))).Users, []);
  });

  test('GetUser without a name describes the calling user, or the root', async () => {
    const self = await userWithKey(iam, 'self-reader', policy(allow('iam:GetUser')));
    const me = (await server.iam(self).send(new GetUserCommand({}))).User!;
    assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:user/self-reader`);
    const root = (await iam.send(new GetUserCommand({}))).User!;
    assert.equal(root.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(root.UserId, ACCOUNT);
  });

  test('names are unique regardless of case, and keep the spelling they were created with', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'Casey' }));
    await rejects(iam.send(new CreateUserCommand({ UserName: 'CASEY' })), 'EntityAlreadyExistsException', 'User with name CASEY already exists.', 409);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'casey' }))).User!.UserName, 'Casey');
  });

  test('unknown users are NoSuchEntity with the recorded text', async () => {
    const text = 'The user with name nonexistent-user cannot be found.';
    await rejects(iam.send(new GetUserCommand({ UserName: 'nonexistent-user' })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new UpdateUserCommand({ UserName: 'nonexistent-user', NewPath: '/x/' })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'nonexistent-user' })), 'NoSuchEntityException', text, 404);
  });

  test('UpdateUser renames and moves, keeping the id, the keys, policies and memberships', async () => {
    const before = (await iam.send(new CreateUserCommand({ UserName: 'before-rename' }))).User!;
    await iam.send(new CreateGroupCommand({ GroupName: 'rename-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'rename-group', UserName: 'before-rename' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'before-rename', PolicyName: 'p', PolicyDocument: policy(allow('iam:GetUser')) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'before-rename' }))).AccessKey!;

    assert.deepEqual(Object.keys(await iam.send(new UpdateUserCommand({ UserName: 'before-rename', NewUserName: 'after-rename', NewPath: '/new-path/' })))
      .filter((k) => k !== '$metadata'), []);
    await rejects(iam.send(new GetUserCommand({ UserName: 'before-rename' })), 'NoSuchEntityException', 'The user with name before-rename cannot be found.', 404);
    const after = (await iam.send(new GetUserCommand({ UserName: 'after-rename' }))).User!;
    assert.equal(after.Arn, `arn:aws:iam::${ACCOUNT}:user/new-path/after-rename`);
    assert.equal(after.Path, '/new-path/');
    assert.equal(after.UserId, before.UserId);
    assert.deepEqual(names((await iam.send(new GetGroupCommand({ GroupName: 'rename-group' }))).Users), ['after-rename']);
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'after-rename' }))).AccessKeyMetadata!;
    assert.deepEqual(keys.map((k) => [k.AccessKeyId, k.UserName]), [[key.AccessKeyId, 'after-rename']]);
    // The key still signs, now as the renamed user.
    const who = await server.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new GetUserCommand({}));
    assert.equal(who.User!.UserName, 'after-rename');

    await iam.send(new CreateUserCommand({ UserName: 'taken-name' }));
    await rejects(
      iam.send(new UpdateUserCommand({ UserName: 'after-rename', NewUserName: 'TAKEN-name' })),
      'EntityAlreadyExistsException',
      'User with name TAKEN-name already exists.',
      409,
    );
  });

  test('DeleteUser names what is still attached to the user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'conflicted' }));
    const user = { UserName: 'conflicted' };
    const key = (await iam.send(new CreateAccessKeyCommand(user))).AccessKey!.AccessKeyId!;
    await rejects(iam.send(new DeleteUserCommand(user)), 'DeleteConflictException', 'Cannot delete entity, must delete access keys first.', 409);
    await iam.send(new DeleteAccessKeyCommand({ ...user, AccessKeyId: key }));

    await iam.send(new AttachUserPolicyCommand({ ...user, PolicyArn: READ_ONLY }));
    await rejects(iam.send(new DeleteUserCommand(user)), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.', 409);
    await iam.send(new DetachUserPolicyCommand({ ...user, PolicyArn: READ_ONLY }));

    await iam.send(new PutUserPolicyCommand({ ...user, PolicyName: 'inline', PolicyDocument: policy(allow('s3:ListBucket')) }));
    await rejects(iam.send(new DeleteUserCommand(user)), 'DeleteConflictException', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteUserPolicyCommand({ ...user, PolicyName: 'inline' }));

    await iam.send(new CreateGroupCommand({ GroupName: 'holds-conflicted' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'holds-conflicted', ...user }));
    await rejects(iam.send(new DeleteUserCommand(user)), 'DeleteConflictException', 'Cannot delete entity, must remove user from all groups first.', 409);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'holds-conflicted', ...user }));

    await iam.send(new DeleteUserCommand(user));
    await rejects(iam.send(new GetUserCommand(user)), 'NoSuchEntityException', 'The user with name conflicted cannot be found.', 404);
  });

  test('a name outside the model\'s pattern is a ValidationError, worded as IAM\'s recorded ones (no value quoted)', async () => {
    await rejects(
      iam.send(new CreateUserCommand({ UserName: 'no spaces' })),
      'ValidationError',
      "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      400,
    );
  });
});

describe('groups', () => {
  test('create, get, list and the duplicate', async () => {
    const created = (await iam.send(new CreateGroupCommand({ GroupName: 'Admins' }))).Group!;
    assert.deepEqual(Object.keys(created).sort(), ['Arn', 'CreateDate', 'GroupId', 'GroupName', 'Path']);
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:group/Admins`);
    assert.match(created.GroupId!, /^AGPA[A-Z2-7]{17}$/);
    await rejects(iam.send(new CreateGroupCommand({ GroupName: 'admins' })), 'EntityAlreadyExistsException', 'Group with name admins already exists.', 409);

    const got = await iam.send(new GetGroupCommand({ GroupName: 'admins' }));
    assert.deepEqual(got.Group, created);
    assert.deepEqual(got.Users, []);
    assert.equal(got.IsTruncated, false);

    const withPath = (await iam.send(new CreateGroupCommand({ GroupName: 'pathed', Path: '/ops/' }))).Group!;
    assert.equal(withPath.Arn, `arn:aws:iam::${ACCOUNT}:group/ops/pathed`);
    assert.deepEqual(names((await iam.send(new ListGroupsCommand({ PathPrefix: '/ops/' }))).Groups), ['pathed']);
    assert.ok(names((await iam.send(new ListGroupsCommand({}))).Groups).includes('Admins'));
  });

  test('unknown groups are NoSuchEntity with the recorded text', async () => {
    await rejects(iam.send(new GetGroupCommand({ GroupName: 'non-existent-group' })), 'NoSuchEntityException', 'The group with name non-existent-group cannot be found.', 404);
    await rejects(iam.send(new DeleteGroupCommand({ GroupName: 'unknown-group' })), 'NoSuchEntityException', 'The group with name unknown-group cannot be found.', 404);
    await rejects(iam.send(new UpdateGroupCommand({ GroupName: 'nonexisting', NewGroupName: 'x' })), 'NoSuchEntityException', 'The group with name nonexisting cannot be found.', 404);
  });

  test('UpdateGroup renames and moves; the old name is gone, members stay', async () => {
    const original = (await iam.send(new CreateGroupCommand({ GroupName: 'old-group' }))).Group!;
    await iam.send(new CreateUserCommand({ UserName: 'member-of-old' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'old-group', UserName: 'member-of-old' }));
    await iam.send(new UpdateGroupCommand({ GroupName: 'old-group', NewGroupName: 'new-group', NewPath: '/new-path/' }));
    await rejects(iam.send(new GetGroupCommand({ GroupName: 'old-group' })), 'NoSuchEntityException', 'The group with name old-group cannot be found.', 404);
    const updated = await iam.send(new GetGroupCommand({ GroupName: 'new-group' }));
    assert.equal(updated.Group!.Arn, `arn:aws:iam::${ACCOUNT}:group/new-path/new-group`);
    assert.equal(updated.Group!.GroupId, original.GroupId);
    assert.deepEqual(names(updated.Users), ['member-of-old']);
    assert.deepEqual(names((await iam.send(new ListGroupsForUserCommand({ UserName: 'member-of-old' }))).Groups), ['new-group']);

    await iam.send(new CreateGroupCommand({ GroupName: 'group-name-2' }));
    await rejects(
      iam.send(new UpdateGroupCommand({ GroupName: 'new-group', NewGroupName: 'group-name-2' })),
      'EntityAlreadyExistsException',
      'Group with name group-name-2 already exists.',
      409,
    );
  });

  test('DeleteGroup names what is still attached to the group', async () => {
    const group = { GroupName: 'busy-group' };
    await iam.send(new CreateGroupCommand(group));
    await iam.send(new CreateUserCommand({ UserName: 'busy-member' }));
    await iam.send(new AddUserToGroupCommand({ ...group, UserName: 'busy-member' }));
    await rejects(iam.send(new DeleteGroupCommand(group)), 'DeleteConflictException', 'Cannot delete entity, must remove users from group first.', 409);
    await iam.send(new RemoveUserFromGroupCommand({ ...group, UserName: 'busy-member' }));

    await iam.send(new AttachGroupPolicyCommand({ ...group, PolicyArn: READ_ONLY }));
    await rejects(iam.send(new DeleteGroupCommand(group)), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.', 409);
    await iam.send(new DetachGroupPolicyCommand({ ...group, PolicyArn: READ_ONLY }));

    await iam.send(new PutGroupPolicyCommand({ ...group, PolicyName: 'inline', PolicyDocument: policy(allow('s3:ListBucket')) }));
    await rejects(iam.send(new DeleteGroupCommand(group)), 'DeleteConflictException', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteGroupPolicyCommand({ ...group, PolicyName: 'inline' }));

    await iam.send(new DeleteGroupCommand(group));
    await rejects(iam.send(new GetGroupCommand(group)), 'NoSuchEntityException', 'The group with name busy-group cannot be found.', 404);
  });
});

describe('membership', () => {
  test('add (idempotently), list both ways, remove (a non-member too)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'joiner' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'm-first' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'm-second' }));
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'joiner' }))).Groups, []);

    await iam.send(new AddUserToGroupCommand({ GroupName: 'm-first', UserName: 'joiner' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'm-first', UserName: 'joiner' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'M-SECOND', UserName: 'JOINER' }));
    const forUser = await iam.send(new ListGroupsForUserCommand({ UserName: 'joiner' }));
    assert.deepEqual(names(forUser.Groups), ['m-first', 'm-second']);
    assert.equal(forUser.IsTruncated, false);
    assert.deepEqual(Object.keys(forUser.Groups![0]!).sort(), ['Arn', 'CreateDate', 'GroupId', 'GroupName', 'Path']);

    const group = await iam.send(new GetGroupCommand({ GroupName: 'm-first' }));
    assert.deepEqual(names(group.Users), ['joiner']);
    assert.deepEqual(Object.keys(group.Users![0]!).sort(), ['Arn', 'CreateDate', 'Path', 'UserId', 'UserName']);

    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'm-first', UserName: 'joiner' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'm-first', UserName: 'joiner' }));
    assert.deepEqual(names((await iam.send(new ListGroupsForUserCommand({ UserName: 'joiner' }))).Groups), ['m-second']);
  });

  test('unknown users and groups: the recorded texts, the user named first', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'lonely' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'existing-group' }));
    await rejects(
      iam.send(new AddUserToGroupCommand({ GroupName: 'existing-group', UserName: 'non-existent-user' })),
      'NoSuchEntityException',
      'The user with name non-existent-user cannot be found.',
      404,
    );
    await rejects(
      iam.send(new AddUserToGroupCommand({ GroupName: 'nonexistent-group', UserName: 'lonely' })),
      'NoSuchEntityException',
      'The group with name nonexistent-group cannot be found.',
      404,
    );
    await rejects(
      iam.send(new RemoveUserFromGroupCommand({ GroupName: 'unknown-group', UserName: 'any-user' })),
      'NoSuchEntityException',
      'The user with name any-user cannot be found.',
      404,
    );
    await rejects(
      iam.send(new RemoveUserFromGroupCommand({ GroupName: 'nonexistent-group', UserName: 'lonely' })),
      'NoSuchEntityException',
      'The group with name nonexistent-group cannot be found.',
      404,
    );
    await rejects(iam.send(new ListGroupsForUserCommand({ UserName: 'ghost' })), 'NoSuchEntityException', 'The user with name ghost cannot be found.', 404);
  });

  test('a member gets the group\'s policies, and loses them when removed', async () => {
    const creds = await userWithKey(iam, 'reader');
    const reader = server.iam(creds);
    await rejects(reader.send(new ListUsersCommand({})), 'AccessDenied', /because no identity-based policy allows the iam:ListUsers action$/, 403);
    await iam.send(new CreateGroupCommand({ GroupName: 'listers' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'listers', PolicyName: 'list', PolicyDocument: policy(allow('iam:ListUsers')) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'listers', UserName: 'reader' }));
    await reader.send(new ListUsersCommand({}));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'listers', UserName: 'reader' }));
    await rejects(reader.send(new ListUsersCommand({})), 'AccessDenied');
  });
});

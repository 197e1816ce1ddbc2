import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy } from '../helpers/iam.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { roleCaller, userCaller } from '../helpers/callers.ts';
import { withIam } from './harness.ts';

const listBucket = policy(allow('s3:ListBucket'));

describe('users', () => {
  test('create, get, list by path prefix, delete', () =>
    withIam(async (iam) => {
      const user = (await iam.call('CreateUser', { UserName: 'alice', Path: '/team/', Tags: [{ Key: 'Env', Value: 'Test' }] })).User as Record<string, unknown>;
      assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/team/alice`);
      assert.match(user.UserId as string, /^AIDA[A-Z2-7]{17}$/);
      assert.deepEqual(user.Tags, [{ Key: 'Env', Value: 'Test' }]);
      await iam.call('CreateUser', { UserName: 'bob' });
      const partial = await iam.call('ListUsers', { PathPrefix: '/te' });
      assert.deepEqual((partial.Users as { UserName: string }[]).map((u) => u.UserName), ['alice']);
      assert.equal('Tags' in (partial.Users as object[])[0]!, false, 'ListUsers leaves tags out');
      await rejectsApiError(iam.call('CreateUser', { UserName: 'ALICE' }), 'EntityAlreadyExists', 'User with name ALICE already exists.', 409);
      await iam.call('DeleteUser', { UserName: 'alice' });
      await rejectsApiError(iam.call('GetUser', { UserName: 'alice' }), 'NoSuchEntity', 'The user with name alice cannot be found.', 404);
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'alice' }), 'NoSuchEntity', 'The user with name alice cannot be found.', 404);
    }));

  test('GetUser without a name describes the caller', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'carol' });
      await iam.call('PutUserPolicy', { UserName: 'carol', PolicyName: 'self', PolicyDocument: policy(allow('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/carol`)) });
      assert.equal(((await iam.call('GetUser', {}, userCaller('carol'))).User as { UserName: string }).UserName, 'carol');
      assert.equal(((await iam.call('GetUser', {})).User as { Arn: string }).Arn, `arn:aws:iam::${ACCOUNT}:root`);
      await rejectsApiError(iam.call('GetUser', {}, roleCaller('R')), 'ValidationError', 'Must specify userName when calling with non-User credentials', 400);
    }));

  test('UpdateUser renames and moves everything that hangs off the name', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'old' });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'old' });
      await iam.call('PutUserPolicy', { UserName: 'old', PolicyName: 'inline', PolicyDocument: listBucket });
      await iam.call('AttachUserPolicy', { UserName: 'old', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      const key = (await iam.call('CreateAccessKey', { UserName: 'old' })).AccessKey as { AccessKeyId: string };
      const id = ((await iam.call('GetUser', { UserName: 'old' })).User as { UserId: string }).UserId;

      await iam.call('UpdateUser', { UserName: 'old', NewUserName: 'New', NewPath: '/moved/' });
      await rejectsApiError(iam.call('GetUser', { UserName: 'old' }), 'NoSuchEntity', 'The user with name old cannot be found.', 404);
      const user = (await iam.call('GetUser', { UserName: 'new' })).User as Record<string, unknown>;
      assert.equal(user.UserName, 'New');
      assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/moved/New`);
      assert.equal(user.UserId, id, 'the unique id survives a rename');
      assert.deepEqual((await iam.call('ListUserPolicies', { UserName: 'New' })).PolicyNames, ['inline']);
      assert.equal(((await iam.call('ListAttachedUserPolicies', { UserName: 'New' })).AttachedPolicies as object[]).length, 1);
      assert.deepEqual(((await iam.call('ListGroupsForUser', { UserName: 'New' })).Groups as { GroupName: string }[]).map((g) => g.GroupName), ['g']);
      assert.deepEqual(((await iam.call('GetGroup', { GroupName: 'g' })).Users as { UserName: string }[]).map((u) => u.UserName), ['New']);
      const keys = (await iam.call('ListAccessKeys', { UserName: 'New' })).AccessKeyMetadata as { AccessKeyId: string; UserName: string }[];
      assert.deepEqual(keys.map((k) => [k.AccessKeyId, k.UserName]), [[key.AccessKeyId, 'New']]);
      await iam.call('CreateUser', { UserName: 'taken' });
      await rejectsApiError(iam.call('UpdateUser', { UserName: 'New', NewUserName: 'TAKEN' }), 'EntityAlreadyExists', 'User with name TAKEN already exists.', 409);
    }));

  test('DeleteUser obeys AWS delete conflicts', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u' });
      const key = ((await iam.call('CreateAccessKey', { UserName: 'u' })).AccessKey as { AccessKeyId: string }).AccessKeyId;
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'u' }), 'DeleteConflict', 'Cannot delete entity, must delete access keys first.', 409);
      await iam.call('DeleteAccessKey', { UserName: 'u', AccessKeyId: key });
      await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'u' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      await iam.call('DetachUserPolicy', { UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'p', PolicyDocument: listBucket });
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'u' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
      await iam.call('DeleteUserPolicy', { UserName: 'u', PolicyName: 'p' });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'u' }), 'DeleteConflict', 'Cannot delete entity, must remove user from all groups first.', 409);
      await iam.call('RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
      await iam.call('DeleteUser', { UserName: 'u' });
    }));

  test('the users quota', () =>
    withIam(
      async (iam) => {
        await iam.call('CreateUser', { UserName: 'a' });
        await rejectsApiError(iam.call('CreateUser', { UserName: 'b' }), 'LimitExceeded', 'Cannot exceed quota for UsersPerAccount: 1', 409);
      },
      { usersPerAccount: 1 },
    ));
});

describe('groups', () => {
  test('create, get with paginated users, list, rename, delete', () =>
    withIam(async (iam) => {
      const group = (await iam.call('CreateGroup', { GroupName: 'Devs', Path: '/eng/' })).Group as Record<string, unknown>;
      assert.equal(group.Arn, `arn:aws:iam::${ACCOUNT}:group/eng/Devs`);
      assert.match(group.GroupId as string, /^AGPA[A-Z2-7]{17}$/);
      await rejectsApiError(iam.call('CreateGroup', { GroupName: 'devs' }), 'EntityAlreadyExists', 'Group with name devs already exists.', 409);
      for (const n of ['u1', 'u2', 'u3']) {
        await iam.call('CreateUser', { UserName: n });
        await iam.call('AddUserToGroup', { GroupName: 'Devs', UserName: n });
      }
      await iam.call('AddUserToGroup', { GroupName: 'Devs', UserName: 'u1' });
      const first = await iam.call('GetGroup', { GroupName: 'devs', MaxItems: 2 });
      assert.deepEqual((first.Users as { UserName: string }[]).map((u) => u.UserName), ['u1', 'u2']);
      assert.equal(first.IsTruncated, true);
      const second = await iam.call('GetGroup', { GroupName: 'devs', Marker: first.Marker });
      assert.deepEqual((second.Users as { UserName: string }[]).map((u) => u.UserName), ['u3']);
      assert.equal(second.IsTruncated, false);

      await rejectsApiError(iam.call('DeleteGroup', { GroupName: 'Devs' }), 'DeleteConflict', 'Cannot delete entity, must remove users from group first.', 409);
      await iam.call('UpdateGroup', { GroupName: 'Devs', NewGroupName: 'Builders' });
      assert.equal(((await iam.call('GetGroup', { GroupName: 'Builders' })).Users as object[]).length, 3);
      for (const n of ['u1', 'u2', 'u3']) await iam.call('RemoveUserFromGroup', { GroupName: 'Builders', UserName: n });
      // Removing a non-member succeeds (recorded).
      await iam.call('RemoveUserFromGroup', { GroupName: 'Builders', UserName: 'u1' });
      assert.deepEqual((await iam.call('ListGroups', { PathPrefix: '/eng/' })).Groups instanceof Array, true);
      await iam.call('DeleteGroup', { GroupName: 'Builders' });
      await rejectsApiError(iam.call('GetGroup', { GroupName: 'Builders' }), 'NoSuchEntity', 'The group with name Builders cannot be found.', 404);
    }));

  test('membership errors name the user first, and GroupsPerUser is enforced', () =>
    withIam(
      async (iam) => {
        await rejectsApiError(iam.call('AddUserToGroup', { GroupName: 'nope', UserName: 'any-user' }), 'NoSuchEntity', 'The user with name any-user cannot be found.', 404);
        await iam.call('CreateUser', { UserName: 'u' });
        await rejectsApiError(iam.call('AddUserToGroup', { GroupName: 'nope', UserName: 'u' }), 'NoSuchEntity', 'The group with name nope cannot be found.', 404);
        await iam.call('CreateGroup', { GroupName: 'a' });
        await iam.call('CreateGroup', { GroupName: 'b' });
        await iam.call('AddUserToGroup', { GroupName: 'a', UserName: 'u' });
        const before = await iam.generation();
        await rejectsApiError(iam.call('AddUserToGroup', { GroupName: 'b', UserName: 'u' }), 'LimitExceeded', 'Cannot exceed quota for GroupsPerUser: 1', 409);
        assert.equal(await iam.generation(), before, 'a refused write changes nothing');
      },
      { groupsPerUser: 1 },
    ));

  test('DeleteGroup refuses while policies are attached or inline', () =>
    withIam(async (iam) => {
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      await rejectsApiError(iam.call('DeleteGroup', { GroupName: 'g' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      await iam.call('DetachGroupPolicy', { GroupName: 'g', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      await iam.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: listBucket });
      await rejectsApiError(iam.call('DeleteGroup', { GroupName: 'g' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    }));
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findAccessKey, recordAccessKeyUse } from '../../src/iam/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { roleCaller, userCaller } from '../helpers/callers.ts';
import { withIam } from './harness.ts';

describe('access keys', () => {
  test('create returns the secret once; list, update, delete; two per user', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u' });
      const key = (await iam.call('CreateAccessKey', { UserName: 'u' })).AccessKey as Record<string, unknown>;
      assert.match(key.AccessKeyId as string, /^AKIA[A-Z2-7]{16}$/);
      assert.match(key.SecretAccessKey as string, /^[A-Za-z0-9+/]{40}$/);
      assert.equal(key.Status, 'Active');
      assert.equal(key.UserName, 'u');
      const listed = (await iam.call('ListAccessKeys', { UserName: 'u' })).AccessKeyMetadata as Record<string, unknown>[];
      assert.equal(listed.length, 1);
      assert.equal('SecretAccessKey' in listed[0]!, false);
      await iam.call('CreateAccessKey', { UserName: 'u' });
      await rejectsApiError(iam.call('CreateAccessKey', { UserName: 'u' }), 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);

      await iam.call('UpdateAccessKey', { UserName: 'u', AccessKeyId: key.AccessKeyId, Status: 'Inactive' });
      const found = await iam.store.read((tx) => findAccessKey(tx, iam.deps.secrets, key.AccessKeyId as string));
      assert.deepEqual(found, { account: ACCOUNT, userName: 'u', secretAccessKey: key.SecretAccessKey, status: 'Inactive' });
      await rejectsApiError(
        iam.call('UpdateAccessKey', { UserName: 'u', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active' }),
        'NoSuchEntity',
        'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
        404,
      );
      await iam.call('CreateUser', { UserName: 'other' });
      await rejectsApiError(
        iam.call('DeleteAccessKey', { UserName: 'other', AccessKeyId: key.AccessKeyId }),
        'NoSuchEntity',
        `The Access Key with id ${key.AccessKeyId} cannot be found.`,
        404,
      );
      await iam.call('DeleteAccessKey', { UserName: 'u', AccessKeyId: key.AccessKeyId });
      assert.equal(await iam.store.read((tx) => findAccessKey(tx, iam.deps.secrets, key.AccessKeyId as string)), undefined);
      await rejectsApiError(iam.call('CreateAccessKey', { UserName: 'non-existent-user' }), 'NoSuchEntity', 'The user with name non-existent-user cannot be found.', 404);
    }));

  test('without UserName: the calling user, the root, or a ValidationError for roles', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'me' });
      const ownKeys = policy(allow(['iam:CreateAccessKey', 'iam:DeleteAccessKey'], `arn:aws:iam::${ACCOUNT}:user/me`));
      await iam.call('PutUserPolicy', { UserName: 'me', PolicyName: 'own-keys', PolicyDocument: ownKeys });
      const mine = (await iam.call('CreateAccessKey', {}, userCaller('me'))).AccessKey as Record<string, unknown>;
      assert.equal(mine.UserName, 'me');
      await iam.call('DeleteAccessKey', { AccessKeyId: mine.AccessKeyId }, userCaller('me'));
      const root = (await iam.call('CreateAccessKey', {})).AccessKey as Record<string, unknown>;
      assert.equal('UserName' in root, false);
      assert.equal((await iam.store.read((tx) => findAccessKey(tx, iam.deps.secrets, root.AccessKeyId as string)))?.root, true);
      await rejectsApiError(iam.call('ListAccessKeys', {}, roleCaller('R')), 'ValidationError', 'Must specify userName when calling with non-User credentials', 400);
    }));

  test('GetAccessKeyLastUsed', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u' });
      const id = ((await iam.call('CreateAccessKey', { UserName: 'u' })).AccessKey as { AccessKeyId: string }).AccessKeyId;
      assert.deepEqual(await iam.call('GetAccessKeyLastUsed', { AccessKeyId: id }), { UserName: 'u', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
      const when = new Date('2026-02-02T10:00:00Z');
      await iam.store.transaction((tx) => recordAccessKeyUse(tx, id, { date: when, service: 'iam', region: 'us-east-1' }));
      assert.deepEqual(await iam.call('GetAccessKeyLastUsed', { AccessKeyId: id }), {
        UserName: 'u',
        AccessKeyLastUsed: { LastUsedDate: when, ServiceName: 'iam', Region: 'us-east-1' },
      });
      await rejectsApiError(
        iam.call('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }),
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE`,
        403,
      );
    }));
});

describe('tags', () => {
  test('roles: case-insensitive keys, replaced in place, AWS texts', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'somekey', Value: 'v' }, { Key: 'other', Value: 'o' }] });
      await rejectsApiError(
        iam.call('CreateRole', { RoleName: 'R2', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
        400,
      );
      const before = await iam.generation();
      await iam.call('TagRole', { RoleName: 'R', Tags: [{ Key: 'Somekey', Value: 'updated' }] });
      assert.ok((await iam.generation()) > before, 'tags feed conditions, so they bump the generation');
      assert.deepEqual((await iam.call('ListRoleTags', { RoleName: 'R' })).Tags, [{ Key: 'Somekey', Value: 'updated' }, { Key: 'other', Value: 'o' }]);
      await iam.call('UntagRole', { RoleName: 'R', TagKeys: ['SOMEKEY'] });
      assert.deepEqual((await iam.call('ListRoleTags', { RoleName: 'R' })).Tags, [{ Key: 'other', Value: 'o' }]);
      await rejectsApiError(iam.call('TagRole', { RoleName: 'R', Tags: [{ Key: 'aws:reserved', Value: 'x' }] }), 'InvalidInput', /aws:/, 400);
      await rejectsApiError(iam.call('TagRole', { RoleName: 'test-nonexistent-role', Tags: [{ Key: 'k', Value: 'v' }] }), 'NoSuchEntity', 'The role with name test-nonexistent-role cannot be found.', 404);
      const [check] = await iam.authorize('UntagRole', { RoleName: 'R', TagKeys: ['other'] });
      assert.deepEqual(check!.context!['aws:TagKeys'], ['other']);
    }));

  test('the per-entity total and ListUserTags pagination', () =>
    withIam(
      async (iam) => {
        await iam.call('CreateUser', { UserName: 'u', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
        await iam.call('TagUser', { UserName: 'u', Tags: [{ Key: 'A', Value: 'replaced' }, { Key: 'c', Value: '3' }] });
        await rejectsApiError(iam.call('TagUser', { UserName: 'u', Tags: [{ Key: 'd', Value: '4' }] }), 'LimitExceeded', 'The number of tags has reached the maximum limit.', 409);
        const first = await iam.call('ListUserTags', { UserName: 'u', MaxItems: 2 });
        assert.deepEqual(first.Tags, [{ Key: 'A', Value: 'replaced' }, { Key: 'b', Value: '2' }]);
        const rest = await iam.call('ListUserTags', { UserName: 'u', Marker: first.Marker });
        assert.deepEqual(rest, { Tags: [{ Key: 'c', Value: '3' }], IsTruncated: false });
      },
      { tagsPerEntity: 3 },
    ));

  test('policies: case-sensitive keys, listed shortest first', () =>
    withIam(async (iam) => {
      const arn = ((await iam.call('CreatePolicy', {
        PolicyName: 'P',
        PolicyDocument: policy(allow('s3:ListBucket')),
        Tags: [{ Key: 'abc', Value: 'first' }, { Key: 'b', Value: 'second' }, { Key: 'z', Value: 'third' }, { Key: 'a', Value: 'fourth' }, { Key: 'A', Value: 'upper' }],
      })).Policy as { Arn: string }).Arn;
      assert.deepEqual(((await iam.call('ListPolicyTags', { PolicyArn: arn })).Tags as { Key: string }[]).map((t) => t.Key), ['A', 'a', 'b', 'z', 'abc']);
      await rejectsApiError(
        iam.call('TagPolicy', { PolicyArn: arn, Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] }),
        'InvalidInput',
        'Duplicate tag keys found.',
        400,
      );
      await iam.call('UntagPolicy', { PolicyArn: arn, TagKeys: ['a'] });
      assert.deepEqual(((await iam.call('ListPolicyTags', { PolicyArn: arn })).Tags as { Key: string }[]).map((t) => t.Key), ['A', 'b', 'z', 'abc']);
      const missing = `arn:aws:iam::${ACCOUNT}:policy/NotAPolicy`;
      await rejectsApiError(iam.call('TagPolicy', { PolicyArn: missing, Tags: [{ Key: 'k', Value: 'v' }] }), 'NoSuchEntity', `Policy ${missing} was not found.`, 404);
      const [check] = await iam.authorize('GetPolicy', { PolicyArn: arn });
      assert.equal(check!.context!['aws:ResourceTag/abc'], 'first');
    }));
});

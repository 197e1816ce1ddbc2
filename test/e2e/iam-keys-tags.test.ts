// Access keys and tags through the wire: a key's secret shown once, two keys per user, inactive keys
// refused, last use recorded; tags on users, roles and policies with their limits and case rules, and
// the tag condition keys enforced on real requests.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListPolicyTagsCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  ListUserTagsCommand,
  TagPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagPolicyCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, policy, sessionCredentials, trustAccount, trustEc2, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const tagsOf = (n: number, prefix = 'k'): Tag[] => Array.from({ length: n }, (_, i) => ({ Key: `${prefix}${i}`, Value: `v${i}` }));

describe('access keys', () => {
  test('the secret is shown only at creation; the list has the recorded members', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'key-holder' }));
    const empty = await iam.send(new ListAccessKeysCommand({ UserName: 'key-holder' }));
    assert.deepEqual([empty.AccessKeyMetadata, empty.IsTruncated], [[], false]);

    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'key-holder' }))).AccessKey!;
    assert.deepEqual(Object.keys(key).sort(), ['AccessKeyId', 'CreateDate', 'SecretAccessKey', 'Status', 'UserName']);
    assert.match(key.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.match(key.SecretAccessKey!, /^[A-Za-z0-9+/]{40}$/);
    assert.deepEqual([key.Status, key.UserName], ['Active', 'key-holder']);

    const listed = (await iam.send(new ListAccessKeysCommand({ UserName: 'key-holder' }))).AccessKeyMetadata!;
    assert.deepEqual(listed.map((k) => Object.keys(k).sort()), [['AccessKeyId', 'CreateDate', 'Status', 'UserName']]);
    assert.equal(listed[0]!.AccessKeyId, key.AccessKeyId);
  });

  test('two keys per user at most', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'two-keys' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' }));
    await rejects(iam.send(new CreateAccessKeyCommand({ UserName: 'two-keys' })), 'LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2', 409);
  });

  test('an inactive key no longer authenticates; active again, it does', async () => {
    const credentials = await userWithKey(iam, 'toggled', policy(allow('iam:GetUser')));
    const client = server.iam(credentials);
    await client.send(new GetUserCommand({}));
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggled', AccessKeyId: credentials.accessKeyId, Status: 'Inactive' }));
    const listed = (await iam.send(new ListAccessKeysCommand({ UserName: 'toggled' }))).AccessKeyMetadata!;
    assert.equal(listed[0]!.Status, 'Inactive');
    await rejects(client.send(new GetUserCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    await rejects(server.sts(credentials).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'toggled', AccessKeyId: credentials.accessKeyId, Status: 'Active' }));
    assert.equal((await client.send(new GetUserCommand({}))).User!.UserName, 'toggled');

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'toggled', AccessKeyId: credentials.accessKeyId }));
    await rejects(client.send(new GetUserCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  });

  test('a user manages its own keys without naming itself', async () => {
    const own = `arn:aws:iam::${ACCOUNT}:user/self-service`;
    const credentials = await userWithKey(iam, 'self-service', policy(allow(['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:DeleteAccessKey'], own)));
    const client = server.iam(credentials);
    const second = (await client.send(new CreateAccessKeyCommand({}))).AccessKey!;
    assert.equal(second.UserName, 'self-service');
    const ids = (await client.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.map((k) => k.AccessKeyId).sort();
    assert.deepEqual(ids, [credentials.accessKeyId, second.AccessKeyId].sort());
    await client.send(new DeleteAccessKeyCommand({ AccessKeyId: second.AccessKeyId }));
    await rejects(
      client.send(new CreateAccessKeyCommand({ UserName: 'key-holder' })),
      'AccessDenied',
      `User: ${own} is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::${ACCOUNT}:user/key-holder because no identity-based policy allows the iam:CreateAccessKey action`,
      403,
    );
  });

  test('the recorded refusals', async () => {
    await rejects(
      iam.send(new CreateAccessKeyCommand({ UserName: 'nonexistent-user' })),
      'NoSuchEntityException',
      'The user with name nonexistent-user cannot be found.',
      404,
    );
    await iam.send(new CreateUserCommand({ UserName: 'key-errors' }));
    await rejects(
      iam.send(new UpdateAccessKeyCommand({ UserName: 'key-errors', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Inactive' })),
      'NoSuchEntityException',
      'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
      404,
    );
    await rejects(
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE`,
      403,
    );
    // A role session has no user to default to.
    await iam.send(new CreateRoleCommand({ RoleName: 'key-session', AssumeRolePolicyDocument: trustAccount() }));
    const assumer = await userWithKey(iam, 'key-session-assumer', policy(allow('sts:AssumeRole')));
    const assumed = await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/key-session`, RoleSessionName: 'keys' }));
    await rejects(
      server.iam(sessionCredentials(assumed.Credentials)).send(new DeleteAccessKeyCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
      'ValidationError',
      'Must specify userName when calling with non-User credentials',
      400,
    );
  });

  test('GetAccessKeyLastUsed: N/A until used, then the date, service and region of the last call', async () => {
    const credentials = await userWithKey(iam, 'tracked', policy(allow('iam:ListRoles')));
    const unused = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId }));
    assert.deepEqual(unused.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });
    assert.equal(unused.UserName, 'tracked');

    const before = Math.floor(Date.now() / 1000) * 1000;
    await server.iam(credentials, 'eu-central-1').send(new ListRolesCommand({}));
    // Use is written about once a second, off the request path.
    const used = await eventually(
      'the key\'s use is recorded',
      () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId })),
      (answer) => answer.AccessKeyLastUsed?.LastUsedDate !== undefined,
    );
    const last = used.AccessKeyLastUsed!;
    // IAM is global, served from us-east-1, whatever region the client signed for.
    assert.deepEqual([last.ServiceName, last.Region], ['iam', 'us-east-1']);
    assert.ok(last.LastUsedDate!.getTime() >= before);

    // A regional service records the region of the call.
    await server.sts(credentials, 'eu-central-1').send(new GetCallerIdentityCommand({}));
    const regional = await eventually(
      'the key\'s use by STS is recorded',
      () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: credentials.accessKeyId })),
      (answer) => answer.AccessKeyLastUsed?.ServiceName === 'sts',
    );
    assert.equal(regional.AccessKeyLastUsed!.Region, 'eu-central-1');
  });
});

describe('tags', () => {
  test('users: tag, list, re-tag in place, untag', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tag-user' }));
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'tag-user' }))).Tags, []);
    await iam.send(new TagUserCommand({ UserName: 'tag-user', Tags: [{ Key: 'key-1', Value: 'value-1' }, { Key: 'key-2', Value: 'value-2' }] }));
    const listed = await iam.send(new ListUserTagsCommand({ UserName: 'tag-user' }));
    assert.deepEqual([listed.Tags, listed.IsTruncated], [[{ Key: 'key-1', Value: 'value-1' }, { Key: 'key-2', Value: 'value-2' }], false]);
    await iam.send(new UntagUserCommand({ UserName: 'tag-user', TagKeys: ['KEY-2'] }));
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'tag-user' }))).Tags, [{ Key: 'key-1', Value: 'value-1' }]);
    await rejects(
      iam.send(new TagUserCommand({ UserName: 'nonexistent-user', Tags: [{ Key: 'a', Value: 'b' }] })),
      'NoSuchEntityException',
      'The user with name nonexistent-user cannot be found.',
      404,
    );
  });

  test('roles: keys are case-insensitive — a new spelling replaces the old in place', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tag-role', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'somekey', Value: 'somevalue' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'tag-role', Tags: [{ Key: 'Somekey', Value: 'updatedvalue' }] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tag-role' }))).Tags, [{ Key: 'Somekey', Value: 'updatedvalue' }]);
    const duplicate = 'Duplicate tag keys found. Please note that Tag keys are case insensitive.';
    await rejects(iam.send(new TagRoleCommand({ RoleName: 'tag-role', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })), 'InvalidInputException', duplicate, 400);
    await rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'dup-tags', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'k', Value: '1' }, { Key: 'K', Value: '2' }] })),
      'InvalidInputException',
      duplicate,
      400,
    );
    await iam.send(new UntagRoleCommand({ RoleName: 'tag-role', TagKeys: ['SOMEKEY'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tag-role' }))).Tags, []);
  });

  test('policies: keys are case-sensitive, listed shortest first, paginated', async () => {
    const arn = (
      await iam.send(new CreatePolicyCommand({ PolicyName: 'tag-policy', PolicyDocument: policy(allow('s3:ListBucket')), Tags: [{ Key: 'a', Value: 'lowercase' }, { Key: 'A', Value: 'uppercase' }] }))
    ).Policy!.Arn!;
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'A', Value: 'uppercase' }, { Key: 'a', Value: 'lowercase' }]);
    await iam.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'A', Value: 'uppercase' }]);
    await rejects(
      iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] })),
      'InvalidInputException',
      'Duplicate tag keys found.',
      400,
    );

    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'somekey', Value: 'somevalue' }, { Key: 'someotherkey', Value: 'someothervalue' }] }));
    const page1 = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn, MaxItems: 2 }));
    assert.deepEqual([page1.Tags!.map((t) => t.Key), page1.IsTruncated], [['A', 'somekey'], true]);
    const page2 = await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn, MaxItems: 2, Marker: page1.Marker }));
    assert.deepEqual([page2.Tags!.map((t) => t.Key), page2.IsTruncated, page2.Marker], [['someotherkey'], false, undefined]);
    assert.deepEqual((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.Tags!.length, 3);

    const missing = `arn:aws:iam::${ACCOUNT}:policy/NotAPolicy`;
    await rejects(iam.send(new TagPolicyCommand({ PolicyArn: missing, Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntityException', `Policy ${missing} was not found.`, 404);
    await rejects(iam.send(new UntagPolicyCommand({ PolicyArn: missing, TagKeys: ['a'] })), 'NoSuchEntityException', `Policy ${missing} was not found.`, 404);
  });

  test('fifty tags per request and per entity', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'many-tags', Tags: tagsOf(50) }));
    await rejects(
      iam.send(new TagUserCommand({ UserName: 'many-tags', Tags: tagsOf(1, 'extra') })),
      'LimitExceededException',
      'The number of tags has reached the maximum limit.',
      409,
    );
    // Re-tagging existing keys stays within the limit.
    await iam.send(new TagUserCommand({ UserName: 'many-tags', Tags: [{ Key: 'K0', Value: 'changed' }] }));
    const tags = (await iam.send(new ListUserTagsCommand({ UserName: 'many-tags' }))).Tags!;
    assert.equal(tags.length, 50);
    assert.deepEqual(tags[0], { Key: 'K0', Value: 'changed' });

    const tooMany = "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50";
    await rejects(iam.send(new CreateRoleCommand({ RoleName: 'too-many', AssumeRolePolicyDocument: trustEc2, Tags: tagsOf(51) })), 'ValidationError', tooMany, 400);
    await rejects(iam.send(new CreatePolicyCommand({ PolicyName: 'too-many', PolicyDocument: policy(allow('s3:ListBucket')), Tags: tagsOf(51) })), 'ValidationError', tooMany, 400);
    await rejects(
      iam.send(new TagUserCommand({ UserName: 'many-tags', Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })),
      'ValidationError',
      "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
      400,
    );
    await rejects(
      iam.send(new TagUserCommand({ UserName: 'many-tags', Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] })),
      'ValidationError',
      "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
      400,
    );
    await rejects(
      iam.send(new UntagRoleCommand({ RoleName: 'tag-role', TagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })),
      'ValidationError',
      "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50",
      400,
    );
  });
});

describe('tag conditions', () => {
  const onTag = (action: string, key: string, value: string) => allow(action, '*', { Condition: { StringEquals: { [key]: value } } });

  test('aws:ResourceTag and iam:ResourceTag decide access to roles and users', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'blue-role', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'red-role', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'team', Value: 'red' }] }));
    await iam.send(new CreateUserCommand({ UserName: 'blue-user', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await iam.send(new CreateUserCommand({ UserName: 'red-user', Tags: [{ Key: 'team', Value: 'red' }] }));
    const client = server.iam(await userWithKey(iam, 'blue-reader', policy(onTag('iam:GetRole', 'aws:ResourceTag/team', 'blue'), onTag('iam:GetUser', 'iam:ResourceTag/team', 'blue'))));

    await client.send(new GetRoleCommand({ RoleName: 'blue-role' }));
    await rejects(
      client.send(new GetRoleCommand({ RoleName: 'red-role' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/blue-reader is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${ACCOUNT}:role/red-role because no identity-based policy allows the iam:GetRole action`,
      403,
    );
    await client.send(new GetUserCommand({ UserName: 'blue-user' }));
    await rejects(client.send(new GetUserCommand({ UserName: 'red-user' })), 'AccessDenied', undefined, 403);

    // Retagging changes the decision on the next request.
    await iam.send(new TagRoleCommand({ RoleName: 'red-role', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await client.send(new GetRoleCommand({ RoleName: 'red-role' }));
  });

  test('aws:ResourceTag on customer managed policies', async () => {
    const tagged = (await iam.send(new CreatePolicyCommand({ PolicyName: 'tagged-policy', PolicyDocument: policy(allow('s3:ListBucket')), Tags: [{ Key: 'team', Value: 'blue' }] }))).Policy!.Arn!;
    const untagged = (await iam.send(new CreatePolicyCommand({ PolicyName: 'untagged-policy', PolicyDocument: policy(allow('s3:ListBucket')) }))).Policy!.Arn!;
    const client = server.iam(await userWithKey(iam, 'policy-reader', policy(onTag('iam:GetPolicy', 'aws:ResourceTag/team', 'blue'))));
    await client.send(new GetPolicyCommand({ PolicyArn: tagged }));
    await rejects(client.send(new GetPolicyCommand({ PolicyArn: untagged })), 'AccessDenied', undefined, 403);
  });

  test('aws:RequestTag and aws:TagKeys limit which tags a caller may set', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'request-tags', AssumeRolePolicyDocument: trustEc2 }));
    const client = server.iam(
      await userWithKey(
        iam,
        'tagger',
        policy(allow('iam:TagRole', '*', { Condition: { StringEquals: { 'aws:RequestTag/env': 'dev' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } } })),
      ),
    );
    await client.send(new TagRoleCommand({ RoleName: 'request-tags', Tags: [{ Key: 'env', Value: 'dev' }] }));
    await rejects(client.send(new TagRoleCommand({ RoleName: 'request-tags', Tags: [{ Key: 'env', Value: 'prod' }] })), 'AccessDenied', undefined, 403);
    await rejects(
      client.send(new TagRoleCommand({ RoleName: 'request-tags', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'me' }] })),
      'AccessDenied',
      undefined,
      403,
    );
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'request-tags' }))).Tags, [{ Key: 'env', Value: 'dev' }]);
  });
});

// Account-wide answers through the wire: GetAccountSummary's keys and counts (service-linked roles
// included), GetAccountAuthorizationDetails with its filters, and Marker/MaxItems/IsTruncated on every
// paginated IAM list. Each test works in an account of its own so counts are exact.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListPoliciesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type SummaryKeyType,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { allow, decodeDocument, freshAccount, policy, trustEc2 } from '../helpers/iam.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(() => server.close());

const S3_FULL = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const listBucket = policy(allow('s3:ListBucket'));

/** The recorded SummaryMap keys (transformed-summary in iam__test_iam_account_summary). */
const SUMMARY_KEYS = [
  'AccessKeysPerUserQuota', 'AccountAccessKeysPresent', 'AccountMFAEnabled', 'AccountPasswordPresent', 'AccountSigningCertificatesPresent',
  'AssumeRolePolicySizeQuota', 'AttachedPoliciesPerGroupQuota', 'AttachedPoliciesPerRoleQuota', 'AttachedPoliciesPerUserQuota',
  'GlobalEndpointTokenVersion', 'GroupPolicySizeQuota', 'Groups', 'GroupsPerUserQuota', 'GroupsQuota', 'InstanceProfiles',
  'InstanceProfilesQuota', 'MFADevices', 'MFADevicesInUse', 'Policies', 'PoliciesQuota', 'PolicySizeQuota', 'PolicyVersionsInUse',
  'PolicyVersionsInUseQuota', 'Providers', 'RolePolicySizeQuota', 'Roles', 'RolesQuota', 'ServerCertificates', 'ServerCertificatesQuota',
  'SigningCertificatesPerUserQuota', 'UserPolicySizeQuota', 'Users', 'UsersQuota', 'VersionsPerPolicyQuota',
];

describe('GetAccountSummary', () => {
  test('the recorded keys, with AWS\'s default quotas', async () => {
    const { iam } = await freshAccount(server);
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.deepEqual(Object.keys(summary).sort(), SUMMARY_KEYS);
    assert.deepEqual(
      {
        AccessKeysPerUserQuota: summary.AccessKeysPerUserQuota,
        AssumeRolePolicySizeQuota: summary.AssumeRolePolicySizeQuota,
        AttachedPoliciesPerRoleQuota: summary.AttachedPoliciesPerRoleQuota,
        GroupPolicySizeQuota: summary.GroupPolicySizeQuota,
        GroupsQuota: summary.GroupsQuota,
        PoliciesQuota: summary.PoliciesQuota,
        PolicySizeQuota: summary.PolicySizeQuota,
        PolicyVersionsInUseQuota: summary.PolicyVersionsInUseQuota,
        RolePolicySizeQuota: summary.RolePolicySizeQuota,
        RolesQuota: summary.RolesQuota,
        UserPolicySizeQuota: summary.UserPolicySizeQuota,
        UsersQuota: summary.UsersQuota,
        VersionsPerPolicyQuota: summary.VersionsPerPolicyQuota,
      },
      {
        AccessKeysPerUserQuota: 2,
        AssumeRolePolicySizeQuota: 2048,
        AttachedPoliciesPerRoleQuota: 10,
        GroupPolicySizeQuota: 5120,
        GroupsQuota: 300,
        PoliciesQuota: 1500,
        PolicySizeQuota: 6144,
        PolicyVersionsInUseQuota: 10000,
        RolePolicySizeQuota: 10240,
        RolesQuota: 1000,
        UserPolicySizeQuota: 2048,
        UsersQuota: 5000,
        VersionsPerPolicyQuota: 5,
      },
    );
    assert.deepEqual([summary.Users, summary.Groups, summary.Roles, summary.Policies, summary.PolicyVersionsInUse], [0, 0, 0, 0, 0]);
  });

  test('counts follow the account: users, groups, roles (service-linked too), policies and their versions', async () => {
    const { iam } = await freshAccount(server);
    const before = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    await iam.send(new CreateUserCommand({ UserName: 'counted' }));
    await iam.send(new CreateUserCommand({ UserName: 'counted-then-deleted' }));
    await iam.send(new DeleteUserCommand({ UserName: 'counted-then-deleted' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'counted' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'counted', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticache.amazonaws.com' }));
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'counted', PolicyDocument: listBucket }))).Policy!.Arn!;
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: policy(allow('s3:GetObject')) }));
    const after = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    const delta = (key: SummaryKeyType) => after[key]! - before[key]!;
    assert.deepEqual(
      { Users: delta('Users'), Groups: delta('Groups'), Roles: delta('Roles'), Policies: delta('Policies'), PolicyVersionsInUse: delta('PolicyVersionsInUse') },
      { Users: 1, Groups: 1, Roles: 2, Policies: 1, PolicyVersionsInUse: 2 },
    );
  });

  test('AccountAccessKeysPresent tells whether the root user has access keys', async () => {
    const { iam } = await freshAccount(server);
    // A new account's root user has keys, as `iamd accounts create` does.
    assert.equal((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountAccessKeysPresent, 1);
    await iam.send(new CreateUserCommand({ UserName: 'user-keys-do-not-count' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'user-keys-do-not-count' }));
    assert.equal((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.AccountAccessKeysPresent, 1);
  });
});

describe('GetAccountAuthorizationDetails', () => {
  test('each Filter returns its kind with the recorded members', async () => {
    const { iam, account } = await freshAccount(server);
    await iam.send(new CreateUserCommand({ UserName: 'detailed', Tags: [{ Key: 'somekey', Value: 'somevalue' }] }));
    await iam.send(new CreateGroupCommand({ GroupName: 'detailed-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'detailed-group', UserName: 'detailed' }));
    const local = (await iam.send(new CreatePolicyCommand({ PolicyName: 'detailed-policy', PolicyDocument: listBucket }))).Policy!.Arn!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'detailed', PolicyArn: local }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'detailed', PolicyName: 'user-inline', PolicyDocument: listBucket }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'detailed-group', PolicyArn: local }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'detailed-group', PolicyName: 'group-inline', PolicyDocument: listBucket }));
    await iam.send(new CreateRoleCommand({ RoleName: 'detailed-role', Path: '/my-path/', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'team', Value: 'platform' }] }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'detailed-role', PolicyArn: S3_FULL }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'detailed-role', PolicyName: 'role-inline', PolicyDocument: listBucket }));
    const details = (Filter: ('User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy')[]) =>
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter }));

    const users = await details(['User']);
    assert.deepEqual([users.GroupDetailList, users.RoleDetailList, users.Policies, users.IsTruncated], [[], [], [], false]);
    const user = users.UserDetailList![0]!;
    assert.deepEqual(Object.keys(user).sort(), ['Arn', 'AttachedManagedPolicies', 'CreateDate', 'GroupList', 'Path', 'Tags', 'UserId', 'UserName', 'UserPolicyList']);
    assert.deepEqual(user.GroupList, ['detailed-group']);
    assert.deepEqual(user.AttachedManagedPolicies, [{ PolicyName: 'detailed-policy', PolicyArn: local }]);
    assert.deepEqual(user.UserPolicyList!.map((p) => [p.PolicyName, decodeDocument(p.PolicyDocument)]), [['user-inline', JSON.parse(listBucket)]]);
    assert.deepEqual(user.Tags, [{ Key: 'somekey', Value: 'somevalue' }]);

    const groups = (await details(['Group'])).GroupDetailList!;
    assert.deepEqual(Object.keys(groups[0]!).sort(), ['Arn', 'AttachedManagedPolicies', 'CreateDate', 'GroupId', 'GroupName', 'GroupPolicyList', 'Path']);
    assert.deepEqual(groups[0]!.GroupPolicyList!.map((p) => p.PolicyName), ['group-inline']);

    const roles = (await details(['Role'])).RoleDetailList!;
    assert.deepEqual(Object.keys(roles[0]!).sort(), [
      'Arn', 'AssumeRolePolicyDocument', 'AttachedManagedPolicies', 'CreateDate', 'InstanceProfileList', 'Path', 'RoleId', 'RoleLastUsed', 'RoleName', 'RolePolicyList', 'Tags',
    ]);
    assert.equal(roles[0]!.Arn, `arn:aws:iam::${account}:role/my-path/detailed-role`);
    assert.deepEqual(roles[0]!.AttachedManagedPolicies, [{ PolicyName: 'AmazonS3FullAccess', PolicyArn: S3_FULL }]);
    assert.deepEqual(decodeDocument(roles[0]!.AssumeRolePolicyDocument), JSON.parse(trustEc2));

    const locals = (await details(['LocalManagedPolicy'])).Policies!;
    assert.deepEqual(locals.map((p) => [p.Arn, p.AttachmentCount]), [[local, 2]]);
    assert.deepEqual(Object.keys(locals[0]!).sort(), [
      'Arn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'Path', 'PermissionsBoundaryUsageCount', 'PolicyId', 'PolicyName', 'PolicyVersionList', 'UpdateDate',
    ]);
    assert.deepEqual(locals[0]!.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v1', true]]);

    // AWS managed policies the account uses, with all their versions.
    const awsManaged = (await details(['AWSManagedPolicy'])).Policies!;
    assert.deepEqual(awsManaged.map((p) => [p.Arn, p.AttachmentCount]), [[S3_FULL, 1]]);
    const versions = awsManaged[0]!.PolicyVersionList!;
    assert.equal(versions.filter((v) => v.IsDefaultVersion).length, 1);
    assert.equal(versions.find((v) => v.IsDefaultVersion)!.VersionId, awsManaged[0]!.DefaultVersionId);

    const everything = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    assert.deepEqual(
      [everything.UserDetailList!.length, everything.GroupDetailList!.length, everything.RoleDetailList!.length, everything.Policies!.length],
      [1, 1, 1, 2],
    );
  });

  test('pages across kinds with MaxItems and Marker', async () => {
    const { iam } = await freshAccount(server);
    for (const name of ['a', 'b']) {
      await iam.send(new CreateUserCommand({ UserName: `user-${name}` }));
      await iam.send(new CreateGroupCommand({ GroupName: `group-${name}` }));
      await iam.send(new CreateRoleCommand({ RoleName: `role-${name}`, AssumeRolePolicyDocument: trustEc2 }));
    }
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 4, Marker }));
      pages++;
      const names = [
        ...page.UserDetailList!.map((u) => u.UserName!),
        ...page.GroupDetailList!.map((g) => g.GroupName!),
        ...page.RoleDetailList!.map((r) => r.RoleName!),
      ];
      assert.ok(names.length <= 4);
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      seen.push(...names);
      Marker = page.Marker;
    } while (Marker);
    assert.equal(pages, 2);
    assert.deepEqual(seen.sort(), ['group-a', 'group-b', 'role-a', 'role-b', 'user-a', 'user-b']);
  });
});

interface Page {
  items: unknown[];
  IsTruncated?: boolean;
  Marker?: string;
}

/** Reads a list one item per page and checks the paging members; answers the items in page order. */
async function pageThrough(name: string, read: (page: { MaxItems?: number; Marker?: string }) => Promise<Page>): Promise<void> {
  const whole = await read({});
  assert.equal(whole.IsTruncated, false, `${name}: the whole list fits the default page`);
  assert.equal(whole.Marker, undefined, `${name}: no Marker on a last page`);
  assert.ok(whole.items.length >= 2, `${name}: the fixture gives at least two items`);
  const paged: unknown[] = [];
  let Marker: string | undefined;
  for (let i = 0; i < whole.items.length; i++) {
    const page = await read({ MaxItems: 1, Marker });
    assert.equal(page.items.length, 1, `${name}: page ${i + 1} has one item`);
    const last = i === whole.items.length - 1;
    assert.equal(page.IsTruncated, !last, `${name}: page ${i + 1} IsTruncated`);
    assert.equal(page.Marker === undefined, last, `${name}: page ${i + 1} Marker`);
    paged.push(...page.items);
    Marker = page.Marker;
  }
  assert.deepEqual(paged, whole.items, `${name}: the pages add up to the whole list`);
  await rejects(read({ Marker: 'garbage-marker' }), 'ValidationError', 'Invalid Marker.', 400);
}

describe('pagination on every list', () => {
  test('Marker, MaxItems and IsTruncated', async () => {
    const { iam } = await freshAccount(server);
    const local = (await iam.send(new CreatePolicyCommand({ PolicyName: 'paged-1', PolicyDocument: listBucket, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))).Policy!.Arn!;
    const local2 = (await iam.send(new CreatePolicyCommand({ PolicyName: 'paged-2', PolicyDocument: listBucket }))).Policy!.Arn!;
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: local, PolicyDocument: policy(allow('s3:GetObject')) }));
    for (const n of ['1', '2']) {
      await iam.send(new CreateUserCommand({ UserName: `pu-${n}`, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
      await iam.send(new CreateGroupCommand({ GroupName: `pg-${n}` }));
      await iam.send(new CreateRoleCommand({ RoleName: `pr-${n}`, AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
      await iam.send(new AddUserToGroupCommand({ GroupName: `pg-${n}`, UserName: 'pu-1' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'pg-1', UserName: `pu-${n}` }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'pu-1', PolicyName: `inline-${n}`, PolicyDocument: listBucket }));
      await iam.send(new PutGroupPolicyCommand({ GroupName: 'pg-1', PolicyName: `inline-${n}`, PolicyDocument: listBucket }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'pr-1', PolicyName: `inline-${n}`, PolicyDocument: listBucket }));
    }
    for (const arn of [local, local2]) {
      await iam.send(new AttachUserPolicyCommand({ UserName: 'pu-1', PolicyArn: arn }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'pg-1', PolicyArn: arn }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'pr-1', PolicyArn: arn }));
    }
    await iam.send(new CreateAccessKeyCommand({ UserName: 'pu-1' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'pu-1' }));

    await pageThrough('ListUsers', async (p) => {
      const a = await iam.send(new ListUsersCommand(p));
      return { items: a.Users!.map((u) => u.UserName), ...a };
    });
    await pageThrough('ListGroups', async (p) => {
      const a = await iam.send(new ListGroupsCommand(p));
      return { items: a.Groups!.map((g) => g.GroupName), ...a };
    });
    await pageThrough('ListRoles', async (p) => {
      const a = await iam.send(new ListRolesCommand(p));
      return { items: a.Roles!.map((r) => r.RoleName), ...a };
    });
    await pageThrough('ListPolicies', async (p) => {
      const a = await iam.send(new ListPoliciesCommand({ Scope: 'Local', ...p }));
      return { items: a.Policies!.map((x) => x.Arn), ...a };
    });
    await pageThrough('GetGroup', async (p) => {
      const a = await iam.send(new GetGroupCommand({ GroupName: 'pg-1', ...p }));
      return { items: a.Users!.map((u) => u.UserName), ...a };
    });
    await pageThrough('ListGroupsForUser', async (p) => {
      const a = await iam.send(new ListGroupsForUserCommand({ UserName: 'pu-1', ...p }));
      return { items: a.Groups!.map((g) => g.GroupName), ...a };
    });
    await pageThrough('ListAccessKeys', async (p) => {
      const a = await iam.send(new ListAccessKeysCommand({ UserName: 'pu-1', ...p }));
      return { items: a.AccessKeyMetadata!.map((k) => k.AccessKeyId), ...a };
    });
    await pageThrough('ListPolicyVersions', async (p) => {
      const a = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: local, ...p }));
      return { items: a.Versions!.map((v) => v.VersionId), ...a };
    });
    await pageThrough('ListEntitiesForPolicy', async (p) => {
      const a = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: local, ...p }));
      return { items: [...a.PolicyGroups!.map((g) => g.GroupName), ...a.PolicyRoles!.map((r) => r.RoleName), ...a.PolicyUsers!.map((u) => u.UserName)], ...a };
    });
    await pageThrough('ListUserPolicies', async (p) => {
      const a = await iam.send(new ListUserPoliciesCommand({ UserName: 'pu-1', ...p }));
      return { items: a.PolicyNames!, ...a };
    });
    await pageThrough('ListGroupPolicies', async (p) => {
      const a = await iam.send(new ListGroupPoliciesCommand({ GroupName: 'pg-1', ...p }));
      return { items: a.PolicyNames!, ...a };
    });
    await pageThrough('ListRolePolicies', async (p) => {
      const a = await iam.send(new ListRolePoliciesCommand({ RoleName: 'pr-1', ...p }));
      return { items: a.PolicyNames!, ...a };
    });
    await pageThrough('ListAttachedUserPolicies', async (p) => {
      const a = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'pu-1', ...p }));
      return { items: a.AttachedPolicies!.map((x) => x.PolicyArn), ...a };
    });
    await pageThrough('ListAttachedGroupPolicies', async (p) => {
      const a = await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'pg-1', ...p }));
      return { items: a.AttachedPolicies!.map((x) => x.PolicyArn), ...a };
    });
    await pageThrough('ListAttachedRolePolicies', async (p) => {
      const a = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'pr-1', ...p }));
      return { items: a.AttachedPolicies!.map((x) => x.PolicyArn), ...a };
    });
    await pageThrough('ListUserTags', async (p) => {
      const a = await iam.send(new ListUserTagsCommand({ UserName: 'pu-1', ...p }));
      return { items: a.Tags!.map((t) => t.Key), ...a };
    });
    await pageThrough('ListRoleTags', async (p) => {
      const a = await iam.send(new ListRoleTagsCommand({ RoleName: 'pr-1', ...p }));
      return { items: a.Tags!.map((t) => t.Key), ...a };
    });
    await pageThrough('ListPolicyTags', async (p) => {
      const a = await iam.send(new ListPolicyTagsCommand({ PolicyArn: local, ...p }));
      return { items: a.Tags!.map((t) => t.Key), ...a };
    });
  });

  test('a page starts after the last item returned, even when items change in between', async () => {
    const { iam } = await freshAccount(server);
    for (const n of ['b', 'd']) await iam.send(new CreateUserCommand({ UserName: n }));
    const first = await iam.send(new ListUsersCommand({ MaxItems: 1 }));
    assert.deepEqual(first.Users!.map((u) => u.UserName), ['b']);
    await iam.send(new CreateUserCommand({ UserName: 'a' }));
    await iam.send(new CreateUserCommand({ UserName: 'c' }));
    const rest = await iam.send(new ListUsersCommand({ Marker: first.Marker }));
    assert.deepEqual(rest.Users!.map((u) => u.UserName), ['c', 'd']);
  });

  test('MaxItems outside 1..1000 is a ValidationError', async () => {
    const { iam } = await freshAccount(server);
    await rejects(
      iam.send(new ListUsersCommand({ MaxItems: 0 })),
      'ValidationError',
      "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
      400,
    );
    await rejects(
      iam.send(new ListRolesCommand({ MaxItems: 1001 })),
      'ValidationError',
      "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
      400,
    );
  });
});

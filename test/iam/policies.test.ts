import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { S3_READ_ONLY, SERVICE_ROLE_POLICY, withIam, type Iam } from './harness.ts';

const listBucket = policy(allow('s3:ListBucket'));

const P = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:policy${path}${name}`;

async function createPolicy(iam: Iam, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return ((await iam.call('CreatePolicy', { PolicyName: name, PolicyDocument: listBucket, ...extra })).Policy as { Arn: string }).Arn;
}

describe('customer managed policies', () => {
  test('create and get, with AWS shapes; names unique per account whatever the path', () =>
    withIam(async (iam) => {
      const created = (await iam.call('CreatePolicy', { PolicyName: 'Read', Path: '/team/', PolicyDocument: listBucket, Description: 'd' })).Policy as Record<string, unknown>;
      assert.equal(created.Arn, P('Read', '/team/'));
      assert.match(created.PolicyId as string, /^ANPA[A-Z2-7]{17}$/);
      assert.equal(created.DefaultVersionId, 'v1');
      assert.equal(created.AttachmentCount, 0);
      assert.equal(created.PermissionsBoundaryUsageCount, 0);
      assert.equal(created.IsAttachable, true);
      assert.equal('Description' in created, false, 'CreatePolicy does not echo the description (recorded)');
      const got = (await iam.call('GetPolicy', { PolicyArn: P('Read', '/team/') })).Policy as Record<string, unknown>;
      assert.equal(got.Description, 'd');
      assert.deepEqual(got.Tags, []);
      await rejectsApiError(
        iam.call('CreatePolicy', { PolicyName: 'read', Path: '/other/', PolicyDocument: listBucket }),
        'EntityAlreadyExists',
        'A policy called read already exists. Duplicate names are not allowed.',
        409,
      );
      await rejectsApiError(iam.call('GetPolicy', { PolicyArn: P('Read') }), 'NoSuchEntity', `Policy ${P('Read')} was not found.`, 404);
      await rejectsApiError(iam.call('GetPolicy', { PolicyArn: 'Read' }), 'ValidationError', 'ARN Read is not valid.', 400);
    }));

  test('documents are validated as managed identity policies and returned as written', () =>
    withIam(async (iam) => {
      await rejectsApiError(iam.call('CreatePolicy', { PolicyName: 'x', PolicyDocument: 'nope' }), 'MalformedPolicyDocument', 'Syntax errors in policy.', 400);
      const old = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
      await rejectsApiError(iam.call('CreatePolicy', { PolicyName: 'x', PolicyDocument: old }), 'MalformedPolicyDocument', 'Policy document must be version 2012-10-17 or greater.', 400);
      const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::${'b'.repeat(6200)}` }] });
      await rejectsApiError(iam.call('CreatePolicy', { PolicyName: 'x', PolicyDocument: big }), 'LimitExceeded', 'Cannot exceed quota for PolicySize: 6144', 409);
      const spaced = '{ "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ] }';
      const arn = await createPolicy(iam, 'spaced', { PolicyDocument: spaced });
      const v = (await iam.call('GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' })).PolicyVersion as Record<string, unknown>;
      assert.equal(v.Document, spaced);
      assert.equal(v.IsDefaultVersion, true);
    }));

  test('versions: newest first, at most five, never reused, default cannot be deleted', () =>
    withIam(async (iam) => {
      const arn = await createPolicy(iam, 'V');
      const v2 = (await iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: policy(allow('s3:GetObject')), SetAsDefault: true })).PolicyVersion as Record<string, unknown>;
      assert.deepEqual({ ...v2, CreateDate: undefined }, { VersionId: 'v2', IsDefaultVersion: true, CreateDate: undefined });
      for (let i = 3; i <= 5; i++) await iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: listBucket });
      await rejectsApiError(
        iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: listBucket }),
        'LimitExceeded',
        'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
        409,
      );
      const listed = (await iam.call('ListPolicyVersions', { PolicyArn: arn })).Versions as { VersionId: string; IsDefaultVersion: boolean }[];
      assert.deepEqual(listed.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
      await rejectsApiError(iam.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v2' }), 'DeleteConflict', 'Cannot delete the default version of a policy.', 409);
      await rejectsApiError(
        iam.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v9' }),
        'NoSuchEntity',
        `Policy ${arn} version v9 does not exist or is not attachable.`,
        404,
      );
      await iam.call('DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v5' });
      const v6 = (await iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: listBucket })).PolicyVersion as { VersionId: string };
      assert.equal(v6.VersionId, 'v6');
      const before = await iam.generation();
      await iam.call('SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
      assert.ok((await iam.generation()) > before);
      assert.equal(((await iam.call('GetPolicy', { PolicyArn: arn })).Policy as { DefaultVersionId: string }).DefaultVersionId, 'v1');
      await rejectsApiError(
        iam.call('SetDefaultPolicyVersion', { PolicyArn: P('Nope'), VersionId: 'v1' }),
        'NoSuchEntity',
        `Policy ${P('Nope')} version v1 does not exist or is not attachable.`,
        404,
      );
      const paged = await iam.call('ListPolicyVersions', { PolicyArn: arn, MaxItems: 2 });
      const rest = await iam.call('ListPolicyVersions', { PolicyArn: arn, Marker: paged.Marker });
      assert.deepEqual(
        [...(paged.Versions as { VersionId: string }[]), ...(rest.Versions as { VersionId: string }[])].map((v) => v.VersionId),
        ['v6', 'v4', 'v3', 'v2', 'v1'],
      );
    }));

  test('DeletePolicy refuses while attached or used as a boundary', () =>
    withIam(async (iam) => {
      const arn = await createPolicy(iam, 'D');
      await iam.call('CreateUser', { UserName: 'u' });
      await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: arn });
      await rejectsApiError(iam.call('DeletePolicy', { PolicyArn: arn }), 'DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
      await iam.call('DetachUserPolicy', { UserName: 'u', PolicyArn: arn });
      await iam.call('PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: arn });
      await rejectsApiError(iam.call('DeletePolicy', { PolicyArn: arn }), 'DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
      await iam.call('DeleteUserPermissionsBoundary', { UserName: 'u' });
      await iam.call('DeletePolicy', { PolicyArn: arn });
      await rejectsApiError(iam.call('DeletePolicy', { PolicyArn: arn }), 'NoSuchEntity', `Policy ${arn} was not found.`, 404);
    }));

  test('ListPolicies: scope, only attached, path prefix, usage filter, pagination', () =>
    withIam(async (iam) => {
      const a = await createPolicy(iam, 'Alpha', { Path: '/x/' });
      await createPolicy(iam, 'beta');
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: a });
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: S3_READ_ONLY });
      const names = async (input: Record<string, unknown>) =>
        ((await iam.call('ListPolicies', input)).Policies as { PolicyName: string }[]).map((p) => p.PolicyName);
      assert.deepEqual(await names({ Scope: 'Local' }), ['Alpha', 'beta']);
      assert.deepEqual(await names({ Scope: 'AWS' }), ['AmazonS3ReadOnlyAccess', 'MemoryDBServiceRolePolicy']);
      assert.deepEqual(await names({}), ['Alpha', 'AmazonS3ReadOnlyAccess', 'beta', 'MemoryDBServiceRolePolicy']);
      assert.deepEqual(await names({ OnlyAttached: true }), ['Alpha', 'AmazonS3ReadOnlyAccess']);
      assert.deepEqual(await names({ PathPrefix: '/x' }), ['Alpha']);
      assert.deepEqual(await names({ PolicyUsageFilter: 'PermissionsBoundary' }), []);
      const first = await iam.call('ListPolicies', { MaxItems: 3 });
      assert.equal(first.IsTruncated, true);
      assert.deepEqual(((await iam.call('ListPolicies', { Marker: first.Marker })).Policies as { PolicyName: string }[]).map((p) => p.PolicyName), [
        'MemoryDBServiceRolePolicy',
      ]);
      const s3 = ((await iam.call('ListPolicies', { Scope: 'AWS' })).Policies as { AttachmentCount: number }[])[0]!;
      assert.equal(s3.AttachmentCount, 1, 'AWS managed policies count this account\'s attachments');
    }));

  test('ListEntitiesForPolicy', () =>
    withIam(async (iam) => {
      const arn = await createPolicy(iam, 'E');
      await rejectsApiError(iam.call('ListEntitiesForPolicy', { PolicyArn: P('Missing') }), 'NoSuchEntity', `Policy ${P('Missing')} does not exist or is not attachable.`, 404);
      assert.deepEqual(await iam.call('ListEntitiesForPolicy', { PolicyArn: arn }), { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [], IsTruncated: false });
      await iam.call('CreateUser', { UserName: 'u', Path: '/p/' });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2, PermissionsBoundary: arn });
      await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: arn });
      await iam.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: arn });
      const all = await iam.call('ListEntitiesForPolicy', { PolicyArn: arn });
      assert.deepEqual((all.PolicyUsers as { UserName: string }[]).map((u) => u.UserName), ['u']);
      assert.deepEqual((all.PolicyGroups as { GroupName: string }[]).map((g) => g.GroupName), ['g']);
      assert.deepEqual((all.PolicyRoles as { RoleName: string }[]).map((r) => r.RoleName), ['r']);
      const onlyPolicies = await iam.call('ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsPolicy' });
      assert.deepEqual(onlyPolicies.PolicyRoles, []);
      const roles = await iam.call('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' });
      assert.deepEqual(roles.PolicyUsers, []);
      assert.equal((roles.PolicyRoles as object[]).length, 1);
      const local = await iam.call('ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'LocalManagedPolicy' });
      assert.deepEqual(local, { PolicyGroups: [], PolicyUsers: [], PolicyRoles: [], IsTruncated: false });
      const underP = await iam.call('ListEntitiesForPolicy', { PolicyArn: arn, PathPrefix: '/p/' });
      assert.deepEqual([(underP.PolicyUsers as object[]).length, (underP.PolicyGroups as object[]).length], [1, 0]);
    }));
});

describe('attachments', () => {
  test('attach, list, detach, with AWS texts', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      await rejectsApiError(iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: P('nonexistent-policy') }), 'NoSuchEntity', `Policy ${P('nonexistent-policy')} does not exist or is not attachable.`, 404);
      await rejectsApiError(iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: 'longpolicynamebutnoarn' }), 'ValidationError', 'ARN longpolicynamebutnoarn is not valid.', 400);
      await rejectsApiError(iam.call('AttachRolePolicy', { RoleName: 'nope', PolicyArn: S3_READ_ONLY }), 'NoSuchEntity', 'The role with name nope cannot be found.', 404);
      await rejectsApiError(
        iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: SERVICE_ROLE_POLICY }),
        'PolicyNotAttachable',
        'Cannot attach a Service Role Policy to a Customer Role.',
        400,
      );
      const before = await iam.generation();
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: S3_READ_ONLY });
      assert.ok((await iam.generation()) > before);
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: S3_READ_ONLY });
      const arn = await createPolicy(iam, 'Mine', { Path: '/mine/' });
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: arn });
      const listed = await iam.call('ListAttachedRolePolicies', { RoleName: 'R' });
      // Listed in ARN order: the account's own policies, then AWS's.
      assert.deepEqual(listed.AttachedPolicies, [
        { PolicyName: 'Mine', PolicyArn: arn },
        { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3_READ_ONLY },
      ]);
      assert.deepEqual(((await iam.call('ListAttachedRolePolicies', { RoleName: 'R', PathPrefix: '/mine' })).AttachedPolicies as object[]).length, 1);
      assert.equal(((await iam.call('GetPolicy', { PolicyArn: arn })).Policy as { AttachmentCount: number }).AttachmentCount, 1);
      await iam.call('DetachRolePolicy', { RoleName: 'R', PolicyArn: S3_READ_ONLY });
      await rejectsApiError(iam.call('DetachRolePolicy', { RoleName: 'R', PolicyArn: S3_READ_ONLY }), 'NoSuchEntity', `Policy ${S3_READ_ONLY} was not found.`, 404);
    }));

  test('managed policies per entity are limited', () =>
    withIam(
      async (iam) => {
        await iam.call('CreateUser', { UserName: 'u' });
        await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: S3_READ_ONLY });
        const arn = await createPolicy(iam, 'Two');
        await rejectsApiError(iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: arn }), 'LimitExceeded', 'Cannot exceed quota for PoliciesPerUser: 1', 409);
      },
      { attachedPoliciesPerUser: 1 },
    ));
});

describe('inline policies', () => {
  test('put, get, list, delete for users, groups and roles', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u' });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2 });
      for (const [label, member, name] of [['User', 'UserName', 'u'], ['Group', 'GroupName', 'g'], ['Role', 'RoleName', 'r']] as const) {
        await iam.call(`Put${label}Policy`, { [member]: name, PolicyName: 'b', PolicyDocument: listBucket });
        await iam.call(`Put${label}Policy`, { [member]: name, PolicyName: 'a', PolicyDocument: policy(allow('s3:GetObject')) });
        assert.deepEqual(await iam.call(`Get${label}Policy`, { [member]: name, PolicyName: 'a' }), { [member]: name, PolicyName: 'a', PolicyDocument: policy(allow('s3:GetObject')) });
        assert.deepEqual((await iam.call(`List${label}Policies`, { [member]: name })).PolicyNames, ['a', 'b']);
        await iam.call(`Put${label}Policy`, { [member]: name, PolicyName: 'a', PolicyDocument: policy(allow('s3:PutObject')) });
        assert.equal((await iam.call(`Get${label}Policy`, { [member]: name, PolicyName: 'a' })).PolicyDocument, policy(allow('s3:PutObject')));
        await iam.call(`Delete${label}Policy`, { [member]: name, PolicyName: 'a' });
        const kind = label.toLowerCase();
        await rejectsApiError(iam.call(`Get${label}Policy`, { [member]: name, PolicyName: 'a' }), 'NoSuchEntity', `The ${kind} policy with name a cannot be found.`, 404);
        await rejectsApiError(iam.call(`Delete${label}Policy`, { [member]: name, PolicyName: 'a' }), 'NoSuchEntity', `The ${kind} policy with name a cannot be found.`, 404);
      }
      await rejectsApiError(iam.call('PutRolePolicy', { RoleName: 'x', PolicyName: 'p', PolicyDocument: listBucket }), 'NoSuchEntity', 'The role with name x cannot be found.', 404);
      await rejectsApiError(iam.call('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: '{' }), 'MalformedPolicyDocument', 'Syntax errors in policy.', 400);
    }));

  test('the size limit is the aggregate of an entity\'s inline policies', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u' });
      const doc = (n: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `arn:aws:s3:::${'b'.repeat(n)}` }] });
      await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'one', PolicyDocument: doc(900) });
      // Replacing a policy does not count its old text.
      await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'one', PolicyDocument: doc(950) });
      await rejectsApiError(
        iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'two', PolicyDocument: doc(950) }),
        'LimitExceeded',
        'Maximum policy size of 2048 bytes exceeded for user u',
        409,
      );
    }));
});

describe('permissions boundaries', () => {
  test('put and delete, usage counts, AWS errors', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      const bad = `arn:aws:iam::${ACCOUNT}:not_a_policy/invalid`;
      await rejectsApiError(iam.call('PutRolePermissionsBoundary', { RoleName: 'R', PermissionsBoundary: bad }), 'InvalidInput', `ARN ${bad} is not valid.`, 400);
      await rejectsApiError(
        iam.call('CreateRole', { RoleName: 'R2', AssumeRolePolicyDocument: trustEc2, PermissionsBoundary: P('nonexistent-policy') }),
        'NoSuchEntity',
        `Scope ARN: ${P('nonexistent-policy')} does not exist or is not attachable.`,
        404,
      );
      await rejectsApiError(
        iam.call('PutRolePermissionsBoundary', { RoleName: 'nonexistent-role', PermissionsBoundary: S3_READ_ONLY }),
        'NoSuchEntity',
        'The role with name nonexistent-role cannot be found.',
        404,
      );
      const arn = await createPolicy(iam, 'B');
      await iam.call('PutRolePermissionsBoundary', { RoleName: 'R', PermissionsBoundary: arn });
      assert.deepEqual(((await iam.call('GetRole', { RoleName: 'R' })).Role as Record<string, unknown>).PermissionsBoundary, {
        PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
        PermissionsBoundaryArn: arn,
      });
      assert.equal(((await iam.call('GetPolicy', { PolicyArn: arn })).Policy as { PermissionsBoundaryUsageCount: number }).PermissionsBoundaryUsageCount, 1);
      await iam.call('PutRolePermissionsBoundary', { RoleName: 'R', PermissionsBoundary: S3_READ_ONLY });
      assert.equal(((await iam.call('GetPolicy', { PolicyArn: arn })).Policy as { PermissionsBoundaryUsageCount: number }).PermissionsBoundaryUsageCount, 0);
      const [check] = await iam.authorize('AttachRolePolicy', { RoleName: 'R', PolicyArn: arn });
      assert.equal(check!.context!['iam:PermissionsBoundary'], S3_READ_ONLY, 'the current boundary is a condition key on changes to the role');
      await iam.call('DeleteRolePermissionsBoundary', { RoleName: 'R' });
      assert.equal('PermissionsBoundary' in ((await iam.call('GetRole', { RoleName: 'R' })).Role as object), false);
    }));
});

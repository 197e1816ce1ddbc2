import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount, findAccessKey, principalAccess, recordRoleUse } from '../../src/iam/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { S3_READ_ONLY, withIam } from './harness.ts';

const listBucket = policy(allow('s3:ListBucket'));

describe('account views', () => {
  test('GetAccountSummary counts entities and reports the configured quotas', () =>
    withIam(
      async (iam) => {
        await iam.call('CreateUser', { UserName: 'u' });
        await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2 });
        const arn = ((await iam.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: listBucket })).Policy as { Arn: string }).Arn;
        await iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: listBucket });
        const map = (await iam.call('GetAccountSummary')).SummaryMap as Record<string, number>;
        assert.equal(map.Users, 1);
        assert.equal(map.Roles, 1);
        assert.equal(map.Groups, 0);
        assert.equal(map.Policies, 1);
        assert.equal(map.PolicyVersionsInUse, 2);
        assert.equal(map.RolesQuota, 7);
        assert.equal(map.AccessKeysPerUserQuota, 2);
        assert.equal(map.AssumeRolePolicySizeQuota, 2048);
      },
      { rolesPerAccount: 7 },
    ));

  test('GetAccountAuthorizationDetails with and without Filter', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'u', Tags: [{ Key: 'k', Value: 'v' }] });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
      await iam.call('PutGroupPolicy', { GroupName: 'g', PolicyName: 'gi', PolicyDocument: listBucket });
      await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2 });
      await iam.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: S3_READ_ONLY });
      const arn = ((await iam.call('CreatePolicy', { PolicyName: 'p', PolicyDocument: listBucket })).Policy as { Arn: string }).Arn;
      await iam.call('AttachUserPolicy', { UserName: 'u', PolicyArn: arn });

      const all = await iam.call('GetAccountAuthorizationDetails');
      const user = (all.UserDetailList as Record<string, unknown>[])[0]!;
      assert.deepEqual(user.GroupList, ['g']);
      assert.deepEqual(user.AttachedManagedPolicies, [{ PolicyName: 'p', PolicyArn: arn }]);
      assert.equal('UserPolicyList' in user, false, 'left out when empty (recorded)');
      assert.deepEqual(user.Tags, [{ Key: 'k', Value: 'v' }]);
      const group = (all.GroupDetailList as Record<string, unknown>[])[0]!;
      assert.deepEqual(group.GroupPolicyList, [{ PolicyName: 'gi', PolicyDocument: listBucket }]);
      const role = (all.RoleDetailList as Record<string, unknown>[])[0]!;
      assert.deepEqual(role.InstanceProfileList, []);
      assert.deepEqual(role.RoleLastUsed, {});
      const policies = (all.Policies as { Arn: string; PolicyVersionList: unknown[] }[]).map((p) => p.Arn);
      assert.deepEqual(policies, [arn, S3_READ_ONLY], 'local policies, and AWS policies the account uses');

      const onlyRoles = await iam.call('GetAccountAuthorizationDetails', { Filter: ['Role'] });
      assert.deepEqual([onlyRoles.UserDetailList, onlyRoles.GroupDetailList, onlyRoles.Policies], [[], [], []]);
      assert.equal((onlyRoles.RoleDetailList as object[]).length, 1);

      const seen: number[] = [];
      let marker: unknown;
      do {
        const page = await iam.call('GetAccountAuthorizationDetails', marker ? { MaxItems: 2, Marker: marker } : { MaxItems: 2 });
        seen.push(['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'].reduce((n, k) => n + (page[k] as object[]).length, 0));
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      assert.deepEqual(seen, [2, 2, 1]);
    }));
});

describe('principal look-ups for the server', () => {
  test('createAccount gives root credentials that findAccessKey resolves', () =>
    withIam(async (iam) => {
      const given = await iam.store.transaction((tx) =>
        createAccount(tx, iam.deps.secrets, '210987654321', { accessKeyId: 'AKIAEXAMPLEROOTKEY01', secretAccessKey: 's'.repeat(40) }),
      );
      assert.equal(given.accessKeyId, 'AKIAEXAMPLEROOTKEY01');
      assert.deepEqual(await iam.store.read((tx) => findAccessKey(tx, iam.deps.secrets, 'AKIAEXAMPLEROOTKEY01')), {
        account: '210987654321',
        secretAccessKey: 's'.repeat(40),
        status: 'Active',
        root: true,
      });
      const generated = await iam.store.transaction((tx) => createAccount(tx, iam.deps.secrets, '210987654321'));
      assert.match(generated.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(generated.secretAccessKey.length, 40);
      assert.equal(await iam.store.read((tx) => findAccessKey(tx, iam.deps.secrets, 'AKIANOSUCHKEY0000000')), undefined);
    }));

  test('principalPolicies: a user with its groups, a role with its boundary', () =>
    withIam(async (iam) => {
      const access = principalAccess(iam.deps);
      await iam.call('CreateUser', { UserName: 'u' });
      await iam.call('PutUserPolicy', { UserName: 'u', PolicyName: 'mine', PolicyDocument: policy(allow('s3:A')) });
      await iam.call('CreateGroup', { GroupName: 'g' });
      await iam.call('AddUserToGroup', { GroupName: 'g', UserName: 'u' });
      await iam.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: S3_READ_ONLY });
      const forUser = await iam.store.read((tx) => access.principalPolicies(tx, ACCOUNT, { type: 'user', name: 'U' }));
      assert.deepEqual(forUser, {
        policies: [
          { label: 'user/u/inline/mine', document: policy(allow('s3:A')), name: 'mine', ownerKind: 'user', ownerName: 'u' },
          {
            label: S3_READ_ONLY,
            document: policy(allow('s3:Get*')),
            name: 'AmazonS3ReadOnlyAccess',
            ownerKind: 'group',
            ownerName: 'g',
            managed: { arn: S3_READ_ONLY, aws: true },
          },
        ],
      });

      const arn = ((await iam.call('CreatePolicy', { PolicyName: 'b', PolicyDocument: policy(allow('s3:B')) })).Policy as { Arn: string }).Arn;
      await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2, PermissionsBoundary: arn });
      await iam.call('AttachRolePolicy', { RoleName: 'r', PolicyArn: arn });
      await iam.call('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: policy(allow('s3:C')), SetAsDefault: true });
      const forRole = await iam.store.read((tx) => access.principalPolicies(tx, ACCOUNT, { type: 'role', name: 'r' }));
      assert.deepEqual(forRole, {
        policies: [
          { label: arn, document: policy(allow('s3:C')), name: 'b', ownerKind: 'role', ownerName: 'r', managed: { arn, aws: false } },
        ],
        boundary: { label: arn, document: policy(allow('s3:C')), name: 'b' },
      });
      assert.equal(await iam.store.read((tx) => access.principalPolicies(tx, ACCOUNT, { type: 'role', name: 'none' })), undefined);
      assert.equal(await iam.store.read((tx) => access.managedPolicyDocument(tx, ACCOUNT, S3_READ_ONLY)), policy(allow('s3:Get*')));
    }));

  test('recordRoleUse feeds RoleLastUsed', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustEc2 });
      const when = new Date('2026-03-03T03:03:03Z');
      await iam.store.transaction((tx) => recordRoleUse(tx, ACCOUNT, 'R', when, 'eu-west-1'));
      assert.deepEqual(((await iam.call('GetRole', { RoleName: 'r' })).Role as Record<string, unknown>).RoleLastUsed, { LastUsedDate: when, Region: 'eu-west-1' });
    }));
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { withIam } from './harness.ts';

const listBucket = policy(allow('s3:ListBucket'));

describe('roles', () => {
  test('create, get, list and delete with AWS shapes', () =>
    withIam(async (iam) => {
      const created = (await iam.call('CreateRole', { RoleName: 'App', AssumeRolePolicyDocument: trustEc2, Description: 'd' })).Role as Record<string, unknown>;
      assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:role/App`);
      assert.match(created.RoleId as string, /^AROA[A-Z2-7]{17}$/);
      assert.ok(created.CreateDate instanceof Date);
      assert.equal(created.AssumeRolePolicyDocument, trustEc2);
      assert.equal(created.Description, 'd');
      // CreateRole leaves these out (recorded); GetRole has them.
      assert.equal('MaxSessionDuration' in created, false);
      assert.equal('RoleLastUsed' in created, false);

      const got = (await iam.call('GetRole', { RoleName: 'app' })).Role as Record<string, unknown>;
      assert.equal(got.RoleName, 'App', 'names are looked up regardless of case and keep their spelling');
      assert.equal(got.MaxSessionDuration, 3600);
      assert.deepEqual(got.RoleLastUsed, {});

      const listed = await iam.call('ListRoles');
      assert.equal(listed.IsTruncated, false);
      assert.deepEqual((listed.Roles as { RoleName: string }[]).map((r) => r.RoleName), ['App']);
      assert.equal('RoleLastUsed' in (listed.Roles as object[])[0]!, false);

      await iam.call('DeleteRole', { RoleName: 'App' });
      await rejectsApiError(iam.call('GetRole', { RoleName: 'App' }), 'NoSuchEntity', 'The role with name App cannot be found.', 404);
    }));

  test('names are unique regardless of case', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'Worker', AssumeRolePolicyDocument: trustEc2 });
      await rejectsApiError(
        iam.call('CreateRole', { RoleName: 'WORKER', AssumeRolePolicyDocument: trustEc2 }),
        'EntityAlreadyExists',
        'Role with name WORKER already exists.',
        409,
      );
    }));

  test('trust policies are validated as trust policies', () =>
    withIam(async (iam) => {
      await rejectsApiError(
        iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: '{not json' }),
        'MalformedPolicyDocument',
        'This policy contains invalid Json',
        400,
      );
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      const withResource = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }],
      });
      await rejectsApiError(
        iam.call('UpdateAssumeRolePolicy', { RoleName: 'R', PolicyDocument: withResource }),
        'MalformedPolicyDocument',
        'Has prohibited field Resource',
        400,
      );
      const big = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Sid: 'x'.repeat(2100) }],
      });
      await rejectsApiError(iam.call('UpdateAssumeRolePolicy', { RoleName: 'R', PolicyDocument: big }), 'LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048', 409);
      const before = await iam.generation();
      const other = trustEc2.replace('ec2', 'lambda');
      await iam.call('UpdateAssumeRolePolicy', { RoleName: 'R', PolicyDocument: other });
      assert.equal(((await iam.call('GetRole', { RoleName: 'R' })).Role as { AssumeRolePolicyDocument: string }).AssumeRolePolicyDocument, other);
      assert.ok((await iam.generation()) > before, 'a new trust policy bumps the generation');
    }));

  test('UpdateRole and UpdateRoleDescription', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2, Description: 'initial' });
      assert.deepEqual(await iam.call('UpdateRole', { RoleName: 'R', Description: 'updated', MaxSessionDuration: 7200 }), {});
      let role = (await iam.call('GetRole', { RoleName: 'R' })).Role as Record<string, unknown>;
      assert.equal(role.Description, 'updated');
      assert.equal(role.MaxSessionDuration, 7200);
      await iam.call('UpdateRole', { RoleName: 'R' });
      role = (await iam.call('GetRole', { RoleName: 'R' })).Role as Record<string, unknown>;
      assert.equal(role.Description, 'updated', 'members left out stay as they were');
      const described = (await iam.call('UpdateRoleDescription', { RoleName: 'R', Description: 'via description' })).Role as Record<string, unknown>;
      assert.equal(described.Description, 'via description');
      assert.equal('MaxSessionDuration' in described, false);
      await rejectsApiError(iam.call('UpdateRole', { RoleName: 'nope' }), 'NoSuchEntity', 'The role with name nope cannot be found.', 404);
    }));

  test('the roles quota comes from the configuration', () =>
    withIam(
      async (iam) => {
        await iam.call('CreateRole', { RoleName: 'a', AssumeRolePolicyDocument: trustEc2 });
        await iam.call('CreateRole', { RoleName: 'b', AssumeRolePolicyDocument: trustEc2 });
        await rejectsApiError(iam.call('CreateRole', { RoleName: 'c', AssumeRolePolicyDocument: trustEc2 }), 'LimitExceeded', 'Cannot exceed quota for RolesPerAccount: 2', 409);
      },
      { rolesPerAccount: 2 },
    ));

  test('DeleteRole refuses while policies are attached or inline', () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      const arn = ((await iam.call('CreatePolicy', { PolicyName: 'P', PolicyDocument: listBucket })).Policy as { Arn: string }).Arn;
      await iam.call('AttachRolePolicy', { RoleName: 'R', PolicyArn: arn });
      await rejectsApiError(iam.call('DeleteRole', { RoleName: 'R' }), 'DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      await iam.call('DetachRolePolicy', { RoleName: 'R', PolicyArn: arn });
      await iam.call('PutRolePolicy', { RoleName: 'R', PolicyName: 'inline', PolicyDocument: listBucket });
      await rejectsApiError(iam.call('DeleteRole', { RoleName: 'R' }), 'DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
      await iam.call('DeleteRolePolicy', { RoleName: 'R', PolicyName: 'inline' });
      const before = await iam.generation();
      await iam.call('DeleteRole', { RoleName: 'R' });
      assert.ok((await iam.generation()) > before);
    }));

  test('ListRoles: PathPrefix and pagination with opaque markers', () =>
    withIam(async (iam) => {
      for (const n of [0, 1, 2, 3, 4]) {
        await iam.call('CreateRole', { RoleName: `role-${n}`, Path: n % 2 ? '/odd/' : '/', AssumeRolePolicyDocument: trustEc2 });
      }
      const odd = await iam.call('ListRoles', { PathPrefix: '/od' });
      assert.deepEqual((odd.Roles as { RoleName: string }[]).map((r) => r.RoleName), ['role-1', 'role-3']);
      const names: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await iam.call('ListRoles', marker ? { MaxItems: 2, Marker: marker } : { MaxItems: 2 });
        names.push(...(page.Roles as { RoleName: string }[]).map((r) => r.RoleName));
        marker = page.IsTruncated ? (page.Marker as string) : undefined;
        assert.equal(page.IsTruncated, marker !== undefined);
        pages++;
      } while (marker);
      assert.equal(pages, 3);
      assert.deepEqual(names, ['role-0', 'role-1', 'role-2', 'role-3', 'role-4']);
      await rejectsApiError(iam.call('ListRoles', { Marker: 'garbage' }), 'ValidationError', 'Invalid Marker.', 400);
    }));

  test('authorization: the role ARN, tags and boundary as condition keys', () =>
    withIam(async (iam) => {
      const checks = await iam.authorize('CreateRole', {
        RoleName: 'R',
        Path: '/p/',
        AssumeRolePolicyDocument: trustEc2,
        Tags: [{ Key: 'team', Value: 'a' }],
        PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      });
      assert.deepEqual(checks[0], {
        action: 'iam:CreateRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/p/R`,
        context: {
          'aws:TagKeys': ['team'],
          'aws:RequestTag/team': 'a',
          'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        },
      });
      assert.equal(checks[1]!.action, 'iam:TagRole');
      await iam.call('CreateRole', { RoleName: 'R', Path: '/p/', AssumeRolePolicyDocument: trustEc2, Tags: [{ Key: 'team', Value: 'a' }] });
      const [get] = await iam.authorize('GetRole', { RoleName: 'R' });
      assert.deepEqual(get, {
        action: 'iam:GetRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/p/R`,
        context: { 'aws:ResourceTag/team': 'a', 'iam:ResourceTag/team': 'a' },
      });
      const [attach] = await iam.authorize('AttachRolePolicy', { RoleName: 'R', PolicyArn: 'arn:aws:iam::aws:policy/X' });
      assert.equal(attach!.context!['iam:PolicyARN'], 'arn:aws:iam::aws:policy/X');
      assert.deepEqual(await iam.authorize('ListRoles', { PathPrefix: '/p/' }), [{ action: 'iam:ListRoles', resource: `arn:aws:iam::${ACCOUNT}:role/p/` }]);
    }));
});

describe('service-linked roles through customer operations', () => {
  test('are protected: trust, policies, boundary and deletion belong to the service', () =>
    withIam(async (iam) => {
      const name = 'AWSServiceRoleForMemoryDB';
      await iam.store.transaction((tx) =>
        tx.insert(ACCOUNT, 'role', name.toLowerCase(), {
          RoleName: name,
          RoleId: 'AROAEXAMPLEEXAMPLEEX',
          Path: '/aws-service-role/memorydb.amazonaws.com/',
          Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/memorydb.amazonaws.com/${name}`,
          CreateDate: new Date().toISOString(),
          AssumeRolePolicyDocument: trustEc2,
          MaxSessionDuration: 3600,
          Tags: [],
          serviceLinked: { servicePrincipal: 'memorydb.amazonaws.com' },
        }),
      );
      const text = `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;
      await rejectsApiError(iam.call('DeleteRole', { RoleName: name }), 'UnmodifiableEntity', text, 400);
      await rejectsApiError(iam.call('UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: trustEc2 }), 'UnmodifiableEntity', text, 400);
      await rejectsApiError(iam.call('PutRolePolicy', { RoleName: name, PolicyName: 'p', PolicyDocument: listBucket }), 'UnmodifiableEntity', text, 400);
      await rejectsApiError(iam.call('AttachRolePolicy', { RoleName: name, PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }), 'UnmodifiableEntity', text, 400);
      // Reading and describing stay open.
      await iam.call('UpdateRoleDescription', { RoleName: name, Description: 'mine' });
      assert.equal(((await iam.call('GetRole', { RoleName: name })).Role as { Description: string }).Description, 'mine');
    }));
});

// Roles through the wire: each operation's answer has the members AWS's recorded answer has (CreateRole
// no MaxSessionDuration or RoleLastUsed, GetRole both, ListRoles no RoleLastUsed, boundary or tags),
// the trust-policy refusals are AWS's, and the roles quota is enforced. The server runs with
// `--roles-quota 3`; tests that need room make an account of their own.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { allow, decodeDocument, freshAccount, policy, trust, trustAccount, trustEc2, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer(['--roles-quota', '3']);
  iam = server.iam();
});
after(() => server.close());

// Tests that count roles against the quota of 3 work in an account of their own (freshAccount).

const members = (role: Role | undefined) => Object.keys(role ?? {}).sort();

describe('role shapes', () => {
  test('CreateRole, GetRole and ListRoles answer with the recorded members', async () => {
    const { iam, account } = await freshAccount(server);
    const created = (await iam.send(new CreateRoleCommand({ RoleName: 'shapes', AssumeRolePolicyDocument: trustEc2 }))).Role!;
    assert.deepEqual(members(created), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Path', 'RoleId', 'RoleName']);
    assert.equal(created.Arn, `arn:aws:iam::${account}:role/shapes`);
    assert.match(created.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.deepEqual(decodeDocument(created.AssumeRolePolicyDocument), JSON.parse(trustEc2));

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'shapes' }))).Role!;
    assert.deepEqual(members(got), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'MaxSessionDuration', 'Path', 'RoleId', 'RoleLastUsed', 'RoleName']);
    assert.equal(got.MaxSessionDuration, 3600);
    assert.deepEqual(got.RoleLastUsed, {});
    assert.equal(got.CreateDate!.getTime(), created.CreateDate!.getTime());

    const listed = await iam.send(new ListRolesCommand({}));
    assert.equal(listed.IsTruncated, false);
    assert.deepEqual(members(listed.Roles![0]), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'MaxSessionDuration', 'Path', 'RoleId', 'RoleName']);
  });

  test('with a description, tags and a boundary: Create and Get show them, List leaves tags and boundary out', async () => {
    const { iam, account } = await freshAccount(server);
    const boundary = (await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: policy(allow('s3:*')) }))).Policy!.Arn!;
    const tags = [
      { Key: 'team', Value: 'platform' },
      { Key: 'empty', Value: '' },
    ];
    const input = { RoleName: 'full', Path: '/my-path/', AssumeRolePolicyDocument: trustEc2, Description: 'a role', MaxSessionDuration: 7200, Tags: tags };
    const created = (await iam.send(new CreateRoleCommand({ ...input, PermissionsBoundary: boundary }))).Role!;
    const expectedBoundary = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    assert.equal(created.Arn, `arn:aws:iam::${account}:role/my-path/full`);
    assert.equal(created.Description, 'a role');
    assert.equal(created.MaxSessionDuration, undefined);
    assert.deepEqual(created.Tags, tags);
    assert.deepEqual(created.PermissionsBoundary, expectedBoundary);

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'full' }))).Role!;
    assert.equal(got.MaxSessionDuration, 7200);
    assert.deepEqual(got.Tags, tags);
    assert.deepEqual(got.PermissionsBoundary, expectedBoundary);

    const listed = (await iam.send(new ListRolesCommand({ PathPrefix: '/my-path/' }))).Roles!;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.Description, 'a role');
    assert.equal(listed[0]!.Tags, undefined);
    assert.equal(listed[0]!.PermissionsBoundary, undefined);
    assert.equal(listed[0]!.RoleLastUsed, undefined);
  });

  test('ListRoles: PathPrefix, MaxItems and Marker', async () => {
    const { iam } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'p-a', Path: '/paged/', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'p-b', Path: '/paged/', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'p-c', AssumeRolePolicyDocument: trustEc2 }));
    const first = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
    assert.deepEqual(first.Roles!.map((r) => r.RoleName), ['p-a', 'p-b']);
    assert.equal(first.IsTruncated, true);
    assert.ok(first.Marker);
    const second = await iam.send(new ListRolesCommand({ MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(second.Roles!.map((r) => r.RoleName), ['p-c']);
    assert.equal(second.IsTruncated, false);
    assert.equal(second.Marker, undefined);
    assert.deepEqual((await iam.send(new ListRolesCommand({ PathPrefix: '/paged/' }))).Roles!.map((r) => r.RoleName), ['p-a', 'p-b']);
    assert.deepEqual((await iam.send(new ListRolesCommand({ PathPrefix: '/nothing-here/' }))).Roles, []);
    await rejects(iam.send(new ListRolesCommand({ Marker: 'not-a-marker' })), 'ValidationError', 'Invalid Marker.', 400);
  });
});

describe('role errors', () => {
  test('unknown and duplicate roles, with the recorded texts', async () => {
    const { iam } = await freshAccount(server);
    const missing = 'The role with name test-nonexistent-role cannot be found.';
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'test-nonexistent-role' })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new UpdateRoleCommand({ RoleName: 'test-nonexistent-role' })), 'NoSuchEntityException', missing, 404);
    await rejects(iam.send(new DeleteRoleCommand({ RoleName: 'test-nonexistent-role' })), 'NoSuchEntityException', missing, 404);
    await iam.send(new CreateRoleCommand({ RoleName: 'Dup', AssumeRolePolicyDocument: trustEc2 }));
    await rejects(iam.send(new CreateRoleCommand({ RoleName: 'dUP', AssumeRolePolicyDocument: trustEc2 })), 'EntityAlreadyExistsException', 'Role with name dUP already exists.', 409);
  });

  test('DeleteRole refuses while policies are attached or inline, then the role is gone', async () => {
    const { iam } = await freshAccount(server);
    const role = { RoleName: 'to-delete' };
    await iam.send(new CreateRoleCommand({ ...role, AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new AttachRolePolicyCommand({ ...role, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await rejects(iam.send(new DeleteRoleCommand(role)), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.', 409);
    await iam.send(new DetachRolePolicyCommand({ ...role, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new PutRolePolicyCommand({ ...role, PolicyName: 'inline', PolicyDocument: policy(allow('s3:ListBucket')) }));
    await rejects(iam.send(new DeleteRoleCommand(role)), 'DeleteConflictException', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: 'inline' }));
    await iam.send(new DeleteRoleCommand(role));
    await rejects(iam.send(new GetRoleCommand(role)), 'NoSuchEntityException', 'The role with name to-delete cannot be found.', 404);
  });

  test('CreateRole refuses a malformed trust policy with AWS\'s texts', async () => {
    const { iam } = await freshAccount(server);
    const create = (doc: string) => iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: doc }));
    await rejects(create('{"Version": "2012-10-17", "Statement": ['), 'MalformedPolicyDocumentException', 'This policy contains invalid Json', 400);
    await rejects(
      create(policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 's3:GetObject' })),
      'MalformedPolicyDocumentException',
      'AssumeRole policy may only specify STS AssumeRole actions.',
      400,
    );
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'bad-trust' })), 'NoSuchEntityException');
  });
});

describe('updating roles', () => {
  test('UpdateRole (empty answer), UpdateRoleDescription (the role without MaxSessionDuration or RoleLastUsed)', async () => {
    const { iam } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'updated', AssumeRolePolicyDocument: trustEc2 }));
    const answer = await iam.send(new UpdateRoleCommand({ RoleName: 'updated', Description: 'via update_role', MaxSessionDuration: 7200 }));
    assert.deepEqual(Object.keys(answer), ['$metadata']);
    let got = (await iam.send(new GetRoleCommand({ RoleName: 'updated' }))).Role!;
    assert.equal(got.Description, 'via update_role');
    assert.equal(got.MaxSessionDuration, 7200);

    const described = (await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'updated', Description: 'description via update_role_description' }))).Role!;
    assert.deepEqual(members(described), ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Description', 'Path', 'RoleId', 'RoleName']);
    assert.equal(described.Description, 'description via update_role_description');

    // An UpdateRole without members changes nothing (recorded: "update-role-defaults").
    await iam.send(new UpdateRoleCommand({ RoleName: 'updated' }));
    got = (await iam.send(new GetRoleCommand({ RoleName: 'updated' }))).Role!;
    assert.equal(got.Description, 'description via update_role_description');
    assert.equal(got.MaxSessionDuration, 7200);
  });

  test('MaxSessionDuration outside 3600..43200 is a ValidationError', async () => {
    const { iam } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: trustEc2 }));
    await rejects(
      iam.send(new UpdateRoleCommand({ RoleName: 'bounded', MaxSessionDuration: 43201 })),
      'ValidationError',
      "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200",
      400,
    );
    await rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'too-short', AssumeRolePolicyDocument: trustEc2, MaxSessionDuration: 600 })),
      'ValidationError',
      "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
      400,
    );
  });

  test('UpdateAssumeRolePolicy replaces the trust policy, or refuses with the recorded texts', async () => {
    const { iam, account } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'trusting', AssumeRolePolicyDocument: trustEc2 }));
    const update = (PolicyDocument: string) => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trusting', PolicyDocument }));

    await update(trustAccount(account));
    assert.deepEqual(decodeDocument((await iam.send(new GetRoleCommand({ RoleName: 'trusting' }))).Role!.AssumeRolePolicyDocument), JSON.parse(trustAccount(account)));

    await rejects(update('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",'), 'MalformedPolicyDocumentException', 'This policy contains invalid Json', 400);
    await rejects(
      update(policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'iam:*' })),
      'MalformedPolicyDocumentException',
      'AssumeRole policy may only specify STS AssumeRole actions.',
      400,
    );
    await rejects(
      update(policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' })),
      'MalformedPolicyDocumentException',
      'Has prohibited field Resource',
      400,
    );
    // Larger than ACLSizePerRole (2048 without white space).
    const big = policy(...Array.from({ length: 40 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })));
    await rejects(update(big), 'LimitExceededException', 'Cannot exceed quota for ACLSizePerRole: 2048', 409);
    await rejects(
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'no-such-role', PolicyDocument: trustEc2 })),
      'NoSuchEntityException',
      'The role with name no-such-role cannot be found.',
      404,
    );
    // Every refusal left the accepted trust policy in place.
    assert.deepEqual(decodeDocument((await iam.send(new GetRoleCommand({ RoleName: 'trusting' }))).Role!.AssumeRolePolicyDocument), JSON.parse(trustAccount(account)));
  });

  test('a permissions boundary on a role: put, shown by GetRole', async () => {
    const { iam } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role!.PermissionsBoundary, {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
  });
});

describe('the roles quota (--roles-quota 3)', () => {
  test('a fourth role is LimitExceeded; service-linked roles do not count; deleting makes room', async () => {
    for (const name of ['q1', 'q2', 'q3']) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustEc2 }));
    await rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'q4', AssumeRolePolicyDocument: trustEc2 })),
      'LimitExceededException',
      'Cannot exceed quota for RolesPerAccount: 3',
      409,
    );
    const linked = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticache.amazonaws.com' }));
    assert.equal(linked.Role!.RoleName, 'AWSServiceRoleForElastiCache');
    await iam.send(new DeleteRoleCommand({ RoleName: 'q1' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'q4', AssumeRolePolicyDocument: trustEc2 }));
    await rejects(iam.send(new CreateRoleCommand({ RoleName: 'q5', AssumeRolePolicyDocument: trustEc2 })), 'LimitExceededException');
  });
});

describe('ListRoles after changes', () => {
  // The server keeps the XML it wrote for a listed role and writes it again while the role's row is
  // the same (src/protocol/xml.ts): every change a page shows must reach the next page.
  test('every change to a listed role shows on the next page, and a trust policy naming a deleted user shows its id', async () => {
    const { iam, account } = await freshAccount(server);
    const list = async () => (await iam.send(new ListRolesCommand({}))).Roles!;
    const named = (await iam.send(new CreateUserCommand({ UserName: 'named' }))).User!;
    await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'names-user', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:user/named`) }));
    const first = await list();
    assert.deepEqual(await list(), first, 'the same page twice');
    const kept = () => list().then((roles) => roles.find((r) => r.RoleName === 'kept')!);
    const original = await kept();

    await iam.send(new UpdateRoleCommand({ RoleName: 'kept', Description: 'one', MaxSessionDuration: 7200 }));
    assert.deepEqual([(await kept()).Description, (await kept()).MaxSessionDuration], ['one', 7200]);
    await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'kept', Description: 'two <&>' }));
    assert.equal((await kept()).Description, 'two <&>');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'kept', PolicyDocument: trustAccount(account) }));
    assert.deepEqual(decodeDocument((await kept()).AssumeRolePolicyDocument), JSON.parse(trustAccount(account)));

    await iam.send(new DeleteRoleCommand({ RoleName: 'kept' }));
    assert.equal((await list()).some((r) => r.RoleName === 'kept'), false);
    await iam.send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trustEc2 }));
    const again = await kept();
    assert.notEqual(again.RoleId, original.RoleId);
    assert.deepEqual([again.Description, again.MaxSessionDuration], [undefined, 3600]);

    const principalOf = async () => (decodeDocument((await list()).find((r) => r.RoleName === 'names-user')!.AssumeRolePolicyDocument) as { Statement: { Principal: { AWS: string } }[] }).Statement[0]!.Principal.AWS;
    assert.equal(await principalOf(), `arn:aws:iam::${account}:user/named`);
    await iam.send(new DeleteUserCommand({ UserName: 'named' }));
    assert.equal(await principalOf(), named.UserId);
  });
});

describe('RoleLastUsed', () => {
  test('an AssumeRole records when and in which region the role was last used', async () => {
    const { iam, account } = await freshAccount(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'used', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:root`) }));
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: 'used' }))).Role!.RoleLastUsed, {});

    const before = Date.now();
    // Root may not assume a role: a user of the account does.
    const assumer = await userWithKey(iam, 'assumer', policy(allow('sts:AssumeRole')));
    await server.sts(assumer, 'eu-west-1').send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/used`, RoleSessionName: 'session' }));
    const lastUsed = (await iam.send(new GetRoleCommand({ RoleName: 'used' }))).Role!.RoleLastUsed!;
    assert.equal(lastUsed.Region, 'eu-west-1');
    assert.ok(lastUsed.LastUsedDate instanceof Date);
    // Whole seconds on the wire: compare to the second.
    assert.ok(lastUsed.LastUsedDate.getTime() >= Math.floor(before / 1000) * 1000, `${lastUsed.LastUsedDate.toISOString()} is not after the call`);
    assert.equal((await iam.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'used')!.RoleLastUsed, undefined);
  });
});

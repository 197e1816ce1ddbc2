// Managed policies (customer and AWS), their versions, inline policies, attachments and permissions
// boundaries through the wire, against the answers recorded from AWS.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteGroupPolicyCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListGroupPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
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

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const CHANGE_PASSWORD = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
const MEMORYDB_SERVICE_ROLE_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy';
const localArn = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:policy${path}${name}`;
const doc = (action: string) => policy(allow(action));

async function createPolicy(name: string, extra: { Path?: string; Description?: string } = {}): Promise<string> {
  return (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: doc('s3:ListBucket'), ...extra }))).Policy!.Arn!;
}

describe('customer managed policies', () => {
  test('CreatePolicy, GetPolicy and ListPolicies answer with the recorded members', async () => {
    const created = (
      await iam.send(new CreatePolicyCommand({ PolicyName: 'shaped', Path: '/test/path/', PolicyDocument: doc('s3:ListBucket'), Description: 'described' }))
    ).Policy!;
    const listMembers = ['Arn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'Path', 'PermissionsBoundaryUsageCount', 'PolicyId', 'PolicyName', 'UpdateDate'];
    assert.deepEqual(Object.keys(created).sort(), listMembers);
    assert.equal(created.Arn, localArn('shaped', '/test/path/'));
    assert.match(created.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.deepEqual([created.DefaultVersionId, created.AttachmentCount, created.PermissionsBoundaryUsageCount, created.IsAttachable], ['v1', 0, 0, true]);

    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: created.Arn }))).Policy!;
    assert.deepEqual(Object.keys(got).sort(), [...listMembers, 'Description', 'Tags'].sort());
    assert.equal(got.Description, 'described');
    assert.deepEqual(got.Tags, []);

    const listed = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/test/path/' }));
    assert.equal(listed.IsTruncated, false);
    assert.deepEqual(listed.Policies!.map((p) => Object.keys(p).sort()), [listMembers]);
    assert.equal(listed.Policies![0]!.Arn, created.Arn);
  });

  test('a duplicate name is refused whatever the path', async () => {
    await createPolicy('twice');
    await rejects(
      iam.send(new CreatePolicyCommand({ PolicyName: 'twice', Path: '/other/', PolicyDocument: doc('s3:ListBucket') })),
      'EntityAlreadyExistsException',
      'A policy called twice already exists. Duplicate names are not allowed.',
      409,
    );
  });

  test('malformed documents are refused with AWS\'s texts', async () => {
    const create = (PolicyDocument: string) => iam.send(new CreatePolicyCommand({ PolicyName: 'malformed', PolicyDocument }));
    // Unlike a trust policy's "This policy contains invalid Json", an identity policy's bad JSON is a
    // syntax error (recorded: TestPolicyDocumentValidity invalid-0).
    await rejects(create('{"Version": "2012-10-17", "Statement": {'), 'MalformedPolicyDocumentException', 'Syntax errors in policy.', 400);
    await rejects(create(policy({ Effect: 'Allow', Resource: '*' })), 'MalformedPolicyDocumentException', 'Policy statement must contain actions.', 400);
    await rejects(
      create(JSON.stringify({ Version: '2008-10-17', Statement: [allow('s3:ListBucket')] })),
      'MalformedPolicyDocumentException',
      'Policy document must be version 2012-10-17 or greater.',
      400,
    );
    await rejects(create(policy(allow('s3:ListBucket', 'sdfsadf'))), 'MalformedPolicyDocumentException', 'Resource sdfsadf must be in ARN format or "*".', 400);
  });

  test('DeletePolicy: unknown, attached, with versions left, then gone', async () => {
    await rejects(
      iam.send(new DeletePolicyCommand({ PolicyArn: localArn('non-existent-policy') })),
      'NoSuchEntityException',
      `Policy ${localArn('non-existent-policy')} was not found.`,
      404,
    );
    const arn = await createPolicy('deletable');
    await iam.send(new CreateRoleCommand({ RoleName: 'holds-deletable', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'holds-deletable', PolicyArn: arn }));
    await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', 'Cannot delete a policy attached to entities.', 409);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'holds-deletable', PolicyArn: arn }));

    // AWS keeps a policy while it has versions other than the default one.
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:GetObject') }));
    await rejects(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflictException',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      409,
    );
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejects(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntityException', `Policy ${arn} was not found.`, 404);
  });

  test('a policy is found only by its exact ARN (path and case)', async () => {
    await createPolicy('exact', { Path: '/p/' });
    await rejects(iam.send(new GetPolicyCommand({ PolicyArn: localArn('exact') })), 'NoSuchEntityException', `Policy ${localArn('exact')} was not found.`, 404);
    await rejects(iam.send(new GetPolicyCommand({ PolicyArn: 'longpolicynamebutnoarn' })), 'ValidationError', 'ARN longpolicynamebutnoarn is not valid.', 400);
  });
});

describe('policy versions', () => {
  test('create, get, list newest first; the default moves with SetAsDefault and SetDefaultPolicyVersion', async () => {
    const arn = await createPolicy('versioned');
    const v2 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:GetObject'), SetAsDefault: true }))).PolicyVersion!;
    assert.deepEqual(Object.keys(v2).sort(), ['CreateDate', 'IsDefaultVersion', 'VersionId']);
    assert.deepEqual([v2.VersionId, v2.IsDefaultVersion], ['v2', true]);
    const v3 = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:PutObject') }))).PolicyVersion!;
    assert.deepEqual([v3.VersionId, v3.IsDefaultVersion], ['v3', false]);

    const got = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion!;
    assert.deepEqual(decodeDocument(got.Document), JSON.parse(doc('s3:GetObject')));
    assert.equal(got.IsDefaultVersion, true);

    const list = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(list.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v3', false], ['v2', true], ['v1', false]]);
    assert.equal(list.IsTruncated, false);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v2');

    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    const after = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(after.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v3', false], ['v2', false], ['v1', true]]);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v1');
  });

  test('the default version is what a user is allowed', async () => {
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'grants', PolicyDocument: doc('iam:ListUsers') }))).Policy!.Arn!;
    const client = server.iam(await userWithKey(iam, 'versioned-user'));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'versioned-user', PolicyArn: arn }));
    await rejects(client.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 })), 'AccessDenied', undefined, 403);
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('iam:ListPolicies'), SetAsDefault: true }));
    await client.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 }));
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await rejects(client.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 })), 'AccessDenied', /no identity-based policy allows the iam:ListPolicies action$/, 403);
  });

  test('five versions at most; a deleted version id is never reused', async () => {
    const arn = await createPolicy('five');
    for (let i = 2; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc(`s3:Get${i}`) }));
    await rejects(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:Get6') })),
      'LimitExceededException',
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      409,
    );
    assert.equal((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.length, 5);
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    const created = (await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:Get6') }))).PolicyVersion!;
    assert.equal(created.VersionId, 'v6');
  });

  test('version errors have the recorded texts', async () => {
    const arn = await createPolicy('version-errors');
    const missing = localArn('TestNonExistingPolicy');
    await rejects(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: missing, VersionId: 'v1' })),
      'NoSuchEntityException',
      `Policy ${missing} version v1 does not exist or is not attachable.`,
      404,
    );
    await rejects(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })),
      'NoSuchEntityException',
      `Policy ${arn} version v9 does not exist or is not attachable.`,
      404,
    );
    await rejects(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })), 'DeleteConflictException', 'Cannot delete the default version of a policy.', 409);
    await rejects(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })),
      'NoSuchEntityException',
      `Policy ${arn} version v9 does not exist or is not attachable.`,
      404,
    );
    await rejects(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: missing, VersionId: 'v1' })),
      'NoSuchEntityException',
      `Policy ${missing} version v1 does not exist or is not attachable.`,
      404,
    );
    await rejects(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'version1' })),
      'ValidationError',
      "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
      400,
    );
    await rejects(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v4' })),
      'NoSuchEntityException',
      `Policy ${arn} version v4 does not exist or is not attachable.`,
      404,
    );
  });
});

describe('AWS managed policies', () => {
  test('GetPolicy and GetPolicyVersion of ReadOnlyAccess', async () => {
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: READ_ONLY }))).Policy!;
    assert.equal(got.PolicyName, 'ReadOnlyAccess');
    assert.equal(got.Path, '/');
    assert.equal(got.Description, 'Provides read-only access to AWS services and resources.');
    assert.equal(got.IsAttachable, true);
    assert.match(got.DefaultVersionId!, /^v\d+$/);
    assert.match(got.PolicyId!, /^ANPA[A-Z0-9]{17}$/);
    // Recorded (get-policy of an AWS managed policy): an empty Tags list, like a customer's.
    assert.deepEqual(got.Tags, []);

    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: got.DefaultVersionId }))).PolicyVersion!;
    assert.equal(version.IsDefaultVersion, true);
    const document = decodeDocument(version.Document) as { Version: string; Statement: unknown[] };
    assert.equal(document.Version, '2012-10-17');
    assert.ok(document.Statement.length > 0);
    const old = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: 'v1' }))).PolicyVersion!;
    assert.equal(old.IsDefaultVersion, false);
    await rejects(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: 'v0' })),
      'ValidationError',
      "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
      400,
    );
  });

  test('no one may change them', async () => {
    const denied = (action: string) => `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: iam:${action} on resource: ${READ_ONLY}`;
    await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: READ_ONLY })), 'AccessDenied', denied('DeletePolicy'), 403);
    await rejects(iam.send(new CreatePolicyVersionCommand({ PolicyArn: READ_ONLY, PolicyDocument: doc('s3:*') })), 'AccessDenied', denied('CreatePolicyVersion'), 403);
    await rejects(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: 'v1' })), 'AccessDenied', denied('SetDefaultPolicyVersion'), 403);
  });

  test('ListPolicies: Scope, PathPrefix, OnlyAttached and AttachmentCount', async () => {
    await createPolicy('scoped-local');
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 50 }));
    assert.equal(aws.Policies!.length, 50);
    assert.equal(aws.IsTruncated, true);
    assert.ok(aws.Marker);
    assert.ok(aws.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.ok(local.Policies!.length > 0);
    assert.ok(local.Policies!.every((p) => p.Arn!.startsWith(`arn:aws:iam::${ACCOUNT}:policy/`)));

    const jobFunctions = (await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/job-function/' }))).Policies!;
    assert.ok(jobFunctions.some((p) => p.PolicyName === 'ViewOnlyAccess'));
    assert.ok(jobFunctions.every((p) => p.Path === '/job-function/'));

    await iam.send(new CreateRoleCommand({ RoleName: 'only-attached', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'only-attached', PolicyArn: CHANGE_PASSWORD }));
    const attached = (await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }))).Policies!;
    const entry = attached.find((p) => p.Arn === CHANGE_PASSWORD);
    assert.equal(entry?.AttachmentCount, 1);
    assert.ok(attached.every((p) => p.AttachmentCount! > 0));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: CHANGE_PASSWORD }))).Policy!.AttachmentCount, 1);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'only-attached', PolicyArn: CHANGE_PASSWORD }));
    const afterDetach = (await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }))).Policies!;
    assert.equal(afterDetach.find((p) => p.Arn === CHANGE_PASSWORD), undefined);
  });
});

describe('inline policies', () => {
  test('users, groups and roles: put, get, list, replace, delete', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'inline-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'inline-group' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: trustEc2 }));

    await iam.send(new PutUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'p', PolicyDocument: doc('s3:ListBucket') }));
    const userPolicy = await iam.send(new GetUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'p' }));
    assert.deepEqual([userPolicy.UserName, userPolicy.PolicyName], ['inline-user', 'p']);
    assert.deepEqual(decodeDocument(userPolicy.PolicyDocument), JSON.parse(doc('s3:ListBucket')));
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline-user' }))).PolicyNames, ['p']);

    await iam.send(new PutGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'g', PolicyDocument: doc('s3:ListBucket') }));
    const groupPolicy = await iam.send(new GetGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'g' }));
    assert.deepEqual([groupPolicy.GroupName, groupPolicy.PolicyName], ['inline-group', 'g']);
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'inline-group' }))).PolicyNames, ['g']);
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'g' }));
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'inline-group' }))).PolicyNames, []);

    const role = { RoleName: 'inline-role' };
    await iam.send(new PutRolePolicyCommand({ ...role, PolicyName: 'b-policy', PolicyDocument: doc('s3:ListBucket') }));
    await iam.send(new PutRolePolicyCommand({ ...role, PolicyName: 'a-policy', PolicyDocument: doc('s3:ListBucket') }));
    await iam.send(new PutRolePolicyCommand({ ...role, PolicyName: 'b-policy', PolicyDocument: doc('s3:GetObject') }));
    const listed = await iam.send(new ListRolePoliciesCommand(role));
    assert.deepEqual(listed.PolicyNames, ['a-policy', 'b-policy']);
    assert.equal(listed.IsTruncated, false);
    assert.deepEqual(decodeDocument((await iam.send(new GetRolePolicyCommand({ ...role, PolicyName: 'b-policy' }))).PolicyDocument), JSON.parse(doc('s3:GetObject')));
    await iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: 'b-policy' }));
    await rejects(
      iam.send(new GetRolePolicyCommand({ ...role, PolicyName: 'b-policy' })),
      'NoSuchEntityException',
      'The role policy with name b-policy cannot be found.',
      404,
    );
    await rejects(
      iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: 'non-existent-policy' })),
      'NoSuchEntityException',
      'The role policy with name non-existent-policy cannot be found.',
      404,
    );
  });

  test('unknown owners and policies are NoSuchEntity', async () => {
    await rejects(
      iam.send(new PutRolePolicyCommand({ RoleName: 'nonexistent-role', PolicyName: 'p', PolicyDocument: doc('s3:ListBucket') })),
      'NoSuchEntityException',
      'The role with name nonexistent-role cannot be found.',
      404,
    );
    await rejects(
      iam.send(new GetUserPolicyCommand({ UserName: 'nonexistent-user', PolicyName: 'p' })),
      'NoSuchEntityException',
      'The user with name nonexistent-user cannot be found.',
      404,
    );
    await iam.send(new CreateGroupCommand({ GroupName: 'no-inline' }));
    await rejects(
      iam.send(new GetGroupPolicyCommand({ GroupName: 'no-inline', PolicyName: 'missing' })),
      'NoSuchEntityException',
      'The group policy with name missing cannot be found.',
      404,
    );
  });

  test('the inline policies of one entity together stay within its size quota', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sized-user' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'sized-role', AssumeRolePolicyDocument: trustEc2 }));
    // 1523 bytes each (no white space, as sizes are counted): one fits a user's 2048, two do not; a
    // role's 10240 holds six.
    const big = policy(allow(Array.from({ length: 60 }, (_, i) => `s3:GetObjectVersion${String(i).padStart(2, '0')}`)));
    await iam.send(new PutUserPolicyCommand({ UserName: 'sized-user', PolicyName: 'one', PolicyDocument: big }));
    // Replacing a policy counts the new text instead of the old one.
    await iam.send(new PutUserPolicyCommand({ UserName: 'sized-user', PolicyName: 'one', PolicyDocument: big }));
    await rejects(
      iam.send(new PutUserPolicyCommand({ UserName: 'sized-user', PolicyName: 'two', PolicyDocument: big })),
      'LimitExceededException',
      'Maximum policy size of 2048 bytes exceeded for user sized-user',
      409,
    );
    assert.equal(big.length, 1523);
    for (let i = 0; i < 6; i++) await iam.send(new PutRolePolicyCommand({ RoleName: 'sized-role', PolicyName: `p${i}`, PolicyDocument: big }));
    await rejects(
      iam.send(new PutRolePolicyCommand({ RoleName: 'sized-role', PolicyName: 'p6', PolicyDocument: big })),
      'LimitExceededException',
      'Maximum policy size of 10240 bytes exceeded for role sized-role',
      409,
    );
  });
});

describe('attachments', () => {
  test('attach and list for users, groups and roles; attaching twice is one attachment', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'attach-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'attach-group' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'attach-role', AssumeRolePolicyDocument: trustEc2 }));
    const local = await createPolicy('attachable');

    await iam.send(new AttachUserPolicyCommand({ UserName: 'attach-user', PolicyArn: local }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'attach-user', PolicyArn: local }));
    const forUser = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'attach-user' }));
    assert.deepEqual(forUser.AttachedPolicies, [{ PolicyName: 'attachable', PolicyArn: local }]);
    assert.equal(forUser.IsTruncated, false);

    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'attach-group', PolicyArn: READ_ONLY }));
    assert.deepEqual((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'attach-group' }))).AttachedPolicies, [
      { PolicyName: 'ReadOnlyAccess', PolicyArn: READ_ONLY },
    ]);

    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-role', PolicyArn: local }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'attach-role', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole' }));
    const forRole = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'attach-role', PathPrefix: '/service-role/' }));
    assert.deepEqual(forRole.AttachedPolicies!.map((p) => p.PolicyName), ['AWSLambdaRole']);

    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: local }))).Policy!.AttachmentCount, 2);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: local }));
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['attach-user']);
    assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['attach-role']);
    assert.deepEqual(entities.PolicyGroups, []);
    assert.deepEqual((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: local, EntityFilter: 'Role' }))).PolicyUsers, []);
  });

  test('the recorded refusals', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'refused-user' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'refused-role', AssumeRolePolicyDocument: trustEc2 }));
    const local = await createPolicy('not-attached');
    await rejects(
      iam.send(new AttachUserPolicyCommand({ UserName: 'refused-user', PolicyArn: localArn('nonexistent') })),
      'NoSuchEntityException',
      `Policy ${localArn('nonexistent')} does not exist or is not attachable.`,
      404,
    );
    await rejects(
      iam.send(new DetachUserPolicyCommand({ UserName: 'refused-user', PolicyArn: local })),
      'NoSuchEntityException',
      `Policy ${local} was not found.`,
      404,
    );
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'refused-role', PolicyArn: 'longpolicynamebutnoarn' })),
      'ValidationError',
      'ARN longpolicynamebutnoarn is not valid.',
      400,
    );
    await rejects(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'refused-role', PolicyArn: 'arn:aws:iam::aws:policy/Nonexistent' })),
      'NoSuchEntityException',
      'Policy arn:aws:iam::aws:policy/Nonexistent was not found.',
      404,
    );
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'missing-role', PolicyArn: local })),
      'NoSuchEntityException',
      'The role with name missing-role cannot be found.',
      404,
    );
  });

  test('service-role policies belong to service-linked roles only', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'customer-role', AssumeRolePolicyDocument: trustEc2 }));
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'customer-role', PolicyArn: MEMORYDB_SERVICE_ROLE_POLICY })),
      'PolicyNotAttachableException',
      'Cannot attach a Service Role Policy to a Customer Role.',
      400,
    );
    await iam.send(new CreateUserCommand({ UserName: 'customer-user' }));
    await rejects(
      iam.send(new AttachUserPolicyCommand({ UserName: 'customer-user', PolicyArn: MEMORYDB_SERVICE_ROLE_POLICY })),
      'PolicyNotAttachableException',
      'Cannot attach a Service Role Policy to a User.',
      400,
    );
  });

  test('ten managed policies per role at most', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'crowded', AssumeRolePolicyDocument: trustEc2 }));
    for (let i = 0; i < 10; i++) await iam.send(new AttachRolePolicyCommand({ RoleName: 'crowded', PolicyArn: await createPolicy(`crowd-${i}`) }));
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'crowded', PolicyArn: READ_ONLY })),
      'LimitExceededException',
      'Cannot exceed quota for PoliciesPerRole: 10',
      409,
    );
  });
});

describe('permissions boundaries', () => {
  test('put, shown, counted, and deleted for users and roles', async () => {
    const boundary = await createPolicy('boundary-policy');
    await iam.send(new CreateUserCommand({ UserName: 'bounded-user' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded-user', PermissionsBoundary: boundary }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: boundary }));
    const expected = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    assert.deepEqual((await iam.send(new GetUserCommand({ UserName: 'bounded-user' }))).User!.PermissionsBoundary, expected);
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role!.PermissionsBoundary, expected);
    const counted = (await iam.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy!;
    assert.deepEqual([counted.PermissionsBoundaryUsageCount, counted.AttachmentCount], [2, 0]);
    const asBoundary = (await iam.send(new ListPoliciesCommand({ Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary' }))).Policies!;
    assert.deepEqual(asBoundary.map((p) => p.Arn), [boundary]);
    await rejects(iam.send(new DeletePolicyCommand({ PolicyArn: boundary })), 'DeleteConflictException', 'Cannot delete a policy attached to entities.', 409);

    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded-user' }));
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-role' }));
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'bounded-user' }))).User!.PermissionsBoundary, undefined);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role!.PermissionsBoundary, undefined);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy!.PermissionsBoundaryUsageCount, 0);
  });

  test('the recorded refusals', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'boundary-errors', AssumeRolePolicyDocument: trustEc2 }));
    const invalid = `arn:aws:iam::${ACCOUNT}:not_a_policy/invalid`;
    await rejects(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'boundary-errors', PermissionsBoundary: invalid })),
      'InvalidInputException',
      `ARN ${invalid} is not valid.`,
      400,
    );
    await rejects(
      iam.send(new CreateRoleCommand({ RoleName: 'boundary-errors-2', AssumeRolePolicyDocument: trustEc2, PermissionsBoundary: invalid })),
      'InvalidInputException',
      `ARN ${invalid} is not valid.`,
      400,
    );
    await rejects(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'boundary-errors', PermissionsBoundary: localArn('nonexistent-policy') })),
      'NoSuchEntityException',
      `Scope ARN: ${localArn('nonexistent-policy')} does not exist or is not attachable.`,
      404,
    );
    await rejects(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'nonexistent-role', PermissionsBoundary: READ_ONLY })),
      'NoSuchEntityException',
      'The role with name nonexistent-role cannot be found.',
      404,
    );
  });

  test('a boundary limits what a user\'s own policies allow', async () => {
    const client = server.iam(await userWithKey(iam, 'limited-user', policy(allow(['iam:ListPolicies', 'iam:ListUsers']))));
    await client.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'limited-user', PermissionsBoundary: await createPolicy('only-users', {}) }));
    // The boundary allows s3:ListBucket only: nothing IAM is left.
    await rejects(
      client.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/limited-user is not authorized to perform: iam:ListPolicies on resource: * because no permissions boundary allows the iam:ListPolicies action`,
      403,
    );
  });
});

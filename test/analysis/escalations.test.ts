// The access graph finds every known way up — Rhino Security Labs' IAM and STS escalation methods
// (the attempts of test/security/escalations.test.ts), PassRole to a service, a boundary taken away,
// a chain of two assumes — and none of the controls, where a permission is missing, a permissions
// boundary holds, a condition does not hold or a trust policy does not let the caller in. The
// account is built through the real server with the real IAM client; the graph is read from its store.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, policy, trust, trustAccount } from '../helpers/iam.ts';
import { accessGraph, escalations, type EscalationsAnswer } from '../../src/analysis/index.ts';
import { analysisSources } from './sources.ts';

let server: TestServer;
let iam: IAMClient;
let found: Map<string, EscalationsAnswer['paths'][number]>;

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const groupArn = (name: string) => `arn:aws:iam::${ACCOUNT}:group/${name}`;
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** A user with one inline policy (when given statements). */
async function user(name: string, ...statements: Record<string, unknown>[]): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length > 0) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: policy(...statements) }));
}

async function group(name: string, ...members: string[]): Promise<void> {
  await iam.send(new CreateGroupCommand({ GroupName: name }));
  for (const member of members) await iam.send(new AddUserToGroupCommand({ GroupName: name, UserName: member }));
}

async function role(name: string, trustPolicy: string, ...statements: Record<string, unknown>[]): Promise<void> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy }));
  if (statements.length > 0) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: (await managed(`${name}-policy`, ...statements)) }));
}

async function managed(name: string, ...statements: Record<string, unknown>[]): Promise<string> {
  await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: policy(...statements) }));
  return policyArn(name);
}

/** The kinds and actions of a principal's path, e.g. `assume-role sts:AssumeRole`. */
function pathOf(name: string, arn = userArn(name)): string[] {
  const path = found.get(arn);
  assert.ok(path, `no path to admin power found for ${arn}`);
  return path.steps.map((s) => `${s.kind} ${s.action}`);
}

const noPath = (arn: string) => assert.equal(found.get(arn), undefined, `${arn} should have no path to admin power, found: ${JSON.stringify(found.get(arn)?.steps.map((s) => s.action))}`);

before(async () => {
  server = await startServer();
  iam = server.iam();
  // The prizes: an admin group and user, admin roles trusted by EC2 and Lambda, a role trusting the account.
  await group('admins');
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: ADMIN }));
  await user('admin-user');
  await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'admin-user' }));
  await user('admin-with-password');
  await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'admin-with-password' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'admin-with-password', Password: 'An-0ld-Passw0rd!' }));
  await role('admin-ec2', trust('ec2.amazonaws.com'));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-ec2', PolicyArn: ADMIN }));
  await role('admin-lambda', trust('lambda.amazonaws.com'));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-lambda', PolicyArn: ADMIN }));
  await role('admin-for-account', trustAccount());
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-for-account', PolicyArn: ADMIN }));

  // 1. CreatePolicyVersion on a policy attached to herself.
  await user('m-create-version');
  const own = await managed('m-create-version-policy', allow('iam:CreatePolicyVersion', policyArn('m-create-version-policy')));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'm-create-version', PolicyArn: own }));
  // 2. SetDefaultPolicyVersion back to a broader version.
  await user('m-set-default');
  const versioned = await managed('m-set-default-policy', allow('*'));
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: versioned, PolicyDocument: policy(allow('iam:SetDefaultPolicyVersion', versioned)), SetAsDefault: true }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'm-set-default', PolicyArn: versioned }));
  // 3. CreateAccessKey for an admin user.  4. CreateLoginProfile.  5. UpdateLoginProfile.
  await user('m-access-key', allow('iam:CreateAccessKey', userArn('admin-user')));
  await user('m-login-profile', allow('iam:CreateLoginProfile', userArn('admin-user')));
  await user('m-update-profile', allow('iam:UpdateLoginProfile', userArn('admin-with-password')));
  // Both password actions, each on another user: the one that works on the admin is found.
  await user('m-both-profiles', allow('iam:CreateLoginProfile', userArn('m-access-key')), allow('iam:UpdateLoginProfile', userArn('admin-with-password')));
  // 6. AttachUserPolicy on herself.  7. PutUserPolicy on herself.
  await user('m-attach-user', allow('iam:AttachUserPolicy', userArn('m-attach-user')));
  await user('m-put-user', allow('iam:PutUserPolicy', userArn('m-put-user')));
  // 8. AttachGroupPolicy and 9. PutGroupPolicy on her group.  10. AddUserToGroup herself into the admins.
  await user('m-attach-group');
  await group('attach-group', 'm-attach-group');
  await iam.send(new PutUserPolicyCommand({ UserName: 'm-attach-group', PolicyName: 'inline', PolicyDocument: policy(allow('iam:AttachGroupPolicy', groupArn('attach-group'))) }));
  await user('m-put-group');
  await group('put-group', 'm-put-group');
  await iam.send(new PutUserPolicyCommand({ UserName: 'm-put-group', PolicyName: 'inline', PolicyDocument: policy(allow('iam:PutGroupPolicy', groupArn('put-group'))) }));
  await user('m-add-to-group', allow('iam:AddUserToGroup', groupArn('admins')));
  // 11. AttachRolePolicy and 12. PutRolePolicy on a role she may assume.
  await user('m-attach-role', allow('sts:AssumeRole', roleArn('helpdesk-attach')), allow('iam:AttachRolePolicy', roleArn('helpdesk-attach')));
  await role('helpdesk-attach', trust(userArn('m-attach-role')));
  await user('m-put-role', allow('sts:AssumeRole', roleArn('helpdesk-put')), allow('iam:PutRolePolicy', roleArn('helpdesk-put')));
  await role('helpdesk-put', trust(userArn('m-put-role')));
  // 13. UpdateAssumeRolePolicy on an admin role, then assume it.
  await user('m-update-trust', allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], roleArn('admin-ec2')));
  // 14. PassRole to EC2 with RunInstances.  15. PassRole to Lambda with CreateFunction and InvokeFunction.
  await user('m-pass-ec2', allow('iam:PassRole', roleArn('admin-ec2')), allow('ec2:RunInstances'));
  await user('m-pass-lambda', allow('iam:PassRole', roleArn('admin-lambda')), allow(['lambda:CreateFunction', 'lambda:InvokeFunction']));
  // A permissions boundary taken away: admin policies under a boundary that allows only that.
  await user('m-unbound');
  await iam.send(new AttachUserPolicyCommand({ UserName: 'm-unbound', PolicyArn: ADMIN }));
  const onlyUnbind = await managed('only-unbind', allow('iam:DeleteUserPermissionsBoundary', userArn('m-unbound')));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'm-unbound', PermissionsBoundary: onlyUnbind }));
  // A chain of two assumes: m-chain → hop → admin-hop.
  await user('m-chain', allow('sts:AssumeRole', roleArn('hop')));
  await role('hop', trust(userArn('m-chain')));
  await role('admin-hop', trust(roleArn('hop')));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-hop', PolicyArn: ADMIN }));
  // The account-trusting admin role, opened by the caller's own sts:AssumeRole.
  await user('m-assume-account-role', allow('sts:AssumeRole', roleArn('admin-for-account')));

  // Controls. A missing permission: the trust rewritten, but no sts:AssumeRole to use it.
  await user('c-rewrite-only', allow('iam:UpdateAssumeRolePolicy', roleArn('admin-ec2')));
  // PassRole without the call that launches anything.
  await user('c-pass-only', allow('iam:PassRole', roleArn('admin-ec2')));
  // PassRole to the wrong service: iam:PassedToService says Lambda, the role is EC2's.
  await user('c-pass-wrong-service', allow('iam:PassRole', roleArn('admin-ec2'), { Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } }), allow('ec2:RunInstances'));
  // A condition in the way: the key only for users tagged as the admin's team (it has no tag).
  await user('c-tag-condition', allow('iam:CreateAccessKey', userArn('admin-user'), { Condition: { StringEquals: { 'aws:ResourceTag/team': 'helpdesk' } } }));
  // ... and MFA, which the state cannot promise.
  await user('c-mfa-condition', allow('iam:PutUserPolicy', userArn('c-mfa-condition'), { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));
  // iam:PolicyARN limits what she may attach to herself (not AdministratorAccess).
  await user('c-policy-arn', allow('iam:AttachUserPolicy', userArn('c-policy-arn'), { Condition: { ArnEquals: { 'iam:PolicyARN': policyArn('only-unbind') } } }));
  // A permissions boundary in the way: she may write her own policies, but her boundary allows only that.
  await user('c-bounded', allow('iam:PutUserPolicy', userArn('c-bounded')));
  const onlyPut = await managed('only-put', allow('iam:PutUserPolicy', userArn('c-bounded')));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'c-bounded', PermissionsBoundary: onlyPut }));
  // An explicit deny: whatever she writes, IAM stays denied.
  await user('c-denied', allow('iam:PutUserPolicy', userArn('c-denied')), deny('iam:*'));
  // A trust policy in the way: sts:AssumeRole on a role that trusts only EC2, and on one naming someone else.
  await user('c-untrusted', allow('sts:AssumeRole', [roleArn('admin-ec2'), roleArn('admin-hop')]));
  // A NotAction grant that spares IAM and STS is not admin power, and gives no way up. (Sparing IAM
  // alone would not do: sts:AssumeRole opens admin-for-account, which trusts the account.)
  await user('c-not-iam', { Effect: 'Allow', NotAction: ['iam:*', 'sts:*'], Resource: '*' });
  await user('m-not-iam', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });

  const graph = await accessGraph(server.iamd.store, analysisSources(), ACCOUNT);
  found = new Map(escalations(graph).paths.map((p) => [p.principal, p]));
});
after(() => server.close());

describe("Rhino Security Labs' IAM and STS methods are found", () => {
  test('1. CreatePolicyVersion on a policy attached to herself', () => {
    assert.deepEqual(pathOf('m-create-version'), ['policy-change iam:CreatePolicyVersion']);
    assert.equal(found.get(userArn('m-create-version'))!.steps[0].resource, policyArn('m-create-version-policy'));
  });
  test('2. SetDefaultPolicyVersion back to a broader version', () => {
    assert.deepEqual(pathOf('m-set-default'), ['policy-change iam:SetDefaultPolicyVersion']);
  });
  test('3. CreateAccessKey for an admin user', () => {
    assert.deepEqual(pathOf('m-access-key'), ['create-access-key iam:CreateAccessKey']);
    assert.equal(found.get(userArn('m-access-key'))!.steps[0].to, userArn('admin-user'));
  });
  test('4. CreateLoginProfile for an admin user without a password', () => {
    assert.deepEqual(pathOf('m-login-profile'), ['login-profile iam:CreateLoginProfile']);
  });
  test('5. UpdateLoginProfile of an admin user with a password', () => {
    assert.deepEqual(pathOf('m-update-profile'), ['login-profile iam:UpdateLoginProfile']);
    assert.deepEqual(pathOf('m-both-profiles'), ['login-profile iam:UpdateLoginProfile']);
  });
  test('6. AttachUserPolicy and 7. PutUserPolicy on herself', () => {
    assert.deepEqual(pathOf('m-attach-user'), ['policy-change iam:AttachUserPolicy']);
    assert.deepEqual(found.get(userArn('m-attach-user'))!.steps[0].context, { 'iam:PolicyARN': ADMIN });
    assert.deepEqual(pathOf('m-put-user'), ['policy-change iam:PutUserPolicy']);
  });
  test('8. AttachGroupPolicy and 9. PutGroupPolicy on her group', () => {
    assert.deepEqual(pathOf('m-attach-group'), ['policy-change iam:AttachGroupPolicy']);
    assert.deepEqual(pathOf('m-put-group'), ['policy-change iam:PutGroupPolicy']);
  });
  test('10. AddUserToGroup: herself into the admins', () => {
    assert.deepEqual(pathOf('m-add-to-group'), ['group-membership iam:AddUserToGroup']);
  });
  test('11. AttachRolePolicy and 12. PutRolePolicy on a role she may assume', () => {
    assert.deepEqual(pathOf('m-attach-role'), ['policy-change iam:AttachRolePolicy', 'assume-role sts:AssumeRole']);
    assert.deepEqual(pathOf('m-put-role'), ['policy-change iam:PutRolePolicy', 'assume-role sts:AssumeRole']);
  });
  test('13. UpdateAssumeRolePolicy on an admin role, then AssumeRole', () => {
    assert.deepEqual(pathOf('m-update-trust'), ['policy-change iam:UpdateAssumeRolePolicy', 'assume-role sts:AssumeRole']);
  });
  test('PassRole to EC2 with RunInstances, and to Lambda with CreateFunction and InvokeFunction', () => {
    assert.deepEqual(pathOf('m-pass-ec2'), ['pass-role iam:PassRole', 'pass-role ec2:RunInstances']);
    assert.deepEqual(found.get(userArn('m-pass-ec2'))!.steps[0].context, { 'iam:PassedToService': 'ec2.amazonaws.com' });
    assert.deepEqual(pathOf('m-pass-lambda'), ['pass-role iam:PassRole', 'pass-role lambda:CreateFunction', 'pass-role lambda:InvokeFunction']);
  });
  test('a permissions boundary deleted', () => {
    assert.deepEqual(pathOf('m-unbound'), ['policy-change iam:DeleteUserPermissionsBoundary']);
  });
  test('a chain of two assumes', () => {
    const path = found.get(userArn('m-chain'))!;
    assert.deepEqual(pathOf('m-chain'), ['assume-role sts:AssumeRole', 'assume-role sts:AssumeRole']);
    assert.deepEqual(path.steps.map((s) => [s.from, s.to]), [
      [userArn('m-chain'), roleArn('hop')],
      [roleArn('hop'), roleArn('admin-hop')],
    ]);
    // The second step is allowed by admin-hop's trust policy alone (a role grant): it is the statement shown.
    assert.deepEqual(path.steps[1].statements.map((s) => s.policyType), ['resource']);
    assert.deepEqual(path.steps[0].statements.map((s) => [s.policyId, s.policyType, s.index]), [
      ['user/m-chain/inline/inline', 'user', 0],
      [`${roleArn('hop')} trust policy`, 'resource', 0],
    ]);
  });
  test('an account-trusting role opened by her own sts:AssumeRole (also by a NotAction that spares only IAM)', () => {
    assert.deepEqual(pathOf('m-assume-account-role'), ['assume-role sts:AssumeRole']);
    assert.deepEqual(pathOf('m-not-iam'), ['assume-role sts:AssumeRole']);
  });
  test('admins themselves have no path: they are where paths end', () => {
    noPath(userArn('admin-user'));
    noPath(roleArn('admin-ec2'));
  });
});

describe('controls are not found', () => {
  test('a missing permission: the trust rewritten without sts:AssumeRole; PassRole without a launch', () => {
    noPath(userArn('c-rewrite-only'));
    noPath(userArn('c-pass-only'));
  });
  test('a condition in the way: iam:PassedToService, a resource tag, MFA, iam:PolicyARN', () => {
    noPath(userArn('c-pass-wrong-service'));
    noPath(userArn('c-tag-condition'));
    noPath(userArn('c-mfa-condition'));
    noPath(userArn('c-policy-arn'));
  });
  test('a permissions boundary in the way', () => {
    noPath(userArn('c-bounded'));
  });
  test('an explicit deny in the way', () => {
    noPath(userArn('c-denied'));
  });
  test('a trust policy in the way', () => {
    noPath(userArn('c-untrusted'));
  });
  test('NotAction sparing IAM and STS is neither admin power nor a way to it', () => {
    noPath(userArn('c-not-iam'));
  });
});

// The policy simulator through the real IAM client: the recorded answer reproduced, each request member
// (policies, boundary, resource policy and owner, caller, context entries of every type, exclusions,
// SCPs, resource handling, paging), the answer's members (decisions, matched statements with their
// positions, missing keys, boundary, organizations and cross-account details), AWS's refusals, and who
// may call each operation.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
  type Statement,
} from '@aws-sdk/client-iam';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { awsCli } from '../helpers/awscli.ts';
import { allow, deny, policy, trustEc2, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedForm } from '../helpers/signed.ts';
import { ROOT, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let iam: IAMClient;
before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const strip = <T extends { $metadata?: unknown }>(out: T): Omit<T, '$metadata'> => {
  const { $metadata: _, ...rest } = out;
  return rest;
};

describe('the recorded answer', () => {
  // LocalStack's validated test (aws-recorded, test_simulate_principle_policy[role|group|user]): one
  // customer managed policy, written by Python's json.dumps, attached to a role, a group or a user.
  const recordedDocument = '{"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}';
  const matched = [{ SourcePolicyId: 'recorded', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 41 }, EndPosition: { Line: 1, Column: 113 } }];
  const bucket = 'arn:aws:s3:::bucket';
  const expected = {
    EvaluationResults: [
      {
        EvalActionName: 's3:PutObject',
        EvalDecision: 'allowed',
        EvalDecisionDetails: {},
        EvalResourceName: bucket,
        MatchedStatements: matched,
        MissingContextValues: [],
        OrganizationsDecisionDetail: { AllowedByOrganizations: true },
        ResourceSpecificResults: [{ EvalResourceDecision: 'allowed', EvalResourceName: bucket, MatchedStatements: matched, MissingContextValues: [] }],
      },
      {
        EvalActionName: 's3:GetObjectVersion',
        EvalDecision: 'implicitDeny',
        EvalDecisionDetails: {},
        EvalResourceName: bucket,
        MatchedStatements: [],
        MissingContextValues: [],
        OrganizationsDecisionDetail: { AllowedByOrganizations: true },
        ResourceSpecificResults: [{ EvalResourceDecision: 'implicitDeny', EvalResourceName: bucket, MatchedStatements: [], MissingContextValues: [] }],
      },
    ],
    IsTruncated: false,
  };

  before(async () => {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'recorded', PolicyDocument: recordedDocument }));
    await iam.send(new CreateRoleCommand({ RoleName: 'recorded-role', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'recorded-role', PolicyArn: Policy!.Arn }));
    await iam.send(new CreateGroupCommand({ GroupName: 'recorded-group' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'recorded-group', PolicyArn: Policy!.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'recorded-user' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'recorded-user', PolicyArn: Policy!.Arn }));
  });

  for (const [kind, name] of [['role', 'recorded-role'], ['group', 'recorded-group'], ['user', 'recorded-user']] as const) {
    test(`SimulatePrincipalPolicy for a ${kind} answers what AWS answered`, async () => {
      const out = await iam.send(
        new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn(kind, name), ActionNames: ['s3:PutObject', 's3:GetObjectVersion'], ResourceArns: [bucket] }),
      );
      assert.deepEqual(strip(out), expected);
    });
  }
});

describe('SimulatePrincipalPolicy', () => {
  before(async () => {
    // alice: an inline policy, a group's inline and managed policies, and a boundary.
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own', PolicyDocument: policy(allow(['s3:GetObject', 'iam:GetUser'])) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'no-delete', PolicyDocument: policy(deny('s3:DeleteObject')) }));
    const { Policy: managed } = await iam.send(new CreatePolicyCommand({ PolicyName: 'dev-managed', PolicyDocument: policy(allow(['s3:DeleteObject', 'ec2:*'])) }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: managed!.Arn }));
    const { Policy: boundary } = await iam.send(new CreatePolicyCommand({ PolicyName: 'alice-boundary', PolicyDocument: policy(allow(['s3:*', 'iam:*'])) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: boundary!.Arn }));
  });

  const simulateAlice = (extra: Partial<ConstructorParameters<typeof SimulatePrincipalPolicyCommand>[0]> = {}) =>
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn('user', 'alice'), ActionNames: ['s3:GetObject', 's3:DeleteObject', 'ec2:RunInstances'], ...extra }));

  test('the user, its groups and its boundary decide; an explicit deny lists only the Deny', async () => {
    const { EvaluationResults: results } = await simulateAlice();
    const byAction = Object.fromEntries(results!.map((r) => [r.EvalActionName, r]));
    assert.equal(byAction['s3:GetObject']!.EvalDecision, 'allowed');
    assert.deepEqual(byAction['s3:GetObject']!.MatchedStatements!.map((s: Statement) => [s.SourcePolicyId, s.SourcePolicyType]), [['own', 'user']]);
    assert.deepEqual(byAction['s3:GetObject']!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
    assert.equal(byAction['s3:DeleteObject']!.EvalDecision, 'explicitDeny');
    assert.deepEqual(byAction['s3:DeleteObject']!.MatchedStatements!.map((s: Statement) => [s.SourcePolicyId, s.SourcePolicyType]), [['no-delete', 'group']]);
    // ec2 is allowed by the group's managed policy but not within the boundary.
    assert.equal(byAction['ec2:RunInstances']!.EvalDecision, 'implicitDeny');
    assert.deepEqual(byAction['ec2:RunInstances']!.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
    assert.deepEqual(byAction['ec2:RunInstances']!.MatchedStatements, []);
    // No resources named: `*`, no per-resource results, no decision details in the same account.
    assert.equal(byAction['ec2:RunInstances']!.EvalResourceName, '*');
    assert.equal(byAction['ec2:RunInstances']!.ResourceSpecificResults, undefined);
    assert.equal(byAction['ec2:RunInstances']!.EvalDecisionDetails, undefined);
  });

  test('a boundary in the request replaces the entity’s', async () => {
    const { EvaluationResults: results } = await simulateAlice({ PermissionsBoundaryPolicyInputList: [policy(allow('ec2:*'))] });
    const decisions = Object.fromEntries(results!.map((r) => [r.EvalActionName, r.EvalDecision]));
    assert.deepEqual(decisions, { 's3:GetObject': 'implicitDeny', 's3:DeleteObject': 'explicitDeny', 'ec2:RunInstances': 'allowed' });
  });

  test('PolicyExclusionList leaves policies out by type, by ARN pattern and by inline name and owner', async () => {
    const decisions = async (PolicyExclusionList: NonNullable<Parameters<typeof simulateAlice>[0]>['PolicyExclusionList']) =>
      Object.fromEntries((await simulateAlice({ PolicyExclusionList })).EvaluationResults!.map((r) => [r.EvalActionName, r.EvalDecision]));
    // Without the inline policies (alice's Allow, the group's Deny) the group's managed policy alone grants.
    assert.deepEqual(await decisions([{ PolicyType: 'inline' }]), { 's3:GetObject': 'implicitDeny', 's3:DeleteObject': 'allowed', 'ec2:RunInstances': 'implicitDeny' });
    assert.deepEqual(await decisions([{ PolicyType: 'permission-boundary' }]), { 's3:GetObject': 'allowed', 's3:DeleteObject': 'explicitDeny', 'ec2:RunInstances': 'allowed' });
    assert.deepEqual(
      await decisions([{ InlinePolicyIdentifier: { PolicyName: 'No-Delete', AttachmentType: 'group', AttachmentName: 'DEVS' } }]),
      { 's3:GetObject': 'allowed', 's3:DeleteObject': 'allowed', 'ec2:RunInstances': 'implicitDeny' },
    );
    assert.deepEqual(
      await decisions([{ PolicyType: 'permission-boundary' }, { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/dev-*` }]),
      { 's3:GetObject': 'allowed', 's3:DeleteObject': 'explicitDeny', 'ec2:RunInstances': 'implicitDeny' },
    );
    // Matching nothing is no error; SCP identifiers are ignored (no organization).
    assert.deepEqual(await decisions([{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` }, { PolicyType: 'scp' }]), {
      's3:GetObject': 'allowed',
      's3:DeleteObject': 'explicitDeny',
      'ec2:RunInstances': 'implicitDeny',
    });
    await rejects(simulateAlice({ PolicyExclusionList: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/*a*` }] }), 'InvalidInputException', /Invalid policy ARN/, 400);
    // An identifier naming two kinds at once (the SDK's union type cannot send one): a raw request.
    const raw = await signedForm(server, 'iam', {
      Action: 'SimulatePrincipalPolicy',
      Version: '2010-05-08',
      PolicySourceArn: arn('user', 'alice'),
      'ActionNames.member.1': 's3:GetObject',
      'PolicyExclusionList.member.1.PolicyType': 'inline',
      'PolicyExclusionList.member.1.PolicyArn': `arn:aws:iam::${ACCOUNT}:policy/dev-managed`,
    }, ROOT);
    assert.equal(raw.status, 400);
    assert.match(raw.body, /<Code>InvalidInput<\/Code>\s*<Message>Each PolicyIdentifier must specify exactly one of PolicyType, PolicyArn and InlinePolicyIdentifier.<\/Message>/);
    // The API reference allows wildcards in AttachmentName; the model's pattern, which iamd enforces, does not.
    await rejects(
      simulateAlice({ PolicyExclusionList: [{ InlinePolicyIdentifier: { PolicyName: 'no-delete', AttachmentType: 'group', AttachmentName: 'd?v*' } }] }),
      'ValidationError',
      /attachmentName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      400,
    );
  });

  test('PolicyInputList adds to the entity’s policies', async () => {
    const { EvaluationResults: results } = await simulateAlice({ ActionNames: ['iam:ListUsers'], PolicyInputList: [policy(allow('iam:ListUsers'))] });
    assert.equal(results![0]!.EvalDecision, 'allowed');
    assert.deepEqual(results![0]!.MatchedStatements!.map((s) => s.SourcePolicyId), ['PolicyInputList.1']);
  });

  test('an ARN that names no user, group or role is refused; one that names none that exists is NoSuchEntity', async () => {
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`;
    await rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: session, ActionNames: ['s3:GetObject'] })), 'InvalidInputException', `Invalid Entity Arn: ${session}`, 400);
    await rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn('user', 'nobody'), ActionNames: ['s3:GetObject'] })), 'NoSuchEntityException', 'The user with name nobody cannot be found.', 404);
    await rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn('role', 'nobody'), ActionNames: ['s3:GetObject'] })), 'NoSuchEntityException', 'The role with name nobody cannot be found.', 404);
    await rejects(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${OTHER_ACCOUNT}:user/alice`, ActionNames: ['s3:GetObject'] })), 'NoSuchEntityException', 'The user with name alice cannot be found.', 404);
  });

  test('a role calls as its session: a resource policy naming the role grants it across accounts', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustEc2 }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: policy(allow('sqs:ReceiveMessage')) }));
    const queue = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:q`;
    const naming = (who: string) => policy(allow('sqs:ReceiveMessage', queue, { Principal: { AWS: who } }));
    const simulateWith = (ResourcePolicy: string) =>
      iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn('role', 'reader'), ActionNames: ['sqs:ReceiveMessage'], ResourceArns: [queue], ResourcePolicy }));
    const granted = (await simulateWith(naming(arn('role', 'reader')))).EvaluationResults![0]!;
    assert.equal(granted.EvalDecision, 'allowed');
    assert.deepEqual(granted.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
    const other = (await simulateWith(naming(arn('role', 'someone-else')))).EvaluationResults![0]!;
    assert.equal(other.EvalDecision, 'implicitDeny');
    assert.deepEqual(other.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });
  });

  test('GetContextKeysForPrincipalPolicy refuses as SimulatePrincipalPolicy does', async () => {
    await rejects(iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn('group', 'nobody') })), 'NoSuchEntityException', 'The group with name nobody cannot be found.', 404);
    await rejects(iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:root` })), 'InvalidInputException', `Invalid Entity Arn: arn:aws:iam::${ACCOUNT}:root`, 400);
    await rejects(iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn('user', 'alice'), PolicyInputList: ['nope'] })), 'InvalidInputException', 'PolicyInputList.1: Syntax errors in policy.', 400);
  });

  test('GetContextKeysForPrincipalPolicy lists the keys of the entity’s policies and the given ones', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'keyed' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'keyed', PolicyName: 'p', PolicyDocument: policy(allow('s3:*', 'arn:aws:s3:::b/${aws:username}/*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })) }));
    const out = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: arn('user', 'keyed'), PolicyInputList: [policy(allow('ec2:*', '*', { Condition: { StringEquals: { 'ec2:Region': 'x', 'AWS:SECURETRANSPORT': 'true' } } }))] }));
    assert.deepEqual(out.ContextKeyNames, ['aws:username', 'aws:SecureTransport', 'ec2:Region']);
  });
});

describe('SimulateCustomPolicy', () => {
  const custom = (input: Partial<ConstructorParameters<typeof SimulateCustomPolicyCommand>[0]>) =>
    iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('s3:*'))], ActionNames: ['s3:GetObject'], ...input }));

  test('positions on several lines, and the deciding statement only', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [allow('s3:*'), deny('s3:DeleteObject')] }, null, 2);
    const { EvaluationResults: results } = await custom({ PolicyInputList: [text], ActionNames: ['s3:GetObject', 's3:DeleteObject'] });
    assert.deepEqual(results![0]!.MatchedStatements, [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 4, Column: 6 }, EndPosition: { Line: 8, Column: 6 } }]);
    assert.deepEqual(results![1]!.MatchedStatements, [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 9, Column: 6 }, EndPosition: { Line: 13, Column: 6 } }]);
    assert.equal(results![1]!.EvalDecision, 'explicitDeny');
  });

  test('paging: MaxItems results at a time, the Marker leads on, an invented Marker is refused', async () => {
    const ActionNames = ['s3:A1', 's3:A2', 's3:A3', 's3:A4', 's3:A5'];
    const first = await custom({ ActionNames, MaxItems: 2 });
    assert.deepEqual(first.EvaluationResults!.map((r) => r.EvalActionName), ['s3:A1', 's3:A2']);
    assert.equal(first.IsTruncated, true);
    const second = await custom({ ActionNames, MaxItems: 2, Marker: first.Marker! });
    assert.deepEqual(second.EvaluationResults!.map((r) => r.EvalActionName), ['s3:A3', 's3:A4']);
    const last = await custom({ ActionNames, MaxItems: 2, Marker: second.Marker! });
    assert.deepEqual(last.EvaluationResults!.map((r) => r.EvalActionName), ['s3:A5']);
    assert.equal(last.IsTruncated, false);
    assert.equal(last.Marker, undefined);
    await rejects(custom({ ActionNames, Marker: 'invented' }), 'ValidationError', 'Invalid Marker.', 400);
    // Only a page's actions are simulated; the resources they meet are bounded by iamd.
    const many = Array.from({ length: 1001 }, (_, i) => `arn:aws:s3:::b/${i}`);
    await rejects(custom({ ResourceArns: many }), 'InvalidInputException', 'ResourceArns may name at most 1000 resources.', 400);
    const wide = await custom({ ResourceArns: many.slice(1), ActionNames: Array.from({ length: 30 }, (_, i) => `s3:A${i}`) });
    assert.equal(wide.EvaluationResults![0]!.ResourceSpecificResults!.length, 1000);
    // 30 actions on 1,000 resources: fewer results than MaxItems on a page, as IAM may answer, and the rest after the Marker.
    assert.equal(wide.EvaluationResults!.length, 20);
    assert.equal(wide.IsTruncated, true);
    const rest = await custom({ ResourceArns: many.slice(1), ActionNames: Array.from({ length: 30 }, (_, i) => `s3:A${i}`), Marker: wide.Marker! });
    assert.deepEqual(rest.EvaluationResults!.map((r) => r.EvalActionName), Array.from({ length: 10 }, (_, i) => `s3:A${i + 20}`));
    assert.equal(rest.IsTruncated, false);
  });

  test('context entries of every type meet the conditions that test them; absent keys are missing', async () => {
    const conditional = policy(
      allow('s3:GetObject', '*', {
        Condition: {
          NumericLessThan: { 's3:max-keys': '10' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] },
          IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
          DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' },
          Bool: { 'aws:SecureTransport': 'true' },
          BinaryEquals: { 'x:bin': 'QUJD' },
          'ForAnyValue:NumericEquals': { 'x:nums': '3' },
        },
      }),
    );
    const entries = [
      { ContextKeyName: 's3:max-keys', ContextKeyValues: ['5'], ContextKeyType: 'numeric' as const },
      { ContextKeyName: 'aws:TagKeys', ContextKeyValues: ['a'], ContextKeyType: 'stringList' as const },
      { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.2.3'], ContextKeyType: 'ip' as const },
      { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2024-05-01T00:00:00Z'], ContextKeyType: 'date' as const },
      { ContextKeyName: 'AWS:SecureTransport', ContextKeyValues: ['true'], ContextKeyType: 'boolean' as const },
      { ContextKeyName: 'x:bin', ContextKeyValues: ['QUJD'], ContextKeyType: 'binary' as const },
      { ContextKeyName: 'x:nums', ContextKeyValues: ['1', '3'], ContextKeyType: 'numericList' as const },
    ];
    const allowed = await custom({ PolicyInputList: [conditional], ContextEntries: entries });
    assert.equal(allowed.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual(allowed.EvaluationResults![0]!.MissingContextValues, []);

    const tooMany = entries.map((e) => (e.ContextKeyName === 's3:max-keys' ? { ...e, ContextKeyValues: ['50'] } : e));
    assert.equal((await custom({ PolicyInputList: [conditional], ContextEntries: tooMany })).EvaluationResults![0]!.EvalDecision, 'implicitDeny');

    // Without entries: every key the statement tests is missing — at the top for `*`, per resource when named.
    const star = await custom({ PolicyInputList: [conditional] });
    assert.deepEqual(star.EvaluationResults![0]!.MissingContextValues, ['s3:max-keys', 'aws:TagKeys', 'aws:SourceIp', 'aws:CurrentTime', 'aws:SecureTransport', 'x:bin', 'x:nums']);
    const named = await custom({ PolicyInputList: [conditional], ResourceArns: ['arn:aws:s3:::b/k'], ContextEntries: entries.slice(1) });
    assert.deepEqual(named.EvaluationResults![0]!.ResourceSpecificResults![0]!.MissingContextValues, ['s3:max-keys']);
    assert.deepEqual(named.EvaluationResults![0]!.MissingContextValues, ['s3:max-keys']);

    await rejects(custom({ ContextEntries: [{ ContextKeyName: 's3:max-keys', ContextKeyValues: ['ten'], ContextKeyType: 'numeric' }] }), 'InvalidInputException', 'The value ten of context key s3:max-keys is not a valid numeric.', 400);
    await rejects(custom({ ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.0.0.1', '10.0.0.2'], ContextKeyType: 'ip' }] }), 'InvalidInputException', /takes exactly one value/, 400);
    await rejects(custom({ ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['yesterday'], ContextKeyType: 'date' }] }), 'InvalidInputException', /not a valid date/, 400);
  });

  test('a key a policy variable reads is missing for the statements naming the action, and only those', async () => {
    const homes = policy(allow('s3:GetObject', 'arn:aws:s3:::homes/${aws:username}/*'));
    const ask = (ContextEntries?: { ContextKeyName: string; ContextKeyValues: string[]; ContextKeyType: 'string' }[]) =>
      custom({ PolicyInputList: [homes], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::homes/alice/k'], ...(ContextEntries ? { ContextEntries } : {}) });
    const without = (await ask()).EvaluationResults!;
    assert.deepEqual(without.map((r) => [r.EvalDecision, r.MissingContextValues]), [['implicitDeny', ['aws:username']], ['implicitDeny', []]]);
    const withName = (await ask([{ ContextKeyName: 'aws:username', ContextKeyValues: ['alice'], ContextKeyType: 'string' }])).EvaluationResults!;
    assert.deepEqual(withName.map((r) => [r.EvalDecision, r.MissingContextValues]), [['allowed', []], ['implicitDeny', []]]);
  });

  test('several resources: one result per action, the most restrictive on top, each resource its own', async () => {
    const out = await custom({
      PolicyInputList: [policy(allow('s3:GetObject', 'arn:aws:s3:::open/*'))],
      ResourceArns: ['arn:aws:s3:::open/k', 'arn:aws:s3:::closed/k'],
    });
    const [result] = out.EvaluationResults!;
    assert.equal(out.EvaluationResults!.length, 1);
    assert.equal(result!.EvalDecision, 'implicitDeny');
    assert.equal(result!.EvalResourceName, '*');
    assert.deepEqual(result!.ResourceSpecificResults!.map((r) => [r.EvalResourceName, r.EvalResourceDecision]), [
      ['arn:aws:s3:::open/k', 'allowed'],
      ['arn:aws:s3:::closed/k', 'implicitDeny'],
    ]);
    assert.equal(result!.MatchedStatements!.length, 1);
  });

  test('cross-account: both sides must allow, and EvalDecisionDetails says what each said', async () => {
    const caller = arn('user', 'someone');
    const resourcePolicy = policy(allow('s3:GetObject', 'arn:aws:s3:::shared/*', { Principal: { AWS: caller } }));
    const base = { ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::shared/k'], ResourceOwner: `arn:aws:iam::${OTHER_ACCOUNT}:root`, CallerArn: caller };
    const out = await custom({ ...base, PolicyInputList: [policy(allow('s3:*'))], ResourcePolicy: resourcePolicy });
    const [get, put] = out.EvaluationResults!;
    assert.equal(get!.EvalDecision, 'allowed');
    assert.deepEqual(get!.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
    assert.deepEqual(get!.ResourceSpecificResults![0]!.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
    assert.deepEqual(get!.MatchedStatements!.map((s) => s.SourcePolicyType).sort(), ['IAM Policy', 'resource']);
    assert.equal(put!.EvalDecision, 'implicitDeny');
    assert.deepEqual(put!.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });

    // The same resource policy in the caller's own account grants on its own.
    const same = await custom({ ...base, ResourceOwner: `arn:aws:iam::${ACCOUNT}:root`, PolicyInputList: [policy(allow('ec2:*'))], ResourcePolicy: resourcePolicy });
    assert.equal(same.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual(same.EvaluationResults![0]!.EvalDecisionDetails, {});

    await rejects(custom({ ...base, ResourceOwner: OTHER_ACCOUNT }), 'InvalidInputException', `'${OTHER_ACCOUNT}' is not a valid as a Resource Owner.`, 400);
    await rejects(custom({ ResourcePolicy: resourcePolicy }), 'InvalidInputException', /CallerArn must be specified/, 400);
  });

  test('service control policies: every level must allow; their statements are never listed', async () => {
    const levels = (...docs: string[][]) => docs.map((ServiceControlPolicyInputList) => ({ ServiceControlPolicyInputList }));
    const allowed = await custom({ OrderedOrganizationPolicyInputList: levels([policy(allow('*'))], [policy(allow('s3:*'))]) });
    assert.equal(allowed.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual(allowed.EvaluationResults![0]!.OrganizationsDecisionDetail, { AllowedByOrganizations: true });
    const notGranted = await custom({ OrderedOrganizationPolicyInputList: levels([policy(allow('*'))], [policy(allow('ec2:*'))]) });
    assert.equal(notGranted.EvaluationResults![0]!.EvalDecision, 'implicitDeny');
    assert.deepEqual(notGranted.EvaluationResults![0]!.OrganizationsDecisionDetail, { AllowedByOrganizations: false });
    const denied = await custom({ OrderedOrganizationPolicyInputList: levels([policy(allow('*'), deny('s3:GetObject'))]) });
    assert.equal(denied.EvaluationResults![0]!.EvalDecision, 'explicitDeny');
    assert.deepEqual(denied.EvaluationResults![0]!.MatchedStatements, []);
  });

  test('input that IAM would refuse is InvalidInput', async () => {
    await rejects(custom({ PolicyInputList: ['{"Version": "2012-10-17"'] }), 'InvalidInputException', 'PolicyInputList.1: Syntax errors in policy.', 400);
    await rejects(custom({ PolicyInputList: [policy(allow('s3:*')), policy({ Effect: 'Allow', Action: 's3:*' })] }), 'InvalidInputException', 'PolicyInputList.2: Policy statement must contain resources.', 400);
    await rejects(custom({ PermissionsBoundaryPolicyInputList: [policy(allow('*')), policy(allow('*'))] }), 'InvalidInputException', /only one permissions boundary/, 400);
    await rejects(custom({ ActionNames: ['s3:Get*'] }), 'InvalidInputException', /without wildcards/, 400);
    await rejects(custom({ ResourceHandlingOption: 'EC2-VPC-EBS', ResourceArns: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1'] }), 'InvalidInputException', /image, security-group, network-interface, volume/, 400);
    await rejects(custom({ ResourceHandlingOption: 'EC2-Moon' }), 'InvalidInputException', /Invalid ResourceHandlingOption/, 400);
    const ec2 = ['instance/i-1', 'image/ami-1', 'security-group/sg-1', 'network-interface/eni-1'].map((r) => `arn:aws:ec2:us-east-1:${ACCOUNT}:${r}`);
    const launched = await custom({ PolicyInputList: [policy(allow('ec2:RunInstances'))], ActionNames: ['ec2:RunInstances'], ResourceHandlingOption: 'EC2-VPC-InstanceStore', ResourceArns: ec2 });
    assert.equal(launched.EvaluationResults![0]!.EvalDecision, 'allowed');
  });

  test('the AWS CLI pages through the results on its own and reads every member', async () => {
    const caller = arn('user', 'x');
    const cli = await awsCli(server.url, [
      'iam', 'simulate-custom-policy',
      '--policy-input-list', policy(allow('s3:*')),
      '--action-names', 's3:A', 's3:B', 's3:C',
      '--resource-arns', 'arn:aws:s3:::b',
      '--resource-owner', `arn:aws:iam::${OTHER_ACCOUNT}:root`,
      '--caller-arn', caller,
      '--resource-policy', policy(allow('s3:A', '*', { Principal: { AWS: caller } })),
      '--page-size', '1',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const results = (cli.json as { EvaluationResults: { EvalActionName: string; EvalDecision: string; EvalDecisionDetails: Record<string, string> }[] }).EvaluationResults;
    assert.deepEqual(results.map((r) => [r.EvalActionName, r.EvalDecision, r.EvalDecisionDetails]), [
      ['s3:A', 'allowed', { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' }],
      ['s3:B', 'implicitDeny', { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' }],
      ['s3:C', 'implicitDeny', { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' }],
    ]);
  });

  test('GetContextKeysForCustomPolicy lists each key once, in order', async () => {
    const out = await iam.send(
      new GetContextKeysForCustomPolicyCommand({
        PolicyInputList: [policy(allow('s3:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 's3:prefix': 'x' } } })), policy(allow('s3:*', 'arn:aws:s3:::b/${aws:PrincipalTag/TEAM}'))],
      }),
    );
    assert.deepEqual(out.ContextKeyNames, ['aws:PrincipalTag/team', 's3:prefix']);
  });
});

describe('who may simulate', () => {
  test('each operation asks its own action: on the entity for the principal ones, on * for the custom ones', async () => {
    const target = arn('user', 'alice');
    const other = arn('user', 'recorded-user');
    const nobody = await userWithPolicy(server, 'no-simulator', policy(allow('s3:*')));
    const asNobody = server.iam(nobody);
    await rejects(asNobody.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: target, ActionNames: ['s3:GetObject'] })), 'AccessDenied', `User: ${nobody.arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: ${target} because no identity-based policy allows the iam:SimulatePrincipalPolicy action`, 403);
    await rejects(asNobody.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: target })), 'AccessDenied', /iam:GetContextKeysForPrincipalPolicy on resource: arn:aws:iam::\d+:user\/alice because/, 403);
    await rejects(asNobody.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('*'))], ActionNames: ['s3:GetObject'] })), 'AccessDenied', /iam:SimulateCustomPolicy on resource: \* because/, 403);
    await rejects(asNobody.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy(allow('*'))] })), 'AccessDenied', /iam:GetContextKeysForCustomPolicy on resource: \* because/, 403);

    // The control: allowed exactly on alice, and on * for the custom operations.
    const simulator = await userWithPolicy(
      server,
      'simulator',
      policy(allow(['iam:SimulatePrincipalPolicy', 'iam:GetContextKeysForPrincipalPolicy'], target), allow(['iam:SimulateCustomPolicy', 'iam:GetContextKeysForCustomPolicy'])),
    );
    const asSimulator = server.iam(simulator);
    const simulated = await asSimulator.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: target, ActionNames: ['s3:GetObject'] }));
    assert.equal(simulated.EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.ok((await asSimulator.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: target }))).ContextKeyNames);
    assert.equal((await asSimulator.send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy(allow('*'))], ActionNames: ['s3:GetObject'] }))).EvaluationResults![0]!.EvalDecision, 'allowed');
    assert.deepEqual((await asSimulator.send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy(allow('*'))] }))).ContextKeyNames, []);
    await rejects(asSimulator.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: other, ActionNames: ['s3:GetObject'] })), 'AccessDenied', undefined, 403);
  });
});

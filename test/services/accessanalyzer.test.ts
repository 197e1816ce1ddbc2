// IAM Access Analyzer end to end with @aws-sdk/client-accessanalyzer: ValidatePolicy's findings and
// their locations, the three custom checks, analyzers for an account outside an organization, and
// the `access-analyzer:` authorization of each.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AccessAnalyzerClient, CheckAccessNotGrantedCommand, CheckNoNewAccessCommand, CheckNoPublicAccessCommand, CreateAnalyzerCommand,
  CreateArchiveRuleCommand, DeleteAnalyzerCommand, GetAnalyzerCommand, GetFindingV2Command, ListAnalyzersCommand, ListArchiveRulesCommand,
  ListFindingsV2Command, ListTagsForResourceCommand, TagResourceCommand, ValidatePolicyCommand, paginateValidatePolicy,
  type ValidatePolicyFinding,
} from '@aws-sdk/client-accessanalyzer';
import { startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

const codes = (findings: ValidatePolicyFinding[] | undefined) => (findings ?? []).map((f) => `${f.findingType} ${f.issueCode}`).sort();

describe('Access Analyzer', () => {
  let server: TestServer;
  let aa: AccessAnalyzerClient;
  before(async () => {
    server = await startServer();
    aa = server.client(AccessAnalyzerClient, ROOT);
  });
  after(() => server.close());

  test('ValidatePolicy: a clean policy has no findings', async () => {
    const out = await aa.send(new ValidatePolicyCommand({
      policyType: 'IDENTITY_POLICY',
      policyDocument: policy(allow(['s3:GetObject', 'iam:GetRole'], ['arn:aws:s3:::bucket/*', 'arn:aws:iam::123456789012:role/app'])),
    }));
    assert.deepEqual(out.findings, []);
  });

  test('ValidatePolicy: each kind of finding, with its path and span', async () => {
    const document = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObjekt', 'nosuchservice:Get', 'iam:PassRole'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' }, StringEquals: { 's3:nosuchkey': 'x', 'aws:nosuchkey': 'y' } } },
        { Effect: 'Allow', Action: ['ec2:*', 'ec2:RunInstances'], Resource: 'arn:aws:iam::123456789012:nosuchtype/x' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' }, StringEquals: { 's3:nosuchkey': 'x', 'aws:nosuchkey': 'y' } } },
      ],
    }, null, 2);
    const out = await aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document }));
    const findings = out.findings ?? [];
    assert.deepEqual(codes(findings), [
      'ERROR INVALID_ACTION', 'ERROR INVALID_ARN_RESOURCE', 'ERROR INVALID_GLOBAL_CONDITION_KEY', 'ERROR INVALID_GLOBAL_CONDITION_KEY',
      'ERROR INVALID_SERVICE', 'ERROR INVALID_SERVICE_CONDITION_KEY', 'ERROR INVALID_SERVICE_CONDITION_KEY', 'ERROR NULL_WITH_IF_EXISTS',
      'ERROR NULL_WITH_IF_EXISTS', 'SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE', 'SUGGESTION REDUNDANT_ACTION', 'SUGGESTION REDUNDANT_STATEMENT',
      'WARNING MISSING_VERSION',
    ]);
    const invalidAction = findings.find((f) => f.issueCode === 'INVALID_ACTION')!;
    assert.equal(invalidAction.findingDetails, 'The action s3:GetObjekt does not exist.');
    assert.equal(invalidAction.learnMoreLink, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-invalid-action');
    assert.deepEqual(invalidAction.locations![0].path, [{ value: 'Statement' }, { index: 0 }, { value: 'Action' }, { index: 0 }]);
    // The span is the string's own text in the document, quotes included.
    const { start, end } = invalidAction.locations![0].span!;
    assert.equal(document.slice(start!.offset, end!.offset), '"s3:GetObjekt"');
    const lines = document.split('\n');
    assert.equal(lines[start!.line! - 1].slice(start!.column!, start!.column! + 14), '"s3:GetObjekt"');

    const nullIfExists = findings.find((f) => f.issueCode === 'NULL_WITH_IF_EXISTS')!;
    assert.deepEqual(nullIfExists.locations![0].path, [{ value: 'Statement' }, { index: 1 }, { value: 'Condition' }, { key: 'NullIfExists' }]);
    const span = nullIfExists.locations![0].span!;
    assert.equal(document.slice(span.start!.offset, span.end!.offset), '"NullIfExists"');
    const redundant = findings.find((f) => f.issueCode === 'REDUNDANT_ACTION')!;
    assert.deepEqual(redundant.locations![0].path, [{ value: 'Statement' }, { index: 2 }, { value: 'Action' }, { index: 1 }]);
    const passRole = findings.find((f) => f.issueCode === 'PASS_ROLE_WITH_STAR_IN_RESOURCE')!;
    assert.deepEqual(passRole.locations![0].path, [{ value: 'Statement' }, { index: 0 }, { value: 'Resource' }]);
  });

  test('ValidatePolicy: the iam:PassedToService condition clears the PassRole warning; JSON errors point at the fault', async () => {
    const scoped = await aa.send(new ValidatePolicyCommand({
      policyType: 'IDENTITY_POLICY',
      policyDocument: policy(allow('iam:PassRole', '*', { Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } })),
    }));
    assert.deepEqual(codes(scoped.findings), []);
    const broken = await aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: '{\n  "Version": "2012-10-17",\n  "Statement": [}' }));
    assert.deepEqual(codes(broken.findings), ['ERROR JSON_SYNTAX_ERROR']);
    assert.deepEqual(broken.findings![0].locations![0].span!.start, { line: 3, column: 16, offset: 45 });
  });

  test('ValidatePolicy: an operator of the wrong type for its key; CreateServiceLinkedRole on any service', async () => {
    const document = policy(
      allow('s3:GetObject', 'arn:aws:s3:::b/*', { Condition: { StringEquals: { 'aws:SecureTransport': 'true' }, NumericLessThan: { 's3:max-keys': '10' } } }),
      allow('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/*'),
      allow('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/memorydb.amazonaws.com/*'),
      allow('iam:CreateServiceLinkedRole', '*', { Condition: { StringEquals: { 'iam:AWSServiceName': 'mq.amazonaws.com' } } }),
    );
    const findings = (await aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document }))).findings ?? [];
    assert.deepEqual(findings.map((f) => [f.issueCode, f.locations?.[0].path]), [
      ['TYPE_MISMATCH', [{ value: 'Statement' }, { index: 0 }, { value: 'Condition' }, { value: 'StringEquals' }, { key: 'aws:SecureTransport' }]],
      ['CREATE_SLR_WITH_STAR_IN_RESOURCE', [{ value: 'Statement' }, { index: 1 }, { value: 'Resource' }]],
    ]);
    assert.equal(findings[0].findingDetails, 'Use the operator type Bool instead of operator StringEquals for the condition key aws:SecureTransport.');
    assert.equal(findings[1].findingType, 'WARNING');
  });

  test('ValidatePolicy: empty elements are suggestions', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: [], Resource: [], Condition: {} }] });
    const findings = (await aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document }))).findings ?? [];
    assert.deepEqual(findings.map((f) => [f.findingType, f.issueCode, f.locations?.[0].path?.at(-1)]), [
      ['SUGGESTION', 'EMPTY_SID_VALUE', { value: 'Sid' }],
      ['SUGGESTION', 'EMPTY_ARRAY_ACTION', { value: 'Action' }],
      ['SUGGESTION', 'EMPTY_ARRAY_RESOURCE', { value: 'Resource' }],
      ['SUGGESTION', 'EMPTY_OBJECT_CONDITION', { value: 'Condition' }],
    ]);
  });

  test('ValidatePolicy: policy types — a Principal in an identity policy, a trust policy as a resource policy, an SCP', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    assert.deepEqual(codes((await aa.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: trust }))).findings), ['ERROR MISSING_RESOURCE', 'ERROR UNSUPPORTED_PRINCIPAL']);
    assert.deepEqual(codes((await aa.send(new ValidatePolicyCommand({ policyType: 'RESOURCE_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument', policyDocument: trust }))).findings), []);
    assert.deepEqual(codes((await aa.send(new ValidatePolicyCommand({ policyType: 'SERVICE_CONTROL_POLICY', policyDocument: trust }))).findings), ['ERROR SCP_SYNTAX_ERROR_PRINCIPAL']);
  });

  test('ValidatePolicy: principals of a trust policy', async () => {
    const document = policy({
      Effect: 'Allow',
      Principal: { AWS: [ACCOUNT, `arn:aws:iam::${ACCOUNT}:role/ops`, 'arn:aws:iam::*:root', 'bob'], Service: ['ec2.amazonaws.com', 'ec2'], Federated: 'cognito-identity.amazonaws.com', Bogus: 'x' },
      Action: 'sts:AssumeRole',
    });
    const findings = (await aa.send(new ValidatePolicyCommand({ policyType: 'RESOURCE_POLICY', validatePolicyResourceType: 'AWS::IAM::AssumeRolePolicyDocument', policyDocument: document }))).findings ?? [];
    assert.deepEqual(findings.map((f) => [f.issueCode, f.locations?.[0].path?.slice(2)]), [
      ['UNSUPPORTED_WILDCARD_IN_PRINCIPAL', [{ value: 'Principal' }, { value: 'AWS' }, { index: 2 }]],
      ['INVALID_PRINCIPAL_FORMAT', [{ value: 'Principal' }, { value: 'AWS' }, { index: 3 }]],
      ['INVALID_SERVICE_PRINCIPAL_FORMAT', [{ value: 'Principal' }, { value: 'Service' }, { index: 1 }]],
      ['INVALID_PRINCIPAL_KEY', [{ value: 'Principal' }, { key: 'Bogus' }]],
    ]);
  });

  test('ValidatePolicy pages with maxResults and nextToken', async () => {
    const document = policy(allow(['a:B', 'c:D', 'e:F', 'g:H', 'i:J']));
    const pages = [];
    for await (const p of paginateValidatePolicy({ client: aa, pageSize: 2 }, { policyType: 'IDENTITY_POLICY', policyDocument: document })) pages.push(p.findings?.length);
    assert.deepEqual(pages, [2, 2, 1]);
  });

  test('CheckNoNewAccess: PASS for a narrower policy, FAIL naming the statement that widens', async () => {
    const existing = policy(allow(['s3:Get*', 's3:List*'], 'arn:aws:s3:::data/*'), deny('s3:GetObject', 'arn:aws:s3:::data/secret/*'));
    const narrower = policy(allow('s3:GetObject', 'arn:aws:s3:::data/public/*'), deny('s3:Get*', 'arn:aws:s3:::data/secret/*'));
    const pass = await aa.send(new CheckNoNewAccessCommand({ policyType: 'IDENTITY_POLICY', existingPolicyDocument: existing, newPolicyDocument: narrower }));
    assert.equal(pass.result, 'PASS');
    assert.deepEqual(pass.reasons, []);
    const wider = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }, { Sid: 'Write', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::data/*' }] });
    const fail = await aa.send(new CheckNoNewAccessCommand({ policyType: 'IDENTITY_POLICY', existingPolicyDocument: existing, newPolicyDocument: wider }));
    assert.equal(fail.result, 'FAIL');
    // The existing deny on secret/* is gone too.
    assert.deepEqual(fail.reasons, [
      { description: 'New access in the statement with index: 1.', statementIndex: 1, statementId: 'Write' },
      { description: "The existing policy's deny in the statement with index: 1 is no longer in force.", statementIndex: 1 },
    ]);
    await rejects(aa.send(new CheckNoNewAccessCommand({ policyType: 'IDENTITY_POLICY', existingPolicyDocument: existing, newPolicyDocument: '{' })), 'InvalidParameterException', /newPolicyDocument/, 400);
    // One new statement whose actions two old statements grant between them.
    const split = await aa.send(new CheckNoNewAccessCommand({
      policyType: 'IDENTITY_POLICY',
      existingPolicyDocument: policy(allow('s3:GetObject', 'arn:aws:s3:::b/*'), allow('s3:PutObject', 'arn:aws:s3:::b/*')),
      newPolicyDocument: policy(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::b/in/*')),
    }));
    assert.equal(split.result, 'PASS');
    // A narrower condition on the same key follows from the new one: StringEquals alice ⊆ StringLike a*.
    const narrowed = await aa.send(new CheckNoNewAccessCommand({
      policyType: 'IDENTITY_POLICY',
      existingPolicyDocument: policy(allow('s3:GetObject', '*', { Condition: { StringLike: { 'aws:username': 'a*' } } })),
      newPolicyDocument: policy(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:username': 'alice' } } })),
    }));
    assert.equal(narrowed.result, 'PASS');
    const widened = await aa.send(new CheckNoNewAccessCommand({
      policyType: 'IDENTITY_POLICY',
      existingPolicyDocument: policy(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:username': 'alice' } } })),
      newPolicyDocument: policy(allow('s3:GetObject', '*', { Condition: { StringLike: { 'aws:username': 'a*' } } })),
    }));
    assert.equal(widened.result, 'FAIL');
  });

  test('CheckAccessNotGranted: FAIL names the granting statements; PASS when no statement can grant', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Logs', Effect: 'Allow', Action: 'logs:*', Resource: '*' }, { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b/*' }] });
    const fail = await aa.send(new CheckAccessNotGrantedCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document, access: [{ actions: ['s3:DeleteObject'] }] }));
    assert.equal(fail.result, 'FAIL');
    assert.deepEqual(fail.reasons?.map((r) => r.statementIndex), [1]);
    const pass = await aa.send(new CheckAccessNotGrantedCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document, access: [{ actions: ['iam:CreateUser', 'iam:PassRole'] }] }));
    assert.equal(pass.result, 'PASS');
    const byResource = await aa.send(new CheckAccessNotGrantedCommand({ policyType: 'IDENTITY_POLICY', policyDocument: document, access: [{ resources: ['arn:aws:s3:::other/key'] }] }));
    assert.deepEqual(byResource.reasons?.map((r) => [r.statementIndex, r.statementId]), [[0, 'Logs']]);
  });

  test('CheckNoPublicAccess on role trust policies', async () => {
    const check = (statement: object) => aa.send(new CheckNoPublicAccessCommand({
      resourceType: 'AWS::IAM::AssumeRolePolicyDocument',
      policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
    }));
    const open = await check({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' });
    assert.equal(open.result, 'FAIL');
    assert.deepEqual(open.reasons?.map((r) => r.statementIndex), [0]);
    assert.equal((await check({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })).result, 'PASS');
    assert.equal((await check({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' })).result, 'PASS');
    assert.equal((await check({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity' })).result, 'FAIL');
    assert.equal((await check({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-east-1:pool' } } })).result, 'PASS');
    // GitHub's tokens all carry the same audience: only the subject pins the repository.
    const github = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    assert.equal((await check({ Effect: 'Allow', Principal: { Federated: github }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } })).result, 'FAIL');
    assert.equal((await check({ Effect: 'Allow', Principal: { Federated: github }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' } } })).result, 'PASS');
    // A wildcard in the pinning value, an IfExists, or a key any account shares pins nothing.
    assert.equal((await check({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringLike: { 'aws:PrincipalAccount': '1*' } } })).result, 'FAIL');
    assert.equal((await check({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } } })).result, 'FAIL');
    assert.equal((await check({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:username': 'alice' } } })).result, 'FAIL');
  });

  test('analyzers: create, read, tag, archive rules, empty findings, delete; ORGANIZATION refused; conflicts and not-found', async () => {
    const { arn } = await aa.send(new CreateAnalyzerCommand({ analyzerName: 'unused', type: 'ACCOUNT_UNUSED_ACCESS', tags: { team: 'sec' } }));
    assert.equal(arn, `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/unused`);
    const got = await aa.send(new GetAnalyzerCommand({ analyzerName: 'unused' }));
    assert.equal(got.analyzer?.type, 'ACCOUNT_UNUSED_ACCESS');
    assert.equal(got.analyzer?.status, 'ACTIVE');
    assert.equal(got.analyzer?.configuration?.unusedAccess?.unusedAccessAge, 90);
    assert.ok(got.analyzer?.createdAt instanceof Date);
    await rejects(aa.send(new CreateAnalyzerCommand({ analyzerName: 'unused', type: 'ACCOUNT_UNUSED_ACCESS' })), 'ConflictException', 'Analyzer unused already exists.', 409);
    const org = await rejects(aa.send(new CreateAnalyzerCommand({ analyzerName: 'org', type: 'ORGANIZATION' })), 'ValidationException', 'Service not enabled for AWS Organizations', 400);
    assert.equal((org as { reason?: string }).reason, 'FIELD_VALIDATION_FAILED');
    assert.deepEqual((await aa.send(new ListAnalyzersCommand({}))).analyzers?.map((a) => a.name), ['unused']);
    await aa.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod' } }));
    assert.deepEqual((await aa.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'sec', env: 'prod' });
    await aa.send(new CreateArchiveRuleCommand({ analyzerName: 'unused', ruleName: 'r1', filter: { resourceType: { eq: ['AWS::IAM::Role'] } } }));
    assert.deepEqual((await aa.send(new ListArchiveRulesCommand({ analyzerName: 'unused' }))).archiveRules?.map((r) => r.ruleName), ['r1']);
    assert.deepEqual((await aa.send(new ListFindingsV2Command({ analyzerArn: arn }))).findings, []);
    await rejects(aa.send(new GetFindingV2Command({ analyzerArn: arn, id: 'f-1' })), 'ResourceNotFoundException', 'Finding f-1 not found.', 404);
    await aa.send(new DeleteAnalyzerCommand({ analyzerName: 'unused' }));
    await rejects(aa.send(new GetAnalyzerCommand({ analyzerName: 'unused' })), 'ResourceNotFoundException', 'Analyzer unused not found.', 404);
  });

  test('an unsigned request is refused in Access Analyzer\'s envelope, found by its route', async () => {
    const res = await fetch(`${server.url}/policy/validation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.match(res.headers.get('content-type') ?? '', /json/);
  });

  test('authorization: each operation is its access-analyzer: action on the analyzer ARN', async () => {
    const user = await userWithPolicy(server, 'analyst', policy(
      allow('access-analyzer:ValidatePolicy'),
      allow(['access-analyzer:CreateAnalyzer', 'access-analyzer:GetAnalyzer'], `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/mine`),
    ));
    const client = server.client(AccessAnalyzerClient, user);
    await client.send(new ValidatePolicyCommand({ policyType: 'IDENTITY_POLICY', policyDocument: policy(allow('s3:GetObject')) }));
    await rejects(
      client.send(new CheckNoPublicAccessCommand({ resourceType: 'AWS::IAM::AssumeRolePolicyDocument', policyDocument: policy() })),
      'AccessDeniedException',
      `User: ${user.arn} is not authorized to perform: access-analyzer:CheckNoPublicAccess on resource: * because no identity-based policy allows the access-analyzer:CheckNoPublicAccess action`,
      403,
    );
    await client.send(new CreateAnalyzerCommand({ analyzerName: 'mine', type: 'ACCOUNT' }));
    await client.send(new GetAnalyzerCommand({ analyzerName: 'mine' }));
    await rejects(client.send(new CreateAnalyzerCommand({ analyzerName: 'theirs', type: 'ACCOUNT_UNUSED_ACCESS' })), 'AccessDeniedException', /analyzer\/theirs/, 403);
    await rejects(client.send(new DeleteAnalyzerCommand({ analyzerName: 'mine' })), 'AccessDeniedException', /access-analyzer:DeleteAnalyzer on resource: arn:aws:access-analyzer:us-east-1:123456789012:analyzer\/mine/, 403);
  });
});

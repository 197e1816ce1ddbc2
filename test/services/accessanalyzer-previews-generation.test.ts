// Access Analyzer's access previews (role trust policies against the account as zone of trust),
// policy generation from the event log, and the finding operations of an analyzer with no findings —
// end to end with @aws-sdk/client-accessanalyzer.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AccessAnalyzerClient, CancelPolicyGenerationCommand, CreateAccessPreviewCommand, CreateAnalyzerCommand, CreateServiceLinkedAnalyzerCommand,
  GenerateFindingRecommendationCommand, GetAccessPreviewCommand, GetAnalyzedResourceCommand, GetFindingsStatisticsCommand,
  GetGeneratedPolicyCommand, ListAccessPreviewFindingsCommand, ListAccessPreviewsCommand, ListAnalyzedResourcesCommand,
  ListPolicyGenerationsCommand, StartPolicyGenerationCommand, UpdateFindingsCommand,
} from '@aws-sdk/client-accessanalyzer';
import { CreateRoleCommand, GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, policy, trust, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

describe('Access Analyzer previews and policy generation', () => {
  let server: TestServer;
  let aa: AccessAnalyzerClient;
  let external: string;
  before(async () => {
    // Reads are in the event log only when asked for, as on a trail that records them.
    server = await startServer(['--audit-read-events']);
    aa = server.client(AccessAnalyzerClient, ROOT);
    external = (await aa.send(new CreateAnalyzerCommand({ analyzerName: 'external', type: 'ACCOUNT' }))).arn!;
  });
  after(() => server.close());

  test('an access preview of a role trust policy finds the principals outside the account', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/shared`;
    const trustPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${OTHER_ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x1' } } },
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
      ],
    });
    const { id } = await aa.send(new CreateAccessPreviewCommand({ analyzerArn: external, configurations: { [roleArn]: { iamRole: { trustPolicy } } } }));
    const preview = await aa.send(new GetAccessPreviewCommand({ analyzerArn: external, accessPreviewId: id }));
    assert.equal(preview.accessPreview?.status, 'COMPLETED');
    assert.deepEqual(Object.keys(preview.accessPreview?.configurations ?? {}), [roleArn]);
    const findings = (await aa.send(new ListAccessPreviewFindingsCommand({ analyzerArn: external, accessPreviewId: id }))).findings ?? [];
    assert.deepEqual(findings.map((f) => [f.principal, f.isPublic, f.changeType, f.resource, f.condition]), [
      [{ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, false, 'NEW', roleArn, { 'sts:ExternalId': 'x1' }],
      [{ AWS: '*' }, true, 'NEW', roleArn, {}],
    ]);
    assert.deepEqual((await aa.send(new ListAccessPreviewsCommand({ analyzerArn: external }))).accessPreviews?.map((p) => p.id), [id]);

    // A configuration iamd cannot judge ends FAILED rather than claiming no access.
    const s3 = await aa.send(new CreateAccessPreviewCommand({ analyzerArn: external, configurations: { 'arn:aws:s3:::b': { s3Bucket: { bucketPolicy: '{}' } } } }));
    const failed = await aa.send(new GetAccessPreviewCommand({ analyzerArn: external, accessPreviewId: s3.id }));
    assert.equal(failed.accessPreview?.status, 'FAILED');
    assert.equal(failed.accessPreview?.statusReason?.code, 'INVALID_CONFIGURATION');
    await rejects(aa.send(new ListAccessPreviewFindingsCommand({ analyzerArn: external, accessPreviewId: s3.id })), 'ConflictException', /FAILED/, 409);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await rejects(aa.send(new GetAccessPreviewCommand({ analyzerArn: external, accessPreviewId: unknown })), 'ResourceNotFoundException', `Access preview ${unknown} not found.`, 404);
  });

  test('policy generation builds the policy of the actions the principal used', async () => {
    const user = await userWithPolicy(server, 'builder', policy(allow(['iam:CreateRole', 'iam:GetRole', 'iam:ListRoles'])));
    const iam = server.iam(user);
    await iam.send(new CreateRoleCommand({ RoleName: 'made', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new GetRoleCommand({ RoleName: 'made' }));
    await iam.send(new ListRolesCommand({}));
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'missing' })), 'NoSuchEntityException');
    // The event log is written in the background: generate until the three calls are in.
    const generated = await eventually(
      'the generated policy holds the calls',
      async () => {
        const { jobId } = await aa.send(new StartPolicyGenerationCommand({
          policyGenerationDetails: { principalArn: user.arn },
          cloudTrailDetails: { trails: [{ cloudTrailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/all`, allRegions: true }], accessRole: `arn:aws:iam::${ACCOUNT}:role/AccessAnalyzerMonitor`, startTime: new Date(Date.now() - 3600_000) },
        }));
        return aa.send(new GetGeneratedPolicyCommand({ jobId }));
      },
      (g) => (g.generatedPolicyResult?.generatedPolicies?.[0]?.policy ?? '').includes('iam:ListRoles'),
    );
    assert.equal(generated.jobDetails?.status, 'SUCCEEDED');
    assert.equal(generated.generatedPolicyResult?.properties?.principalArn, user.arn);
    assert.equal(generated.generatedPolicyResult?.properties?.isComplete, true);
    assert.deepEqual(JSON.parse(generated.generatedPolicyResult!.generatedPolicies![0].policy!), {
      Version: '2012-10-17',
      // The failed GetRole of a missing role grants nothing new; the successful one is there.
      Statement: [{ Effect: 'Allow', Action: ['iam:CreateRole', 'iam:GetRole', 'iam:ListRoles'], Resource: '*' }],
    });
    const jobs = (await aa.send(new ListPolicyGenerationsCommand({ principalArn: user.arn }))).policyGenerations ?? [];
    assert.ok(jobs.length >= 1 && jobs.every((j) => j.status === 'SUCCEEDED' && j.principalArn === user.arn));
    await aa.send(new CancelPolicyGenerationCommand({ jobId: generated.jobDetails!.jobId }));
    assert.equal((await aa.send(new GetGeneratedPolicyCommand({ jobId: generated.jobDetails!.jobId }))).jobDetails?.status, 'SUCCEEDED');

    const ghost = await aa.send(new StartPolicyGenerationCommand({ policyGenerationDetails: { principalArn: `arn:aws:iam::${ACCOUNT}:role/ghost` } }));
    const failed = await aa.send(new GetGeneratedPolicyCommand({ jobId: ghost.jobId }));
    assert.equal(failed.jobDetails?.status, 'FAILED');
    assert.equal(failed.jobDetails?.jobError?.code, 'RESOURCE_NOT_FOUND_ERROR');
    await rejects(aa.send(new GetGeneratedPolicyCommand({ jobId: 'no-such-job' })), 'ValidationException', 'Job no-such-job does not exist.', 400);
  });

  test('Access Analyzer calls are recorded under its own event source, and generate its own actions', async () => {
    const trail = server.client(CloudTrailClient, ROOT);
    // Looked up by name: by source, the first page may be all the earlier test's policy generations,
    // whose number depends on how soon the event log was flushed.
    const created = await eventually(
      'CreateAnalyzer is in the event log',
      () => trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAnalyzer' }] })),
      (r) => (r.Events ?? []).length > 0,
    );
    assert.ok(created.Events!.every((e) => e.EventSource === 'access-analyzer.amazonaws.com'));
    const bySource = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'access-analyzer.amazonaws.com' }] }));
    assert.ok(bySource.Events!.length > 0);
    assert.ok(bySource.Events!.every((e) => e.EventSource === 'access-analyzer.amazonaws.com'));
    const user = await userWithPolicy(server, 'auditor', policy(allow('access-analyzer:*')));
    const mine = server.client(AccessAnalyzerClient, user);
    await mine.send(new CreateAnalyzerCommand({ analyzerName: 'auditors', type: 'ACCOUNT_UNUSED_ACCESS' }));
    const generated = await eventually(
      'the auditor\'s policy holds CreateAnalyzer',
      async () => aa.send(new GetGeneratedPolicyCommand({ jobId: (await aa.send(new StartPolicyGenerationCommand({ policyGenerationDetails: { principalArn: user.arn } }))).jobId })),
      (g) => (g.generatedPolicyResult?.generatedPolicies ?? []).length > 0,
    );
    assert.deepEqual(JSON.parse(generated.generatedPolicyResult!.generatedPolicies![0].policy!).Statement, [
      { Effect: 'Allow', Action: ['access-analyzer:CreateAnalyzer'], Resource: '*' },
    ]);
  });

  test('the finding operations of an analyzer with nothing found', async () => {
    const stats = await aa.send(new GetFindingsStatisticsCommand({ analyzerArn: external }));
    assert.deepEqual(stats.findingsStatistics, [{ externalAccessFindingsStatistics: { totalActiveFindings: 0, totalArchivedFindings: 0, totalResolvedFindings: 0 } }]);
    assert.deepEqual((await aa.send(new ListAnalyzedResourcesCommand({ analyzerArn: external }))).analyzedResources, []);
    await rejects(aa.send(new GetAnalyzedResourceCommand({ analyzerArn: external, resourceArn: 'arn:aws:s3:::b' })), 'ResourceNotFoundException', 'Analyzed resource arn:aws:s3:::b not found.', 404);
    await rejects(aa.send(new UpdateFindingsCommand({ analyzerArn: external, status: 'ARCHIVED', ids: ['f-1'] })), 'ResourceNotFoundException', 'Finding f-1 not found.', 404);
    await rejects(aa.send(new GenerateFindingRecommendationCommand({ analyzerArn: external, id: 'f-1' })), 'ValidationException', 'Finding f-1 not found.', 400);
    await rejects(aa.send(new CreateServiceLinkedAnalyzerCommand({ type: 'ACCOUNT' })), 'ValidationException', /AWS service/, 400);
    await rejects(aa.send(new GetFindingsStatisticsCommand({ analyzerArn: `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/none` })), 'ResourceNotFoundException', /none not found/, 404);
  });
});

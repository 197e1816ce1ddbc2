// An unused-access analyzer over Access Advisor's last-accessed data: a role that called one action of
// a service and not another has an UnusedPermission finding naming the unused action; a service it may
// use and never did is one as a whole; a role never used is UnusedIAMRole. Findings are filtered,
// sorted and paged, archived and brought back, archived by rules, and a recommendation keeps only the
// used actions. Time is moved by back-dating creation dates in the real store, the one thing a test
// cannot wait for.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AccessAnalyzerClient, ApplyArchiveRuleCommand, CreateAnalyzerCommand, CreateArchiveRuleCommand, DeleteArchiveRuleCommand, GenerateFindingRecommendationCommand,
  GetFindingRecommendationCommand, GetFindingsStatisticsCommand, GetFindingV2Command, ListFindingsV2Command, UpdateFindingsCommand,
  type FindingSummaryV2,
} from '@aws-sdk/client-accessanalyzer';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, policy, sessionCredentials, trustAccount, userWithKey } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

const DAY_MS = 86_400_000;
const WORKER = `arn:aws:iam::${ACCOUNT}:role/worker`;
const IDLE = `arn:aws:iam::${ACCOUNT}:role/idle`;
const ANALYZER = `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/unused`;

const row = (f: FindingSummaryV2) => [f.findingType, f.resource, f.status];

describe('unused-access analyzer over last-accessed data', () => {
  let server: TestServer;
  let aa: AccessAnalyzerClient;
  let mqPolicyArn: string;
  const list = async (input: Partial<ConstructorParameters<typeof ListFindingsV2Command>[0]> = {}) =>
    (await aa.send(new ListFindingsV2Command({ analyzerArn: ANALYZER, ...input }))).findings ?? [];
  const idOf = async (type: string, resource: string, namespace?: string): Promise<string> => {
    for (const f of await list({ filter: { findingType: { eq: [type] }, resource: { eq: [resource] } } })) {
      const details = (await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id: f.id! }))).findingDetails?.[0];
      if (namespace === undefined || details?.unusedPermissionDetails?.serviceNamespace === namespace) return f.id!;
    }
    throw new Error(`no ${type} finding for ${resource} ${namespace ?? ''}`);
  };

  before(async () => {
    server = await startServer();
    aa = server.client(AccessAnalyzerClient, ROOT);
    const iam = server.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trustAccount() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'work', PolicyDocument: policy(allow(['memorydb:DescribeClusters', 'memorydb:DescribeAcls'])) }));
    mqPolicyArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'mq-read', PolicyDocument: policy(allow('mq:ListBrokers')) }))).Policy!.Arn!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: mqPolicyArn }));
    await iam.send(new CreateRoleCommand({ RoleName: 'idle', AssumeRolePolicyDocument: trustAccount() }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'idle', PolicyName: 'work', PolicyDocument: policy(allow('memorydb:DescribeClusters')) }));
    // Both roles were made 200 days ago: what they never used since is past the 90-day period.
    const then = new Date(Date.now() - 200 * DAY_MS).toISOString();
    await server.iamd.store.transaction(async (tx) => {
      for (const name of ['worker', 'idle']) {
        const role = (await tx.get<{ CreateDate: string }>(ACCOUNT, 'role', name))!;
        await tx.update(ACCOUNT, 'role', name, { ...role.doc, CreateDate: then }, role.ref);
      }
    });
    // Root may not assume a role (as on AWS): a user does, and is itself analyzed (it used what it may).
    const assumer = await userWithKey(iam, 'assumer', policy(allow('sts:AssumeRole', WORKER)));
    const session = sessionCredentials((await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: WORKER, RoleSessionName: 'work' }))).Credentials);
    await server.client(MemoryDBClient, session).send(new DescribeClustersCommand({}));
    await aa.send(new CreateAnalyzerCommand({ analyzerName: 'unused', type: 'ACCOUNT_UNUSED_ACCESS' }));
    // The session's call reaches the store within a second (src/server/usage-recorder.ts); until then
    // the worker's MemoryDB finding is about a service never used.
    const memorydbDetails = async () => {
      const f = (await list({ filter: { findingType: { eq: ['UnusedPermission'] }, resource: { eq: [WORKER] } } }))[0];
      return f && (await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id: f.id! }))).findingDetails?.[0]?.unusedPermissionDetails;
    };
    await eventually('the worker\'s MemoryDB call is recorded', memorydbDetails, (d) => d?.serviceNamespace === 'memorydb' && d.lastAccessed !== undefined);
  });
  after(() => server.close());

  test('a role used for one action has UnusedPermission naming the other; a service never used is one whole; an idle role is UnusedIAMRole', async () => {
    assert.deepEqual((await list()).map(row), [
      ['UnusedIAMRole', IDLE, 'ACTIVE'],
      ['UnusedPermission', WORKER, 'ACTIVE'],
      ['UnusedPermission', WORKER, 'ACTIVE'],
    ]);
    const memorydb = await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id: await idOf('UnusedPermission', WORKER, 'memorydb') }));
    const details = memorydb.findingDetails![0].unusedPermissionDetails!;
    assert.equal(details.serviceNamespace, 'memorydb');
    assert.ok(details.lastAccessed instanceof Date && Date.now() - details.lastAccessed.getTime() < DAY_MS, 'lastAccessed is the call just made');
    // The catalog's spelling (DescribeAcls); DescribeClusters was used, so it is not listed.
    assert.deepEqual(details.actions, [{ action: 'DescribeAcls' }]);
    assert.equal(memorydb.resourceType, 'AWS::IAM::Role');
    assert.equal(memorydb.resourceOwnerAccount, ACCOUNT);
    const mq = await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id: await idOf('UnusedPermission', WORKER, 'mq') }));
    assert.deepEqual(mq.findingDetails, [{ unusedPermissionDetails: { serviceNamespace: 'mq' } }]);
    const idle = await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id: await idOf('UnusedIAMRole', IDLE) }));
    assert.deepEqual(idle.findingDetails, [{ unusedIamRoleDetails: {} }]);
  });

  test('ListFindingsV2 filters, sorts and pages; an unknown filter key or sort attribute is refused', async () => {
    assert.deepEqual((await list({ filter: { findingType: { neq: ['UnusedPermission'] } } })).map(row), [['UnusedIAMRole', IDLE, 'ACTIVE']]);
    assert.deepEqual((await list({ filter: { resource: { contains: ['role/work'] } } })).length, 2);
    assert.deepEqual((await list({ filter: { resource: { exists: false } } })).length, 0);
    assert.deepEqual((await list({ sort: { attributeName: 'resource', orderBy: 'DESC' } })).map((f) => f.resource), [WORKER, WORKER, IDLE]);
    const first = await aa.send(new ListFindingsV2Command({ analyzerArn: ANALYZER, maxResults: 2 }));
    assert.equal(first.findings?.length, 2);
    const second = await aa.send(new ListFindingsV2Command({ analyzerArn: ANALYZER, maxResults: 2, nextToken: first.nextToken }));
    assert.deepEqual([...first.findings!, ...second.findings!].map((f) => f.id), (await list()).map((f) => f.id));
    assert.equal(second.nextToken, undefined);
    await rejects(aa.send(new ListFindingsV2Command({ analyzerArn: ANALYZER, filter: { isPublic: { eq: ['true'] } } })), 'ValidationException', 'Invalid filter key: isPublic.', 400);
    await rejects(aa.send(new ListFindingsV2Command({ analyzerArn: ANALYZER, sort: { attributeName: 'colour' } })), 'ValidationException', 'Invalid sort attribute: colour.', 400);
  });

  test('an archive rule archives the new findings it matches, and they come back when it goes', async () => {
    await aa.send(new CreateArchiveRuleCommand({ analyzerName: 'unused', ruleName: 'idle-roles', filter: { findingType: { eq: ['UnusedIAMRole'] } } }));
    assert.deepEqual((await list()).map(row), [
      ['UnusedIAMRole', IDLE, 'ARCHIVED'],
      ['UnusedPermission', WORKER, 'ACTIVE'],
      ['UnusedPermission', WORKER, 'ACTIVE'],
    ]);
    await aa.send(new DeleteArchiveRuleCommand({ analyzerName: 'unused', ruleName: 'idle-roles' }));
    assert.equal((await list())[0].status, 'ACTIVE');
  });

  test('UpdateFindings archives and brings back a finding, by id or by resource; statistics follow', async () => {
    const id = await idOf('UnusedIAMRole', IDLE);
    await aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ARCHIVED', ids: [id] }));
    assert.deepEqual((await list({ filter: { status: { eq: ['ARCHIVED'] } } })).map(row), [['UnusedIAMRole', IDLE, 'ARCHIVED']]);
    const archived = await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id }));
    assert.ok(archived.updatedAt! > archived.createdAt!, 'the status change moves updatedAt');
    const stats = (await aa.send(new GetFindingsStatisticsCommand({ analyzerArn: ANALYZER }))).findingsStatistics![0].unusedAccessFindingsStatistics!;
    assert.deepEqual([stats.totalActiveFindings, stats.totalArchivedFindings, stats.unusedAccessTypeStatistics], [2, 1, [{ unusedAccessType: 'UnusedPermission', total: 2 }]]);
    await aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ACTIVE', ids: [id] }));
    assert.equal((await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id }))).status, 'ACTIVE');
    await aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ARCHIVED', resourceArn: WORKER }));
    assert.deepEqual((await list()).map((f) => f.status), ['ACTIVE', 'ARCHIVED', 'ARCHIVED']);
    await aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ACTIVE', resourceArn: WORKER }));
    assert.deepEqual((await list()).map((f) => f.status), ['ACTIVE', 'ACTIVE', 'ACTIVE']);
    await rejects(aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ARCHIVED', ids: [id, 'f-none'] })), 'ResourceNotFoundException', 'Finding f-none not found.', 404);
    // Nothing was archived by the refused call.
    assert.equal((await aa.send(new GetFindingV2Command({ analyzerArn: ANALYZER, id }))).status, 'ACTIVE');
  });

  test('ApplyArchiveRule archives the current findings a rule matches, even those made ACTIVE by hand', async () => {
    await aa.send(new CreateArchiveRuleCommand({ analyzerName: 'unused', ruleName: 'worker', filter: { resource: { eq: [WORKER] } } }));
    // Set ACTIVE by UpdateFindings above: a new rule leaves them until it is applied.
    assert.deepEqual((await list()).map((f) => f.status), ['ACTIVE', 'ACTIVE', 'ACTIVE']);
    await aa.send(new ApplyArchiveRuleCommand({ analyzerArn: ANALYZER, ruleName: 'worker' }));
    assert.deepEqual((await list()).map((f) => f.status), ['ACTIVE', 'ARCHIVED', 'ARCHIVED']);
    await aa.send(new DeleteArchiveRuleCommand({ analyzerName: 'unused', ruleName: 'worker' }));
    await aa.send(new UpdateFindingsCommand({ analyzerArn: ANALYZER, status: 'ACTIVE', resourceArn: WORKER }));
  });

  test('a recommendation keeps only the used actions, or detaches a policy that would keep nothing', async () => {
    const memorydbId = await idOf('UnusedPermission', WORKER, 'memorydb');
    await rejects(aa.send(new GetFindingRecommendationCommand({ analyzerArn: ANALYZER, id: memorydbId })), 'ResourceNotFoundException', `Recommendation for finding ${memorydbId} not found.`, 404);
    await aa.send(new GenerateFindingRecommendationCommand({ analyzerArn: ANALYZER, id: memorydbId }));
    const memorydb = await aa.send(new GetFindingRecommendationCommand({ analyzerArn: ANALYZER, id: memorydbId }));
    assert.equal(memorydb.status, 'SUCCEEDED');
    assert.equal(memorydb.recommendationType, 'UnusedPermissionRecommendation');
    assert.equal(memorydb.resourceArn, WORKER);
    assert.ok(memorydb.startedAt instanceof Date && memorydb.completedAt instanceof Date);
    const [create, detach] = memorydb.recommendedSteps!.map((s) => s.unusedPermissionsRecommendedStep!);
    assert.equal(memorydb.recommendedSteps!.length, 2);
    assert.equal(create.recommendedAction, 'CREATE_POLICY');
    assert.equal(create.existingPolicyId, 'work');
    assert.deepEqual(JSON.parse(create.recommendedPolicy!), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'memorydb:DescribeClusters', Resource: '*' }] });
    assert.deepEqual(detach, { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'work' });

    const mqId = await idOf('UnusedPermission', WORKER, 'mq');
    await aa.send(new GenerateFindingRecommendationCommand({ analyzerArn: ANALYZER, id: mqId }));
    const mq = await aa.send(new GetFindingRecommendationCommand({ analyzerArn: ANALYZER, id: mqId }));
    const steps = mq.recommendedSteps!.map((s) => s.unusedPermissionsRecommendedStep!);
    assert.equal(steps.length, 1);
    assert.equal(steps[0].recommendedAction, 'DETACH_POLICY');
    assert.equal(steps[0].existingPolicyId, mqPolicyArn);
    assert.ok(steps[0].policyUpdatedAt instanceof Date);
    const paged = await aa.send(new GetFindingRecommendationCommand({ analyzerArn: ANALYZER, id: memorydbId, maxResults: 1 }));
    assert.equal(paged.recommendedSteps?.length, 1);
    assert.ok(paged.nextToken);

    const idleId = await idOf('UnusedIAMRole', IDLE);
    await rejects(aa.send(new GenerateFindingRecommendationCommand({ analyzerArn: ANALYZER, id: idleId })), 'ValidationException', `Recommendations are generated only for UnusedPermission findings; ${idleId} is UnusedIAMRole.`, 400);
  });
});

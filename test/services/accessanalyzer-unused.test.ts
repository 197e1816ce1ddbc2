// An unused-access analyzer over the usage iamd keeps (RoleLastUsed, access keys' last use,
// PasswordLastUsed): what has gone unused past the analyzer's tracking period is a finding, what was
// used or is too new is not. Time is moved by back-dating creation dates in the real store, the one
// thing a test cannot wait for.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AccessAnalyzerClient, CreateAnalyzerCommand, GetFindingsStatisticsCommand, GetFindingV2Command, ListFindingsV2Command, UpdateAnalyzerCommand,
} from '@aws-sdk/client-accessanalyzer';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { trust } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { GLOBAL } from '../../src/store/types.ts';

const DAY_MS = 86_400_000;

describe('unused-access analyzer', () => {
  let server: TestServer;
  let aa: AccessAnalyzerClient;
  let keyId: string;
  before(async () => {
    server = await startServer();
    aa = server.client(AccessAnalyzerClient, ROOT);
    const iam = server.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'stale', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new CreateRoleCommand({ RoleName: 'fresh', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(new CreateUserCommand({ UserName: 'olduser' }));
    keyId = (await iam.send(new CreateAccessKeyCommand({ UserName: 'olduser' }))).AccessKey!.AccessKeyId!;
    await iam.send(new CreateLoginProfileCommand({ UserName: 'olduser', Password: 'Correct-Horse-Battery-9' }));
    // 200 days ago: the stale role, the key and the password were made then and never used since.
    const then = new Date(Date.now() - 200 * DAY_MS).toISOString();
    await server.iamd.store.transaction(async (tx) => {
      const role = (await tx.get<{ CreateDate: string }>(ACCOUNT, 'role', 'stale'))!;
      await tx.update(ACCOUNT, 'role', 'stale', { ...role.doc, CreateDate: then }, role.ref);
      const key = (await tx.get<{ CreateDate: string }>(GLOBAL, 'access-key', keyId))!;
      await tx.update(GLOBAL, 'access-key', keyId, { ...key.doc, CreateDate: then }, key.ref);
      const user = (await tx.get<{ UserId: string }>(ACCOUNT, 'user', 'olduser'))!;
      const profile = (await tx.get<{ CreateDate: string }>(ACCOUNT, 'login-profile', user.doc.UserId))!;
      await tx.update(ACCOUNT, 'login-profile', user.doc.UserId, { ...profile.doc, CreateDate: then }, profile.ref);
    });
  });
  after(() => server.close());

  test('what went unused past 90 days is found; a fresh role is not; statistics count them', async () => {
    const { arn } = await aa.send(new CreateAnalyzerCommand({ analyzerName: 'unused', type: 'ACCOUNT_UNUSED_ACCESS' }));
    const findings = (await aa.send(new ListFindingsV2Command({ analyzerArn: arn }))).findings ?? [];
    assert.deepEqual(findings.map((f) => [f.findingType, f.resource, f.resourceType, f.status]), [
      ['UnusedIAMRole', `arn:aws:iam::${ACCOUNT}:role/stale`, 'AWS::IAM::Role', 'ACTIVE'],
      ['UnusedIAMUserAccessKey', `arn:aws:iam::${ACCOUNT}:user/olduser`, 'AWS::IAM::User', 'ACTIVE'],
      ['UnusedIAMUserPassword', `arn:aws:iam::${ACCOUNT}:user/olduser`, 'AWS::IAM::User', 'ACTIVE'],
    ]);
    const key = await aa.send(new GetFindingV2Command({ analyzerArn: arn, id: findings[1].id }));
    assert.deepEqual(key.findingDetails, [{ unusedIamUserAccessKeyDetails: { accessKeyId: keyId } }]);
    const stats = await aa.send(new GetFindingsStatisticsCommand({ analyzerArn: arn }));
    assert.equal(stats.findingsStatistics?.[0].unusedAccessFindingsStatistics?.totalActiveFindings, 3);
  });

  test('a longer tracking period hides them; one out of 1–365 days is refused', async () => {
    const arn = `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/unused`;
    await aa.send(new UpdateAnalyzerCommand({ analyzerName: 'unused', configuration: { unusedAccess: { unusedAccessAge: 365 } } }));
    assert.deepEqual((await aa.send(new ListFindingsV2Command({ analyzerArn: arn }))).findings, []);
    await rejects(aa.send(new UpdateAnalyzerCommand({ analyzerName: 'unused', configuration: { unusedAccess: { unusedAccessAge: 400 } } })), 'ValidationException', 'unusedAccessAge must be between 1 and 365 days.', 400);
    await rejects(aa.send(new CreateAnalyzerCommand({ analyzerName: 'second', type: 'ACCOUNT_UNUSED_ACCESS' })), 'ServiceQuotaExceededException', 'You can create only one analyzer of type ACCOUNT_UNUSED_ACCESS per Region.', 402);
  });
});

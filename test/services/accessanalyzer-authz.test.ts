// Every Access Analyzer operation is authorized as its own `access-analyzer:` action on the resource
// the Service Authorization Reference names: a caller without permission is refused in Access
// Analyzer's words (AccessDeniedException, 403) naming that action and resource, and the same call by
// a caller allowed exactly that action on that resource gets past authorization.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as sdk from '@aws-sdk/client-accessanalyzer';
import { startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, userWithPolicy } from '../helpers/iam.ts';

const ANALYZER = `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/watch`;
const PREVIEW_ID = '00000000-0000-4000-8000-000000000000';
const DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** Each operation: its input, the resource its authorization names, and its action when it shares another's. */
const CASES: [string, Record<string, unknown>, string, string?][] = [
  ['ValidatePolicy', { policyType: 'IDENTITY_POLICY', policyDocument: DOC }, '*'],
  ['CheckNoNewAccess', { policyType: 'IDENTITY_POLICY', newPolicyDocument: DOC, existingPolicyDocument: DOC }, '*'],
  ['CheckAccessNotGranted', { policyType: 'IDENTITY_POLICY', policyDocument: DOC, access: [{ actions: ['s3:PutObject'] }] }, '*'],
  ['CheckNoPublicAccess', { resourceType: 'AWS::IAM::AssumeRolePolicyDocument', policyDocument: TRUST }, '*'],
  ['StartPolicyGeneration', { policyGenerationDetails: { principalArn: `arn:aws:iam::${ACCOUNT}:role/none` } }, '*'],
  ['ListPolicyGenerations', {}, '*'],
  ['CreateAnalyzer', { analyzerName: 'other', type: 'ACCOUNT_UNUSED_ACCESS' }, `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/other`],
  ['GetAnalyzer', { analyzerName: 'watch' }, ANALYZER],
  ['ListAnalyzers', {}, `arn:aws:access-analyzer:us-east-1:${ACCOUNT}:analyzer/*`],
  ['UpdateAnalyzer', { analyzerName: 'watch' }, ANALYZER],
  ['CreateArchiveRule', { analyzerName: 'watch', ruleName: 'r2', filter: { isPublic: { eq: ['true'] } } }, ANALYZER],
  ['GetArchiveRule', { analyzerName: 'watch', ruleName: 'r' }, ANALYZER],
  ['UpdateArchiveRule', { analyzerName: 'watch', ruleName: 'r', filter: { isPublic: { eq: ['false'] } } }, ANALYZER],
  ['ListArchiveRules', { analyzerName: 'watch' }, ANALYZER],
  ['ApplyArchiveRule', { analyzerArn: ANALYZER, ruleName: 'r' }, ANALYZER],
  ['TagResource', { resourceArn: ANALYZER, tags: { a: 'b' } }, ANALYZER],
  ['UntagResource', { resourceArn: ANALYZER, tagKeys: ['a'] }, ANALYZER],
  ['ListTagsForResource', { resourceArn: ANALYZER }, ANALYZER],
  ['ListFindings', { analyzerArn: ANALYZER }, ANALYZER],
  ['ListFindingsV2', { analyzerArn: ANALYZER }, ANALYZER, 'ListFindings'],
  ['GetFindingV2', { analyzerArn: ANALYZER, id: 'f-1' }, ANALYZER, 'GetFinding'],
  ['UpdateFindings', { analyzerArn: ANALYZER, status: 'ARCHIVED', ids: ['f-1'] }, ANALYZER],
  ['GenerateFindingRecommendation', { analyzerArn: ANALYZER, id: 'f-1' }, ANALYZER],
  ['GetFindingRecommendation', { analyzerArn: ANALYZER, id: 'f-1' }, ANALYZER],
  ['GetFindingsStatistics', { analyzerArn: ANALYZER }, ANALYZER],
  ['ListAnalyzedResources', { analyzerArn: ANALYZER }, ANALYZER],
  ['CreateAccessPreview', { analyzerArn: ANALYZER, configurations: { [`arn:aws:iam::${ACCOUNT}:role/r`]: { iamRole: { trustPolicy: TRUST } } } }, ANALYZER],
  ['ListAccessPreviews', { analyzerArn: ANALYZER }, ANALYZER],
  ['GetAccessPreview', { analyzerArn: ANALYZER, accessPreviewId: PREVIEW_ID }, ANALYZER],
  ['DeleteAnalyzer', { analyzerName: 'watch' }, ANALYZER],
];

type Send = (command: unknown) => Promise<unknown>;
const commandOf = (name: string, input: Record<string, unknown>): unknown =>
  new (sdk as unknown as Record<string, new (i: unknown) => unknown>)[`${name}Command`](input);

describe('Access Analyzer authorization', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    const root = server.client(sdk.AccessAnalyzerClient, ROOT);
    await root.send(new sdk.CreateAnalyzerCommand({ analyzerName: 'watch', type: 'ACCOUNT', archiveRules: [{ ruleName: 'r', filter: { isPublic: { eq: ['true'] } } }] }));
  });
  after(() => server.close());

  for (const [name, input, resource, shared] of CASES) {
    const action = `access-analyzer:${shared ?? name}`;
    test(`${name}: refused without ${action} on ${resource}, past authorization with it`, async () => {
      const denied = await userWithPolicy(server, `no-${name}`, policy(allow(`access-analyzer:Nothing${name}`)));
      const refusal = (await (server.client(sdk.AccessAnalyzerClient, denied).send as Send)(commandOf(name, input)).then(
        () => assert.fail(`${name} was not refused`),
        (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
      ));
      assert.equal(refusal.name, 'AccessDeniedException');
      assert.equal(refusal.$metadata?.httpStatusCode, 403);
      assert.equal(refusal.message, `User: ${denied.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`);

      const permitted = await userWithPolicy(server, `may-${name}`, policy(allow(action, resource)));
      await (server.client(sdk.AccessAnalyzerClient, permitted).send as Send)(commandOf(name, input)).catch((e: Error) => {
        // Past authorization, the operation may still refuse its input (an unknown preview): never a denial.
        assert.notEqual(e.name, 'AccessDeniedException', `${name} with ${action} on ${resource}: ${e.message}`);
      });
    });
  }
});

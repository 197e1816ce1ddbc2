// Access Analyzer's analyzers on PostgreSQL: two iamd nodes over one database see one set of
// analyzers, and concurrent CreateAnalyzer calls for one name across the nodes make exactly one.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessAnalyzerClient, CreateAnalyzerCommand, CreateArchiveRuleCommand, GetAnalyzerCommand, ListArchiveRulesCommand } from '@aws-sdk/client-accessanalyzer';
import { ROOT, type ChildServer } from '../helpers/server.ts';
import { startPostgresNodes, type PostgresNodes } from '../helpers/postgres-nodes.ts';

let cluster: PostgresNodes;
let nodes: ChildServer[] = [];

before(async () => {
  cluster = await startPostgresNodes(2);
  nodes = cluster.nodes;
});
after(() => cluster.close());

const aa = (url: string) => new AccessAnalyzerClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });

test('an analyzer made through one node is read, with its rules, through the other', async () => {
  const [a, b] = nodes;
  const { arn } = await aa(a.url).send(new CreateAnalyzerCommand({ analyzerName: 'shared', type: 'ACCOUNT' }));
  await aa(b.url).send(new CreateArchiveRuleCommand({ analyzerName: 'shared', ruleName: 'r', filter: { isPublic: { eq: ['false'] } } }));
  assert.equal((await aa(b.url).send(new GetAnalyzerCommand({ analyzerName: 'shared' }))).analyzer?.arn, arn);
  assert.deepEqual((await aa(a.url).send(new ListArchiveRulesCommand({ analyzerName: 'shared' }))).archiveRules?.map((r) => r.filter), [{ isPublic: { eq: ['false'] } }]);
});

test('16 concurrent CreateAnalyzer for one name across two nodes: one analyzer, 15 ConflictException', async () => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: 16 }, (_, i) => aa(nodes[i % 2].url).send(new CreateAnalyzerCommand({ analyzerName: 'raced', type: 'ACCOUNT_UNUSED_ACCESS' }))),
  );
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as Error).name);
  assert.deepEqual([...new Set(refusals)], ['ConflictException']);
});

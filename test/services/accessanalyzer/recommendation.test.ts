// The remedy for an UnusedPermission finding: a policy's patterns naming the service are narrowed to
// the used actions; patterns that also grant other services, NotAction and Deny statements are kept;
// a policy left allowing nothing is only detached; one the service does not touch gets no step.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recommendedSteps } from '../../../src/services/accessanalyzer/recommendation.ts';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

test('a service wildcard is narrowed to the used actions; other services and a Deny stay', () => {
  const updatedAt = new Date('2026-01-01T00:00:00Z');
  const policy = doc(
    { Effect: 'Allow', Action: ['memorydb:*', 'mq:ListBrokers'], Resource: '*' },
    { Effect: 'Deny', Action: 'memorydb:DeleteCluster', Resource: '*' },
  );
  const steps = recommendedSteps([{ id: 'arn:aws:iam::123456789012:policy/p', document: policy, updatedAt }], 'memorydb', ['DescribeClusters', 'CreateCluster']);
  assert.deepEqual(steps.map((s) => s.recommendedAction), ['CREATE_POLICY', 'DETACH_POLICY']);
  assert.deepEqual(JSON.parse(steps[0].recommendedPolicy!), {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['memorydb:DescribeClusters', 'memorydb:CreateCluster', 'mq:ListBrokers'], Resource: '*' },
      { Effect: 'Deny', Action: 'memorydb:DeleteCluster', Resource: '*' },
    ],
  });
  assert.deepEqual(steps[1], { recommendedAction: 'DETACH_POLICY', existingPolicyId: 'arn:aws:iam::123456789012:policy/p', policyUpdatedAt: updatedAt });
});

test('a policy left allowing nothing is detached only; one already narrow gets no step', () => {
  const only = doc({ Effect: 'Allow', Action: 'memorydb:Describe*', Resource: '*' });
  assert.deepEqual(recommendedSteps([{ id: 'reads', document: only }], 'memorydb', []), [{ recommendedAction: 'DETACH_POLICY', existingPolicyId: 'reads' }]);
  const narrow = doc({ Effect: 'Allow', Action: 'memorydb:DescribeClusters', Resource: '*' });
  assert.deepEqual(recommendedSteps([{ id: 'narrow', document: narrow }], 'memorydb', ['DescribeClusters']), []);
});

test('patterns that also grant other services, and NotAction statements, are kept as they are', () => {
  const broad = doc({ Effect: 'Allow', Action: ['*:Describe*', '*'], Resource: '*' }, { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
  assert.deepEqual(recommendedSteps([{ id: 'broad', document: broad }], 'memorydb', ['DescribeClusters']), []);
});

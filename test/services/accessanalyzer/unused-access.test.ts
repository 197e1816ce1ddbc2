// The unused-access findings over in-memory last-use records: what is old enough is reported, what was
// used recently or is too new is not, and the analyzer's age setting moves the line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingDetailsV2, unusedAccessFindings, type UsageRecord } from '../../../src/services/accessanalyzer/unused-access.ts';

const now = new Date('2026-12-01T00:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const ROLE = 'arn:aws:iam::123456789012:role/app';
const USER = 'arn:aws:iam::123456789012:user/alice';

const records: UsageRecord[] = [
  { type: 'role', principalArn: ROLE, createdAt: daysAgo(400), lastUsedAt: daysAgo(120) },
  { type: 'role', principalArn: 'arn:aws:iam::123456789012:role/fresh', createdAt: daysAgo(10) },
  { type: 'role', principalArn: 'arn:aws:iam::123456789012:role/busy', createdAt: daysAgo(400), lastUsedAt: daysAgo(1) },
  { type: 'accessKey', principalArn: USER, accessKeyId: 'AKIAOLD', createdAt: daysAgo(200) },
  { type: 'password', principalArn: USER, createdAt: daysAgo(300), lastUsedAt: daysAgo(95) },
];

test('records unused for 90 days by default are findings; recent and new ones are not', () => {
  const findings = unusedAccessFindings(records, { now });
  assert.deepEqual(findings.map((f) => [f.findingType, f.resource, f.accessKeyId]), [
    ['UnusedIAMRole', ROLE, undefined],
    ['UnusedIAMUserAccessKey', USER, 'AKIAOLD'],
    ['UnusedIAMUserPassword', USER, undefined],
  ]);
  const role = findings[0];
  assert.equal(role.resourceType, 'AWS::IAM::Role');
  assert.equal(role.resourceOwnerAccount, '123456789012');
  assert.deepEqual(role.lastAccessed, daysAgo(120));
});

test('the analyzer setting moves the line', () => {
  assert.deepEqual(unusedAccessFindings(records, { now, unusedAccessAge: 100 }).map((f) => f.findingType), ['UnusedIAMRole', 'UnusedIAMUserAccessKey']);
  assert.equal(unusedAccessFindings(records, { now, unusedAccessAge: 5 }).length, 4);
});

test('ids stay the same across analyses and read as UUIDs; the V2 views carry the details', () => {
  const first = unusedAccessFindings(records, { now });
  const later = unusedAccessFindings(records, { now: new Date(now.getTime() + 86_400_000) });
  assert.deepEqual(first.map((f) => f.id), later.map((f) => f.id));
  for (const f of first) assert.match(f.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(new Set(first.map((f) => f.id)).size, first.length);
  const [role, key] = first;
  assert.deepEqual(findingDetailsV2(role), [{ unusedIamRoleDetails: { lastAccessed: daysAgo(120) } }]);
  assert.deepEqual(findingDetailsV2(key), [{ unusedIamUserAccessKeyDetails: { accessKeyId: 'AKIAOLD' } }]);
  assert.equal(key.findingType, 'UnusedIAMUserAccessKey');
});

const permission = (service: string, lastUsedAt: Date | undefined, actions: [string, Date | undefined][], principalArn = USER): UsageRecord => ({
  type: 'permission', principalArn, createdAt: daysAgo(400), serviceNamespace: service, ...(lastUsedAt ? { lastUsedAt } : {}),
  actions: actions.map(([action, used]) => (used ? { action, lastUsedAt: used } : { action })),
});

test('UnusedPermission: a service used recently names its stale actions; an unused one is reported whole', () => {
  const findings = unusedAccessFindings([
    permission('memorydb', daysAgo(2), [['CreateCluster', daysAgo(2)], ['DeleteCluster', undefined], ['DescribeClusters', daysAgo(150)]]),
    permission('mq', undefined, [['CreateBroker', undefined]]),
    permission('logs', daysAgo(1), [['PutLogEvents', daysAgo(1)]]),
  ], { now });
  assert.deepEqual(findings.map((f) => [f.findingType, f.serviceNamespace]), [['UnusedPermission', 'memorydb'], ['UnusedPermission', 'mq']]);
  const [memorydb, mq] = findings;
  assert.deepEqual(findingDetailsV2(memorydb), [{ unusedPermissionDetails: {
    serviceNamespace: 'memorydb', lastAccessed: daysAgo(2),
    actions: [{ action: 'DeleteCluster' }, { action: 'DescribeClusters', lastAccessed: daysAgo(150) }],
  } }]);
  assert.deepEqual(memorydb.usedActions, ['CreateCluster']);
  // Never used at all: there is no per-action data to list.
  assert.deepEqual(findingDetailsV2(mq), [{ unusedPermissionDetails: { serviceNamespace: 'mq' } }]);
  assert.notEqual(memorydb.id, mq.id);
});

test('a role unused as a whole is one UnusedIAMRole finding, not also one per service', () => {
  const findings = unusedAccessFindings([
    { type: 'role', principalArn: ROLE, createdAt: daysAgo(400), lastUsedAt: daysAgo(120) },
    permission('memorydb', daysAgo(120), [['CreateCluster', daysAgo(120)]], ROLE),
  ], { now });
  assert.deepEqual(findings.map((f) => f.findingType), ['UnusedIAMRole']);
});

// The unused-access seam over in-memory last-use records: what is old enough is reported, what was
// used recently or is too new is not, and the analyzer's age setting moves the line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingDetailsV2, findingSummaryV2, unusedAccessFindings, type UsageRecord } from '../../../src/services/accessanalyzer/unused-access.ts';

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
  assert.equal(findingSummaryV2(key).findingType, 'UnusedIAMUserAccessKey');
});

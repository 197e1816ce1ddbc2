// The unused-access seam over in-memory last-use records: what is old enough is reported, what was
// used recently or is too new is not, and the analyzer's age setting moves the line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unusedAccessFindings, type UsageRecord } from '../../../src/services/accessanalyzer/unused-access.ts';

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

// The wildcard matcher against a regular-expression reference, and its ARN segment rules.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { compileGlob } from '../../src/policy/glob.ts';
import { cidrContains, parseCidr, parseIp } from '../../src/policy/ip.ts';
import { parseDate } from '../../src/policy/operands.ts';

const reference = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')}$`);

it('plain patterns match exactly what the equivalent regular expression matches', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '*', '?'), maxLength: 8 });
  const input = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/'), maxLength: 10 });
  fc.assert(
    fc.property(text, input, (pattern, s) => {
      assert.equal(compileGlob(pattern, { wildcards: true, variables: false }).test(s, null), reference(pattern).test(s));
    }),
    { numRuns: 2000 },
  );
});

it('ARN resources: a wildcard stays in its segment unless it ends it', () => {
  const glob = (p: string) => compileGlob(p, { wildcards: true, variables: false, arn: 'resource' });
  assert.equal(glob('arn:aws:ec2:us-*-1:*:vpc/*').test('arn:aws:ec2:us-east-1:1:vpc/v', null), true);
  assert.equal(glob('arn:aws:ec2:us-*-1:*:vpc/*').test('arn:aws:ec2:us-a:b-1:1:vpc/v', null), false);
  assert.equal(glob('arn:aws:ec2:*:vpc/*').test('arn:aws:ec2:us-east-1:123:vpc/v', null), true);
  assert.equal(glob('arn:aws:s3:::b/*').test('arn:aws:s3:::b/x:y/z', null), true);
});

it('Arn condition values: each component on its own', () => {
  const glob = (p: string) => compileGlob(p, { wildcards: true, variables: false, arn: 'components' });
  assert.equal(glob('arn:aws:iam::*:role/*').test('arn:aws:iam::123:role/a/b', null), true);
  assert.equal(glob('arn:aws:iam::*:role/*').test('arn:aws:iam::1:2:role/a', null), false);
  assert.equal(glob('*').test('anything:at:all', null), true);
});

it('a pathological pattern is still linear (no backtracking blow-up)', () => {
  const glob = compileGlob('*a*a*a*a*a*a*a*a*a*a*a*a*b', { wildcards: true, variables: false });
  assert.equal(glob.test('a'.repeat(5000), null), false);
});

it('IP blocks: IPv4, IPv6, mapped addresses', () => {
  const within = (block: string, ip: string) => cidrContains(parseCidr(block)!, parseIp(ip)!);
  assert.equal(within('203.0.113.0/24', '203.0.113.255'), true);
  assert.equal(within('203.0.113.0/24', '203.0.112.255'), false);
  assert.equal(within('0.0.0.0/0', '8.8.8.8'), true);
  assert.equal(within('2001:db8::/32', '2001:0db8:ffff::1'), true);
  assert.equal(within('2001:db8::/33', '2001:db8:8000::1'), false);
  assert.equal(within('203.0.113.0/24', '::ffff:203.0.113.9'), true);
  assert.equal(parseIp('256.1.1.1'), undefined);
  assert.equal(parseIp('1::2::3'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
});

it('dates: ISO 8601 forms and epoch seconds', () => {
  const t = Date.UTC(2024, 5, 1, 12, 0, 0);
  assert.equal(parseDate('2024-06-01T12:00:00Z'), t);
  assert.equal(parseDate('20240601T120000Z'), t);
  assert.equal(parseDate('2024-06-01T14:00:00+02:00'), t);
  assert.equal(parseDate(String(t / 1000)), t);
  assert.equal(parseDate('June 1, 2024'), undefined);
});

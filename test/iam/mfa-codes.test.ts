// The rules for accepting a virtual MFA device's codes (src/iam/mfa/), at fixed moments: the codes
// themselves against RFC 6238's test vector and a hand-written RFC 6238, the steps a code may match,
// that no step is accepted twice, and the drift a resync learns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptCode, acceptConsecutive, type MfaDeviceDoc } from '../../src/iam/mfa/devices.ts';
import { codeAt, newSeed, provisioningUri } from '../../src/iam/mfa/totp.ts';
import { totp } from '../helpers/totp.ts';

// RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, here with six digits.
const RFC_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('codes are RFC 6238 (SHA-1, six digits, 30-second steps)', () => {
  assert.equal(codeAt(RFC_SEED, Math.floor(59 / 30)), '287082');
  assert.equal(codeAt(RFC_SEED, Math.floor(1111111109 / 30)), '081804');
  assert.equal(codeAt(RFC_SEED, Math.floor(1234567890 / 30)), '005924');
  const seed = newSeed();
  assert.match(seed, /^[A-Z2-7]{64}$/);
  for (const step of [0, 1, 55_000_000, 57_000_123]) assert.equal(codeAt(seed, step), totp(seed, step));
});

test('the provisioning URI names the device and account under AWS as issuer', () => {
  const uri = new URL(provisioningUri(RFC_SEED, 'alice-phone@123456789012'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(decodeURIComponent(uri.pathname), '/Amazon Web Services:alice-phone@123456789012');
  assert.equal(uri.searchParams.get('secret'), RFC_SEED);
  assert.equal(uri.searchParams.get('issuer'), 'Amazon Web Services');
  assert.equal(uri.searchParams.get('digits'), '6');
  assert.equal(uri.searchParams.get('period'), '30');
});

const seed = newSeed();
const device = (extra: Partial<MfaDeviceDoc> = {}): MfaDeviceDoc => ({
  SerialNumber: 'arn:aws:iam::123456789012:mfa/d',
  Path: '/',
  name: 'd',
  CreateDate: new Date(0).toISOString(),
  Tags: [],
  ...extra,
});
const STEP = 57_000_000;
const at = (step: number, secondsIn = 10) => new Date((step * 30 + secondsIn) * 1000);

test('a code is good in its step and one step either side, once', () => {
  for (const offset of [-1, 0, 1]) {
    const spent = acceptCode(device(), seed, totp(seed, STEP + offset), at(STEP));
    assert.equal(spent?.lastStep, STEP + offset, `offset ${offset}`);
  }
  for (const offset of [-3, -2, 2, 3]) assert.equal(acceptCode(device(), seed, totp(seed, STEP + offset), at(STEP)), undefined, `offset ${offset}`);
  const once = acceptCode(device(), seed, totp(seed, STEP), at(STEP))!;
  assert.equal(acceptCode(once, seed, totp(seed, STEP), at(STEP)), undefined, 'the same code again');
  assert.equal(acceptCode(once, seed, totp(seed, STEP - 1), at(STEP)), undefined, 'an earlier code after a later one');
  assert.equal(acceptCode(once, seed, totp(seed, STEP + 1), at(STEP))?.lastStep, STEP + 1);
});

test('enabling takes two consecutive codes read up to two steps ago, and spends both', () => {
  const enabled = acceptConsecutive(device(), seed, totp(seed, STEP - 1), totp(seed, STEP), at(STEP), 'enable');
  assert.equal(enabled?.lastStep, STEP);
  assert.equal(acceptConsecutive(device(), seed, totp(seed, STEP - 2), totp(seed, STEP - 1), at(STEP), 'enable')?.lastStep, STEP - 1);
  assert.equal(acceptConsecutive(device(), seed, totp(seed, STEP - 3), totp(seed, STEP - 2), at(STEP), 'enable'), undefined, 'too old');
  assert.equal(acceptConsecutive(device(), seed, totp(seed, STEP), totp(seed, STEP), at(STEP), 'enable'), undefined, 'the same code twice');
  assert.equal(acceptConsecutive(device(), seed, totp(seed, STEP), totp(seed, STEP - 1), at(STEP), 'enable'), undefined, 'in the wrong order');
  assert.equal(acceptCode(enabled!, seed, totp(seed, STEP), at(STEP)), undefined, 'the second code is spent');
});

test('a resync finds a device up to twenty minutes off and keeps its drift', () => {
  const ahead = acceptConsecutive(device(), seed, totp(seed, STEP + 20), totp(seed, STEP + 21), at(STEP), 'resync')!;
  assert.equal(ahead.drift, 21);
  assert.equal(ahead.lastStep, STEP + 21);
  // From then on the device's own clock is the one its codes are read against.
  assert.equal(acceptCode(ahead, seed, totp(seed, STEP + 22), at(STEP))?.lastStep, STEP + 22);
  assert.equal(acceptCode(ahead, seed, totp(seed, STEP + 1), at(STEP)), undefined);
  const behind = acceptConsecutive(device(), seed, totp(seed, STEP - 30), totp(seed, STEP - 29), at(STEP), 'resync')!;
  assert.equal(behind.drift, -29);
  assert.equal(acceptConsecutive(device(), seed, totp(seed, STEP + 60), totp(seed, STEP + 61), at(STEP), 'resync'), undefined, 'thirty minutes off');
});

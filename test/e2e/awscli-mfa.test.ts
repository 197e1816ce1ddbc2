// The AWS CLI makes a virtual MFA device as its users do — the QR code written to a file with
// --outfile --bootstrap-method QRCodePNG — and enables it with two codes read from that QR code.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, tempDir, type TestServer } from '../helpers/server.ts';
import { awsCli, AWS_CLI } from '../helpers/awscli.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { currentCodes } from '../helpers/totp.ts';
import { readQr } from '../helpers/qr.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test(`the AWS CLI (${AWS_CLI}) creates a virtual MFA device with its QR code in a file and enables it`, async () => {
  const outfile = join(tempDir('iamd-mfa-cli-'), 'qr.png');
  const created = await awsCli(server.url, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'cli-phone', '--outfile', outfile, '--bootstrap-method', 'QRCodePNG']);
  assert.equal(created.code, 0, created.stderr);
  const serial = (created.json as { VirtualMFADevice: { SerialNumber: string } }).VirtualMFADevice.SerialNumber;
  assert.equal(serial, `arn:aws:iam::${ACCOUNT}:mfa/cli-phone`);

  // The file is the PNG itself, as an authenticator app would scan it.
  const text = readQr(readFileSync(outfile));
  assert.ok(text, 'the file holds a QR code');
  const seed = new URL(text).searchParams.get('secret')!;
  assert.match(seed, /^[A-Z2-7]{64}$/);

  assert.equal((await awsCli(server.url, ['iam', 'create-user', '--user-name', 'cli-mfa-user'])).code, 0);
  const codes = currentCodes(seed);
  const enabled = await awsCli(server.url, [
    'iam', 'enable-mfa-device', '--user-name', 'cli-mfa-user', '--serial-number', serial,
    '--authentication-code1', codes.previous, '--authentication-code2', codes.current,
  ]);
  assert.equal(enabled.code, 0, enabled.stderr);
  const listed = await awsCli(server.url, ['iam', 'list-mfa-devices', '--user-name', 'cli-mfa-user']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((listed.json as { MFADevices: { SerialNumber: string }[] }).MFADevices.map((d) => d.SerialNumber), [serial]);

  const wrong = await awsCli(server.url, ['iam', 'enable-mfa-device', '--user-name', 'cli-mfa-user', '--serial-number', serial, '--authentication-code1', '000000', '--authentication-code2', '000000']);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /EntityAlreadyExists.*MFA Device is already in use\./);
});

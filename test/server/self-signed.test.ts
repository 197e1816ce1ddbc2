// The certificate of --tls-self-signed: made once into the data folder (key readable by its owner
// only), reused while it fits, made anew when it no longer names the address or has expired.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensureSelfSigned, subjectNames } from '../../src/server/self-signed.ts';
import { loadTls, TlsError } from '../../src/server/tls.ts';
import { tempDir } from '../helpers/server.ts';

const dirs: string[] = [];
const folder = () => {
  const dir = tempDir('iamd-tls-');
  dirs.push(dir);
  return join(dir, 'tls');
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const fingerprint = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;

test('made on first use with the key at mode 0600, then reused as it is', async () => {
  const dir = folder();
  const first = await ensureSelfSigned(dir, '127.0.0.1');
  assert.equal(first.created, true);
  assert.equal(statSync(first.keyFile).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const before = fingerprint(first.certFile);
  const again = await ensureSelfSigned(dir, '127.0.0.1');
  assert.equal(again.created, false);
  assert.equal(fingerprint(again.certFile), before);
});

test('it names localhost, 127.0.0.1 and ::1, plus the configured host; the machine name for a wildcard address', async () => {
  const x509 = new X509Certificate(readFileSync((await ensureSelfSigned(folder(), 'iamd.internal')).certFile));
  assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:iamd.internal');
  assert.equal(x509.ca, false);
  assert.deepEqual(subjectNames('0.0.0.0'), ['localhost', '127.0.0.1', '::1', hostname()]);
  assert.deepEqual(subjectNames('[::1]'), ['localhost', '127.0.0.1', '::1']);
});

test('made anew when the host changes, when it has expired, or when the key is not its own', async () => {
  const dir = folder();
  const first = await ensureSelfSigned(dir, '127.0.0.1');
  const original = fingerprint(first.certFile);
  const moved = await ensureSelfSigned(dir, '198.51.100.7');
  assert.equal(moved.created, true, 'a new address needs a certificate naming it');
  const renamed = fingerprint(moved.certFile);
  assert.notEqual(renamed, original);

  const later = new Date(Date.now() + 900 * 86_400_000);
  assert.equal((await ensureSelfSigned(dir, '198.51.100.7', later)).created, true, 'past its 825 days');

  const other = await ensureSelfSigned(folder(), '127.0.0.1');
  writeFileSync(join(dir, 'key.pem'), readFileSync(other.keyFile));
  assert.equal((await ensureSelfSigned(dir, '127.0.0.1')).created, true, 'a key of another certificate');
});

test('loadTls says which file is wrong', async () => {
  const dir = folder();
  const one = await ensureSelfSigned(dir, '127.0.0.1');
  const two = await ensureSelfSigned(folder(), '127.0.0.1');
  const loaded = await loadTls({ kind: 'files', certFile: one.certFile, keyFile: one.keyFile }, '127.0.0.1');
  assert.equal(loaded.fingerprint, fingerprint(one.certFile));
  await assert.rejects(loadTls({ kind: 'files', certFile: one.certFile, keyFile: two.keyFile }, '127.0.0.1'), new TlsError(`the key in ${two.keyFile} does not belong to the certificate in ${one.certFile}`));
  await assert.rejects(loadTls({ kind: 'files', certFile: one.keyFile, keyFile: one.keyFile }, '127.0.0.1'), new TlsError(`${one.keyFile} holds no PEM certificate`));
  await assert.rejects(loadTls({ kind: 'files', certFile: join(dir, 'absent.pem'), keyFile: one.keyFile }, '127.0.0.1'), /^TlsError: cannot read the TLS certificate .*absent\.pem: ENOENT/);
});

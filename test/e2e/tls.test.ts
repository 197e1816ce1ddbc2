// HTTPS as a user meets it: the JS SDK and the AWS CLI trusting iamd's certificate, aws:SecureTransport
// telling HTTPS from HTTP in policies, plain HTTP refused beyond loopback, and the self-signed
// certificate made once and kept across restarts and workers.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { IAMClient, ListGroupsCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startIamd, type Iamd } from '../../src/server/app.ts';
import { ensureSelfSigned } from '../../src/server/self-signed.ts';
import { ROOT, spawnServer, startServer, tempDir, trusting, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, policy, userWithKey } from '../helpers/iam.ts';
import { awsCli } from '../helpers/awscli.ts';
import { rejects } from '../helpers/rejects.ts';

const secure = (value: boolean) => ({ Condition: { Bool: { 'aws:SecureTransport': String(value) } } });

describe('HTTPS with the operator\'s certificate (--tls-cert, --tls-key)', () => {
  let certDir: string;
  let https: TestServer;
  /** A plain-HTTP iamd on the same store, as a second node would be. */
  let plain: Iamd;

  before(async () => {
    certDir = tempDir('iamd-cert-');
    const { certFile, keyFile } = await ensureSelfSigned(certDir, '127.0.0.1');
    https = await startServer(['--tls-cert', certFile, '--tls-key', keyFile]);
    plain = await startIamd(loadConfig(['--port', '0', '--data-dir', https.dataDir, '--job-delay-ms', '0'], {}), { log: () => {} });
  });
  after(async () => {
    await plain.close();
    await https.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  test('the SDK calls iamd over HTTPS when it trusts the certificate, and refuses to otherwise', async () => {
    assert.match(https.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const who = await https.sts().send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    const untrusting = new STSClient({ endpoint: https.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await assert.rejects(untrusting.send(new GetCallerIdentityCommand({})), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT', error.message);
      return true;
    });
  });

  test('aws:SecureTransport is true over HTTPS and false over HTTP', async () => {
    const user: Credentials = await userWithKey(
      https.iam(),
      'careful',
      policy(
        allow('iam:ListRoles', '*', secure(true)), // allowed over HTTPS only
        allow(['iam:ListUsers', 'iam:ListGroups']), // the control: allowed either way…
        deny('iam:ListGroups', '*', secure(false)), // …but ListGroups explicitly denied over HTTP
      ),
    );
    const overHttps = https.iam(user);
    const overHttp = new IAMClient({ endpoint: plain.url, region: 'us-east-1', credentials: user, maxAttempts: 1 });

    assert.ok((await overHttps.send(new ListRolesCommand({}))).Roles);
    assert.ok((await overHttps.send(new ListUsersCommand({}))).Users);
    assert.ok((await overHttps.send(new ListGroupsCommand({}))).Groups);

    assert.ok((await overHttp.send(new ListUsersCommand({}))).Users, 'the user and its key work over HTTP');
    await rejects(overHttp.send(new ListRolesCommand({})), 'AccessDenied', /because no identity-based policy allows the iam:ListRoles action$/, 403);
    await rejects(overHttp.send(new ListGroupsCommand({})), 'AccessDenied', /with an explicit deny in an identity-based policy$/, 403);
  });
});

describe('plain HTTP beyond loopback', () => {
  // Explicit root credentials, so that the refusal met is about TLS, not the loopback default ones.
  const rootEnv = { IAMD_ROOT_ACCESS_KEY_ID: 'AKIATLSTESTROOT', IAMD_ROOT_SECRET_ACCESS_KEY: 'tls-test-secret' };

  test('iamd refuses to start on 0.0.0.0 without TLS, with a clear message and a non-zero exit', async () => {
    await assert.rejects(
      spawnServer(['--host', '0.0.0.0', '--data-dir', tempDir()], rootEnv),
      /iamd exited with 2:\s*iamd serve: refusing to serve plain HTTP on 0\.0\.0\.0: .*--insecure-http/s,
    );
  });

  test('--insecure-http starts it anyway', async () => {
    const server = await spawnServer(['--host', '0.0.0.0', '--data-dir', tempDir(), '--insecure-http'], rootEnv);
    try {
      const port = new URL(server.url).port;
      const health = await fetch(`http://127.0.0.1:${port}/_iamd/health`);
      assert.equal(health.status, 200);
    } finally {
      await server.kill();
    }
  });
});

describe('--tls-self-signed', () => {
  const dataDir = tempDir();
  const certFile = join(dataDir, 'tls', 'cert.pem');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  /** The fingerprint of the certificate a server presents, trusting only `ca`. */
  const served = (url: string, ca: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = connect({ host: hostname, port: Number(port), ca }, () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      });
      socket.once('error', reject);
    });

  test('is made on first start (key mode 0600), kept across a restart, and served by every worker', async () => {
    const first = await spawnServer(['--data-dir', dataDir, '--tls-self-signed']);
    let fingerprint: string;
    try {
      assert.match(first.url, /^https:/);
      assert.ok(first.output().includes(`export AWS_CA_BUNDLE=${certFile}`), first.output());
      assert.match(first.output(), /\(made now\)/);
      assert.equal(statSync(join(dataDir, 'tls', 'key.pem')).mode & 0o777, 0o600);
      fingerprint = new X509Certificate(readFileSync(certFile)).fingerprint256;
      assert.ok(first.output().includes(`SHA-256 ${fingerprint}`));
      assert.equal(await served(first.url, readFileSync(certFile, 'utf8')), fingerprint);
    } finally {
      await first.kill();
    }

    const second = await spawnServer(['--data-dir', dataDir, '--tls-self-signed', '--workers', '2']);
    try {
      assert.match(second.output(), /\(kept from an earlier start\)/);
      const ca = readFileSync(certFile, 'utf8');
      assert.equal(new X509Certificate(ca).fingerprint256, fingerprint, 'the same certificate after the restart');
      // Fresh connections, which the cluster hands to both workers in turn.
      for (let i = 0; i < 4; i++) {
        assert.equal(await served(second.url, ca), fingerprint);
        const sts = new STSClient({ endpoint: second.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1, ...trusting(ca) });
        assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, ACCOUNT);
        sts.destroy();
      }
    } finally {
      await second.kill();
    }
    assert.equal(second.process.exitCode, 0, second.output());
  });

  test('the AWS CLI trusts it through AWS_CA_BUNDLE, and refuses it without', async () => {
    const server = await spawnServer(['--data-dir', dataDir, '--tls-self-signed']);
    try {
      const trusted = await awsCli(server.url, ['sts', 'get-caller-identity'], ROOT, { AWS_CA_BUNDLE: certFile });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.equal((trusted.json as { Arn: string }).Arn, `arn:aws:iam::${ACCOUNT}:root`);
      const untrusted = await awsCli(server.url, ['sts', 'get-caller-identity']);
      assert.notEqual(untrusted.code, 0);
      assert.match(untrusted.stderr, /SSL|CERTIFICATE_VERIFY_FAILED|certificate verify failed/i);
    } finally {
      await server.kill();
    }
  });
});

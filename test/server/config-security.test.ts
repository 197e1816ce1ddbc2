// The TLS, plain-HTTP and rate-limit settings as `loadConfig` reads them: flags win over the
// environment, contradictions and plain HTTP beyond loopback stop iamd before it starts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

// Explicit root credentials, so that a non-loopback host meets the TLS rule rather than the credentials one.
const ROOT_ENV = { IAMD_ROOT_ACCESS_KEY_ID: 'AKIAEXAMPLEROOT', IAMD_ROOT_SECRET_ACCESS_KEY: 'not-a-default' };

test('no TLS, plain HTTP and no rate limit by default, on loopback', () => {
  const config = loadConfig([], {});
  assert.equal(config.tls, undefined);
  assert.equal(config.insecureHttp, false);
  assert.equal(config.rateLimit, undefined);
});

test('a certificate and key from flags or the environment, flags winning', () => {
  assert.deepEqual(loadConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}).tls, { kind: 'files', certFile: resolve('c.pem'), keyFile: resolve('k.pem') });
  assert.deepEqual(loadConfig([], { IAMD_TLS_CERT: '/e/c.pem', IAMD_TLS_KEY: '/e/k.pem' }).tls, { kind: 'files', certFile: '/e/c.pem', keyFile: '/e/k.pem' });
  assert.deepEqual(loadConfig(['--tls-cert=/f/c.pem'], { IAMD_TLS_CERT: '/e/c.pem', IAMD_TLS_KEY: '/e/k.pem' }).tls, { kind: 'files', certFile: '/f/c.pem', keyFile: '/e/k.pem' });
});

test('a certificate without its key, or with --tls-self-signed as well, is refused', () => {
  assert.throws(() => loadConfig(['--tls-cert', 'c.pem'], {}), new ConfigError('--tls-cert and --tls-key go together: give both, or neither'));
  assert.throws(() => loadConfig([], { IAMD_TLS_KEY: 'k.pem' }), ConfigError);
  assert.throws(() => loadConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-self-signed'], {}), /exclude each other/);
});

test('the self-signed certificate lives in the data folder', () => {
  assert.deepEqual(loadConfig(['--tls-self-signed', '--data-dir', '/srv/iamd'], {}).tls, { kind: 'self-signed', dir: join('/srv/iamd', 'tls') });
  assert.deepEqual(loadConfig([], { IAMD_TLS_SELF_SIGNED: '1', IAMD_DATA_DIR: '/srv/x' }).tls, { kind: 'self-signed', dir: '/srv/x/tls' });
});

test('beyond loopback, plain HTTP needs --insecure-http (or IAMD_INSECURE_HTTP=1)', () => {
  for (const host of ['0.0.0.0', '::', '192.0.2.10', 'iamd.example.com']) {
    assert.throws(() => loadConfig(['--host', host], ROOT_ENV), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, new RegExp(`^refusing to serve plain HTTP on ${host.replace(/\./g, '\\.')}: `));
      assert.match(error.message, /--tls-cert and --tls-key, or --tls-self-signed; or --insecure-http/);
      return true;
    });
  }
  assert.equal(loadConfig(['--host', '0.0.0.0', '--insecure-http'], ROOT_ENV).insecureHttp, true);
  assert.equal(loadConfig(['--host', '0.0.0.0'], { ...ROOT_ENV, IAMD_INSECURE_HTTP: '1' }).insecureHttp, true);
  assert.equal(loadConfig(['--host', '0.0.0.0', '--tls-self-signed'], ROOT_ENV).tls?.kind, 'self-signed');
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(loadConfig(['--host', host], {}).host, host);
});

test('--rate-limit is a whole number of requests per second, at least 1', () => {
  assert.equal(loadConfig(['--rate-limit', '25'], {}).rateLimit, 25);
  assert.equal(loadConfig(['--rate-limit', '25'], { IAMD_RATE_LIMIT: '7' }).rateLimit, 25);
  assert.equal(loadConfig([], { IAMD_RATE_LIMIT: '7' }).rateLimit, 7);
  assert.throws(() => loadConfig(['--rate-limit', '0'], {}), new ConfigError('rate limit must be between 1 and 1000000, got 0'));
  assert.throws(() => loadConfig(['--rate-limit', '2.5'], {}), new ConfigError('rate limit must be a whole number, got "2.5"'));
});

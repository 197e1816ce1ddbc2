// The console's files on iamd's listener: the page, its script and style with a CSP that lets the
// page load and send nothing beyond its own origin; the catalog the create-role wizard reads; nothing
// outside the bundle reachable by any path; and no CORS opened for the APIs.

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ROOT, startServer, type TestServer } from '../helpers/server.ts';

/** A raw GET (fetch would normalise `..` away before sending it). */
function rawGet(url: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console on the listener', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('the page, its script and its style, each with the security headers', async () => {
    const page = await rawGet(server.url, '/console/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(page.body, /<script type="module" src="\/console\/app\.js"><\/script>/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    const script = await rawGet(server.url, '/console/app.js');
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await rawGet(server.url, '/console/app.css')).headers['content-type'], 'text/css; charset=utf-8');
    const bare = await rawGet(server.url, '/console');
    assert.deepEqual([bare.status, bare.headers.location], [301, '/console/']);
  });

  test("the wizard's catalog: each service's role name, suffix rule and policies", async () => {
    const response = await rawGet(server.url, '/console/catalog.json');
    assert.equal(response.status, 200);
    const memorydb = (JSON.parse(response.body) as { servicePrincipal: string }[]).find((e) => e.servicePrincipal === 'memorydb.amazonaws.com');
    assert.deepEqual(memorydb, {
      servicePrincipal: 'memorydb.amazonaws.com',
      roleName: 'AWSServiceRoleForMemoryDB',
      customSuffixAllowed: false,
      policyArns: ['arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy'],
    });
  });

  test('nothing beyond the bundle: other names, traversal and writes are refused', async () => {
    for (const path of ['/console/../package.json', '/console/%2e%2e/package.json', '/console/src/main.tsx', '/console/master.key', '/console/app.js.map']) {
      const response = await rawGet(server.url, path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.body, /"name": "iamd"/);
    }
    assert.equal((await rawGet(server.url, '/console/', 'POST')).status, 405);
  });

  test('no CORS: a preflight from another origin is not granted', async () => {
    const preflight = await rawGet(server.url, '/', 'OPTIONS', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const page = await rawGet(server.url, '/console/', 'GET', { origin: 'https://evil.example' });
    assert.equal(page.headers['access-control-allow-origin'], undefined);
  });
});

describe('the console on a port of its own (--console-port)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(['--console-port', '0']);
  });
  after(() => server.close());

  test('the console there, with the APIs it calls; none on the main port', async () => {
    const consoleUrl = new URL(server.iamd.consoleUrl);
    assert.notEqual(consoleUrl.port, String(server.iamd.port));
    assert.equal(consoleUrl.pathname, '/console/');
    assert.equal((await rawGet(consoleUrl.origin, '/console/')).status, 200);
    // Same origin as the page: the console's listener answers the APIs too, signed as anywhere.
    const sts = new STSClient({ endpoint: consoleUrl.origin, region: 'us-east-1', credentials: ROOT });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::123456789012:root');
    // The main port serves the APIs only: /console/ there is whatever the API answers an unsigned GET.
    const main = await rawGet(server.url, '/console/');
    assert.notEqual(main.status, 200);
    assert.doesNotMatch(main.body, /<script/);
  });
});

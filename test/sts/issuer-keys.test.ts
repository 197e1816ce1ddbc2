// The cache of identity providers' keys (src/sts/web-identity/issuer-keys.ts) against real HTTPS
// issuers, with the clock handed in: entries live for their TTL and no longer, the least recently used
// issuer leaves first, an unknown key id fetches again once per cool-down, and thumbprints decide trust.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IssuerKeys } from '../../src/sts/web-identity/issuer-keys.ts';
import { IssuerUnreachable } from '../../src/sts/web-identity/issuer-fetch.ts';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';

let a: TestIssuer;
let b: TestIssuer;
before(async () => {
  [a, b] = await Promise.all([startIssuer(), startIssuer()]);
});
after(async () => {
  await a.close();
  await b.close();
});

const keyFetches = (issuer: TestIssuer) => issuer.requests.filter((r) => r === '/keys').length;
// The cache's clock is the one it is handed; the issuers' certificates are valid from now on.
const T0 = Date.now();
const at = (ms: number) => new Date(T0 + ms);

test('a key set is used for its TTL, then fetched again', async () => {
  const keys = new IssuerKeys({ ttlMs: 10_000 });
  const before = keyFetches(a);
  await keys.keys(a.url, [a.thumbprint], at(0));
  await keys.keys(a.url, [a.thumbprint], at(9_999));
  assert.equal(keyFetches(a) - before, 1);
  await keys.keys(a.url, [a.thumbprint], at(10_000));
  assert.equal(keyFetches(a) - before, 2);
});

test('bounded: beyond maxIssuers the least recently used issuer is fetched anew', async () => {
  const keys = new IssuerKeys({ maxIssuers: 1 });
  const [fa, fb] = [keyFetches(a), keyFetches(b)];
  await keys.keys(a.url, [a.thumbprint], at(0));
  await keys.keys(b.url, [b.thumbprint], at(1));
  await keys.keys(a.url, [a.thumbprint], at(2));
  assert.deepEqual([keyFetches(a) - fa, keyFetches(b) - fb], [2, 1]);
});

test('an unknown key id fetches again once per cool-down', async () => {
  const keys = new IssuerKeys({ refreshCooldownMs: 1000 });
  const before = keyFetches(a);
  await keys.keys(a.url, [a.thumbprint], at(0));
  await keys.keys(a.url, [a.thumbprint], at(10), true);
  await keys.keys(a.url, [a.thumbprint], at(20), true);
  assert.equal(keyFetches(a) - before, 2);
  await keys.keys(a.url, [a.thumbprint], at(1010), true);
  assert.equal(keyFetches(a) - before, 3);
});

test('concurrent requests for one issuer share one fetch', async () => {
  const keys = new IssuerKeys();
  const before = keyFetches(b);
  await Promise.all(Array.from({ length: 5 }, () => keys.keys(b.url, [b.thumbprint], at(0))));
  assert.equal(keyFetches(b) - before, 1);
});

test('thumbprints are part of the entry: keys fetched under one trust are not handed to another', async () => {
  const keys = new IssuerKeys();
  await keys.keys(a.url, [a.thumbprint], at(0));
  await assert.rejects(keys.keys(a.url, [], at(1)), IssuerUnreachable);
  await assert.rejects(keys.keys(a.url, ['f'.repeat(40)], at(2)), IssuerUnreachable);
});

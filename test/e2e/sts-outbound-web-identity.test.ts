// Outbound web identity federation end to end: GetWebIdentityToken through the real STS client mints
// a JWT that a relying party verifies with jose against the JWKS it fetches over HTTP from iamd (at
// /_iamd/outbound-issuers/<id>/… and at the issuer's own host), with the claims AWS documents; the
// request's condition keys limit it; a role session cannot outlive itself through it; and while the
// account's switch is off it is refused as AWS refuses it, and the issuer's documents are gone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  CreateRoleCommand,
  DisableOutboundWebIdentityFederationCommand,
  EnableOutboundWebIdentityFederationCommand,
  PutRolePolicyCommand,
  TagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetWebIdentityTokenCommand, type STSClient } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { allow, freshAccount, policy, sessionCredentials, trust, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let account: string;
let iam: IAMClient;
let issuer: string;
let alice: STSClient;

const DISABLED = 'The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.';
const AWS_CLAIMS = 'https://sts.amazonaws.com/';
const issuerPath = (iss: string, document: string) => `/_iamd/outbound-issuers/${new URL(iss).hostname.split('.')[0]}/.well-known/${document}`;

before(async () => {
  server = await startServer();
  ({ account, iam } = await freshAccount(server));
  issuer = (await iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
  const key = await userWithKey(iam, 'alice', policy(allow('sts:GetWebIdentityToken')));
  await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'data' }] }));
  alice = server.sts(key);
});
after(() => server.close());

const mint = (client: STSClient, extra: Partial<{ Audience: string[]; SigningAlgorithm: string; DurationSeconds: number; Tags: { Key: string; Value: string }[] }> = {}) =>
  client.send(new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256', ...extra }));

/** GET `path` of the server with `host` as the Host header: the status and the parsed body. */
function getWithHost(path: string, host: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: res.headers['content-type'] === 'application/json' ? (JSON.parse(text) as unknown) : text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a token', () => {
  test('verifies against the JWKS fetched from iamd, with the claims AWS documents', async () => {
    const before = Math.floor(Date.now() / 1000);
    const out = await mint(alice, { DurationSeconds: 900, Tags: [{ Key: 'job', Value: 'nightly' }] });
    const jwks = createRemoteJWKSet(new URL(issuerPath(issuer, 'jwks.json'), server.url));
    const { payload, protectedHeader } = await jwtVerify(out.WebIdentityToken!, jwks, { issuer, audience: 'https://api.example.com', algorithms: ['RS256'] });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.typ, 'JWT');
    assert.equal(payload.sub, `arn:aws:iam::${account}:user/alice`);
    assert.equal(payload.aud, 'https://api.example.com');
    assert.equal(payload.exp! - payload.iat!, 900);
    assert.ok(payload.iat! >= before - 1 && payload.iat! <= Math.floor(Date.now() / 1000));
    assert.equal(out.Expiration!.getTime(), payload.exp! * 1000);
    assert.match(payload.jti!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(payload[AWS_CLAIMS], { aws_account: account, source_region: 'us-east-1', principal_tags: { team: 'data' }, request_tags: { job: 'nightly' } });
  });

  test('ES384, several audiences, five minutes by default; each algorithm has its own key in the JWKS', async () => {
    const out = await mint(alice, { SigningAlgorithm: 'ES384', Audience: ['a.example', 'b.example'] });
    const { keys } = (await (await fetch(new URL(issuerPath(issuer, 'jwks.json'), server.url))).json()) as JSONWebKeySet;
    assert.deepEqual(keys.map((k) => [k.kty, k.alg, k.use]).sort(), [['EC', 'ES384', 'sig'], ['RSA', 'RS256', 'sig']]);
    assert.equal(keys.some((k) => 'd' in k || 'p' in k), false, 'no private member in the JWKS');
    const { payload } = await jwtVerify(out.WebIdentityToken!, createLocalJWKSet({ keys }), { issuer, audience: 'b.example', algorithms: ['ES384'] });
    assert.deepEqual(payload.aud, ['a.example', 'b.example']);
    assert.equal(payload.exp! - payload.iat!, 300);
    assert.equal(decodeProtectedHeader(out.WebIdentityToken!).kid, keys.find((k) => k.alg === 'ES384')!.kid);
  });

  test("a token signed by another account's key does not verify against this issuer's JWKS", async () => {
    const other = await freshAccount(server);
    const otherIssuer = (await other.iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
    assert.notEqual(otherIssuer, issuer);
    const foreign = await mint(server.sts(other.credentials));
    const jwks = createRemoteJWKSet(new URL(issuerPath(issuer, 'jwks.json'), server.url));
    await assert.rejects(jwtVerify(foreign.WebIdentityToken!, jwks, { audience: 'https://api.example.com' }), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  test("discovery names the issuer as the tokens do, under /_iamd/ and at the issuer's own host", async () => {
    const expected = {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES384'],
      claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', AWS_CLAIMS],
    };
    assert.deepEqual(await (await fetch(new URL(issuerPath(issuer, 'openid-configuration'), server.url))).json(), expected);
    const host = new URL(issuer).hostname;
    assert.deepEqual(await getWithHost('/.well-known/openid-configuration', host), { status: 200, body: expected });
    const jwks = await getWithHost('/.well-known/jwks.json', host);
    assert.equal(jwks.status, 200);
    assert.equal((jwks.body as JSONWebKeySet).keys.length, 2);
    // Another host is not an issuer: the path is an ordinary (unsigned, refused) API request there.
    assert.notEqual((await getWithHost('/.well-known/openid-configuration', 'example.com')).status, 200);
    assert.equal((await fetch(new URL('/_iamd/outbound-issuers/00000000-0000-0000-0000-000000000000/.well-known/jwks.json', server.url))).status, 404);
  });

  test('a role session names its role; it cannot ask for a token that outlives the session', async () => {
    const launcher = server.sts(await userWithKey(iam, 'launcher', policy(allow('sts:AssumeRole'))));
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust(`arn:aws:iam::${account}:user/launcher`) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'p', PolicyDocument: policy(allow('sts:GetWebIdentityToken')) }));
    const assumed = await launcher.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/worker`, RoleSessionName: 'job', DurationSeconds: 900 }));
    const session = server.sts(sessionCredentials(assumed.Credentials));
    const out = await mint(session, { DurationSeconds: 600 });
    const { payload } = await jwtVerify(out.WebIdentityToken!, createRemoteJWKSet(new URL(issuerPath(issuer, 'jwks.json'), server.url)), { issuer });
    assert.equal(payload.sub, `arn:aws:iam::${account}:role/worker`);
    await rejects(
      mint(session, { DurationSeconds: 3600 }),
      'SessionDurationEscalationException',
      'The requested token duration would extend the session beyond its original expiration time. You cannot use this operation to extend the lifetime of a session beyond what was granted when the session was originally created.',
      403,
    );
  });
});

describe('refused', () => {
  test('without sts:GetWebIdentityToken; outside the condition keys on audience, algorithm and duration', async () => {
    const nobody = server.sts(await userWithKey(iam, 'nobody'));
    await rejects(mint(nobody), 'AccessDenied', /is not authorized to perform: sts:GetWebIdentityToken on resource: \*/, 403);
    const limited = server.sts(
      await userWithKey(
        iam,
        'limited',
        policy(
          allow('sts:GetWebIdentityToken', '*', {
            Condition: {
              StringEquals: { 'sts:IdentityTokenAudience': 'https://api.example.com', 'sts:SigningAlgorithm': 'ES384' },
              NumericLessThanEquals: { 'sts:DurationSeconds': '600' },
            },
          }),
        ),
      ),
    );
    await mint(limited, { SigningAlgorithm: 'ES384', DurationSeconds: 600 });
    await rejects(mint(limited, { SigningAlgorithm: 'ES384', DurationSeconds: 600, Audience: ['https://evil.example.com'] }), 'AccessDenied', undefined, 403);
    await rejects(mint(limited, { SigningAlgorithm: 'RS256', DurationSeconds: 600 }), 'AccessDenied', undefined, 403);
    await rejects(mint(limited, { SigningAlgorithm: 'ES384', DurationSeconds: 900 }), 'AccessDenied', undefined, 403);
  });

  test("an algorithm other than the model's two; a duration outside 60–3600; a payload beyond iamd's bound", async () => {
    await rejects(mint(alice, { SigningAlgorithm: 'HS256' }), 'ValidationError', "1 validation error detected: Value 'HS256' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]", 400);
    await rejects(mint(alice, { DurationSeconds: 30 }), 'ValidationError', /durationSeconds/, 400);
    await rejects(mint(alice, { DurationSeconds: 3601 }), 'ValidationError', /durationSeconds/, 400);
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `key-${i}-${'k'.repeat(100)}`, Value: 'v'.repeat(256) }));
    await rejects(mint(alice, { Tags: tags }), 'JWTPayloadSizeExceededException', /^The requested token payload size exceeds the maximum allowed size/, 400);
  });

  test('federation disabled: refused as AWS refuses it, and the issuer documents are gone until it is enabled again', async () => {
    const fresh = await freshAccount(server);
    const root = server.sts(fresh.credentials);
    await rejects(mint(root), 'OutboundWebIdentityFederationDisabledException', DISABLED, 403);
    const freshIssuer = (await fresh.iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
    const token = await mint(root);
    const { payload } = await jwtVerify(token.WebIdentityToken!, createRemoteJWKSet(new URL(issuerPath(freshIssuer, 'jwks.json'), server.url)), { issuer: freshIssuer });
    assert.equal(payload.sub, `arn:aws:iam::${fresh.account}:root`);
    await fresh.iam.send(new DisableOutboundWebIdentityFederationCommand({}));
    await rejects(mint(root), 'OutboundWebIdentityFederationDisabledException', DISABLED, 403);
    for (const document of ['jwks.json', 'openid-configuration']) {
      assert.equal((await fetch(new URL(issuerPath(freshIssuer, document), server.url))).status, 404);
    }
    await fresh.iam.send(new EnableOutboundWebIdentityFederationCommand({}));
    assert.equal((await fetch(new URL(issuerPath(freshIssuer, 'jwks.json'), server.url))).status, 200);
  });
});

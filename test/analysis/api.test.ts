// The analysis end to end, once each way: over iamd's own JSON API (SigV4-signed, authorized as
// iam:GetAccountAuthorizationDetails, refused without it) and through `iamd analyze` on the store of
// the running server.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, userWithKey } from '../helpers/iam.ts';
import { signedGet } from '../helpers/signed.ts';

const run = promisify(execFile);
const BIN = new URL('../../bin/iamd.js', import.meta.url).pathname;

let server: TestServer;
let auditor: Credentials;
let nosy: Credentials;
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

before(async () => {
  server = await startServer();
  const iam = server.iam();
  auditor = await userWithKey(iam, 'auditor', policy(allow(['iam:GetAccountAuthorizationDetails', 's3:ListAllMyBuckets'])));
  nosy = await userWithKey(iam, 'nosy', policy(allow('iam:Get*', userArn('nosy'))));
  await userWithKey(iam, 'climber', policy(allow('iam:PutUserPolicy', userArn('climber'))));
});
after(() => server.close());

const ask = (question: string, query: Record<string, string>, credentials: Credentials = auditor, service = 'iam') =>
  signedGet(server, service, `/_iamd/analysis/${question}`, query, credentials);

describe('GET /_iamd/analysis/*', () => {
  test('who-can, reach and escalations answer in the documented shapes', async () => {
    const who = await ask('who-can', { action: 's3:ListAllMyBuckets', resource: '*' });
    assert.equal(who.status, 200, who.body);
    assert.equal(who.headers.get('content-type'), 'application/json');
    const principals = (JSON.parse(who.body) as { principals: { principal: string; direct: boolean; paths: { steps: Record<string, unknown>[] }[] }[] }).principals;
    assert.deepEqual(principals.map((p) => [p.principal, p.direct]), [
      [userArn('auditor'), true],
      [userArn('climber'), false],
    ]);
    assert.deepEqual(Object.keys(principals[1].paths[0].steps[0]).sort(), ['action', 'context', 'from', 'kind', 'resource', 'statements', 'to']);
    assert.deepEqual(principals[1].paths[0].steps.map((s) => s.kind), ['policy-change', 'direct']);

    const reached = await ask('reach', { principal: userArn('climber') });
    assert.equal(reached.status, 200, reached.body);
    const reach = JSON.parse(reached.body) as { principal: string; services: Record<string, { action: string; resource: string; paths: unknown[] }[]> };
    assert.equal(reach.principal, userArn('climber'));
    assert.deepEqual(Object.keys(reach.services), ['*', 'iam']);

    const escalated = await ask('escalations', {});
    assert.equal(escalated.status, 200, escalated.body);
    const { paths } = JSON.parse(escalated.body) as { paths: { principal: string; steps: { kind: string; action: string }[] }[] };
    assert.deepEqual(paths.map((p) => [p.principal, p.steps.map((s) => s.action)]), [[userArn('climber'), ['iam:PutUserPolicy']]]);
  });

  test('refused without iam:GetAccountAuthorizationDetails, unsigned, or signed for another service', async () => {
    const refused = await ask('escalations', {}, nosy);
    assert.equal(refused.status, 403);
    assert.deepEqual(JSON.parse(refused.body), {
      __type: 'AccessDenied',
      message: `User: ${userArn('nosy')} is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: * because no identity-based policy allows the iam:GetAccountAuthorizationDetails action`,
    });
    const unsigned = await fetch(`${server.url}/_iamd/analysis/escalations`);
    // As the awsJson services answer a request without a signature.
    assert.equal(unsigned.status, 400);
    assert.deepEqual(await unsigned.json(), { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    const elsewhere = await ask('escalations', {}, auditor, 'sts');
    assert.equal(elsewhere.status, 400);
    assert.deepEqual(JSON.parse(elsewhere.body), { __type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'iam'. " });
  });

  test('bad questions get clear errors', async () => {
    const noAction = await ask('who-can', { resource: '*' });
    assert.equal(noAction.status, 400);
    assert.equal((JSON.parse(noAction.body) as { __type: string }).__type, 'ValidationError');
    const nobody = await ask('reach', { principal: userArn('nobody') });
    assert.equal(nobody.status, 404);
    assert.equal((JSON.parse(nobody.body) as { __type: string }).__type, 'NoSuchEntity');
    const unknown = await ask('who-cannot', {});
    assert.equal(unknown.status, 404);
  });
});

describe('iamd analyze', () => {
  test('escalations as JSON, text and DOT from the store of the running server', async () => {
    const cli = (...args: string[]) => run(process.execPath, [BIN, 'analyze', ...args, '--data-dir', server.dataDir]);
    const json = JSON.parse((await cli('escalations', '--format', 'json')).stdout) as { paths: { principal: string }[] };
    assert.deepEqual(json.paths.map((p) => p.principal), [userArn('climber')]);
    const text = (await cli('escalations', '--account', ACCOUNT)).stdout;
    assert.match(text, /^1 path to admin power\n/);
    assert.match(text, /1\. arn:aws:iam::\d+:user\/climber policy-change: iam:PutUserPolicy on arn:aws:iam::\d+:user\/climber/);
    const dot = (await cli('who-can', 's3:ListAllMyBuckets', '*', '--format', 'dot')).stdout;
    assert.match(dot, /^digraph access \{/);
    assert.match(dot, /"arn:aws:iam::\d+:user\/climber" -> "arn:aws:iam::\d+:user\/climber" \[label="policy-change\\niam:PutUserPolicy"\];/);
  });
});

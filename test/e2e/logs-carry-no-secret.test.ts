// Neither the event log nor iamd's own output carries a secret. A real `iamd serve` (its stdout and
// stderr captured) takes calls that carry secrets through the real SDK clients — CreateAccessKey,
// AssumeRole, GetSessionToken, calls made with the session credentials, an Amazon MQ broker with a
// user password, an ElastiCache cluster with an auth token, IAM password operations iamd does not
// implement, requests whose signature or token is wrong — then every event is read back through the
// real CloudTrail client, and no secret string appears in the events or in the output.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { CreateCacheClusterCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  ChangePasswordCommand, CreateAccessKeyCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListRolesCommand,
} from '@aws-sdk/client-iam';
import { CreateBrokerCommand, MqClient } from '@aws-sdk/client-mq';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { sessionCredentials, trust } from '../helpers/iam.ts';
import { spawnServer, tempDir, type ChildServer, type Credentials } from '../helpers/server.ts';

const ACCOUNT = '123456789012';
const ROOT: Credentials = { accessKeyId: 'AKIAROOTOFTHISTEST01', secretAccessKey: `root-${randomBytes(18).toString('base64url')}` };

let server: ChildServer;
let dir: string;

before(async () => {
  dir = tempDir();
  server = await spawnServer(['--data-dir', dir, '--job-delay-ms', '0', '--audit-read-events'], {
    IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
  });
});
after(async () => {
  await server.kill();
  rmSync(dir, { recursive: true, force: true });
});

const config = (credentials: Credentials) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });

/** The SDK error a call ends with (the test wants the call to fail). */
async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await call;
  } catch (e) {
    const error = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return { name: error.name, status: error.$metadata?.httpStatusCode };
  }
  assert.fail('the call should have failed');
}

async function allEvents(): Promise<Event[]> {
  const cloudtrail = new CloudTrailClient(config(ROOT));
  const events: Event[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudtrail.send(new LookupEventsCommand({ NextToken }));
    events.push(...(page.Events ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

test('no secret access key, session token or password in any event or in the server output', async () => {
  const iam = new IAMClient(config(ROOT));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  await iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/alice`) }));
  const assumedAnswer = await new STSClient(config(alice)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/auditor`, RoleSessionName: 'audit' }));
  const assumed = sessionCredentials(assumedAnswer.Credentials);
  const token = sessionCredentials((await new STSClient(config(alice)).send(new GetSessionTokenCommand({}))).Credentials);
  // Calls made with the session credentials: reads, a refused call, and IAM refusing a token without MFA.
  await new STSClient(config(assumed)).send(new GetCallerIdentityCommand({}));
  await new STSClient(config(token)).send(new GetCallerIdentityCommand({}));
  assert.equal((await failure(new IAMClient(config(assumed)).send(new ListRolesCommand({})))).name, 'AccessDenied');
  assert.equal((await failure(new IAMClient(config(token)).send(new ListRolesCommand({})))).name, 'InvalidClientTokenId');

  // Passwords: IAM's password operations (a login profile made, a password change refused — both
  // recorded), a broker user's password and a Redis auth token (recorded calls, the second one failing).
  const passwords = { login: `login-${randomBytes(12).toString('hex')}`, old: `old-${randomBytes(12).toString('hex')}`, new: `new-${randomBytes(12).toString('hex')}`, broker: `broker-${randomBytes(12).toString('hex')}`, redis: `redis-${randomBytes(12).toString('hex')}` };
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: passwords.login }));
  assert.equal((await failure(new IAMClient(config(alice)).send(new ChangePasswordCommand({ OldPassword: passwords.old, NewPassword: passwords.new })))).name, 'AccessDenied');
  await new MqClient(config(ROOT)).send(new CreateBrokerCommand({
    BrokerName: 'orders', EngineType: 'ACTIVEMQ', DeploymentMode: 'SINGLE_INSTANCE', HostInstanceType: 'mq.t3.micro', PubliclyAccessible: false,
    Users: [{ Username: 'admin', Password: passwords.broker }],
  }));
  assert.equal((await failure(new ElastiCacheClient(config(ROOT)).send(new CreateCacheClusterCommand({
    CacheClusterId: 'cache', CacheNodeType: 'cache.t3.micro', Engine: 'redis', AuthToken: passwords.redis,
  })))).name, 'InvalidParameterCombinationException');

  // Requests that fail authentication: a wrong secret, and a session's key with another session's token.
  const wrongSecret = `wrong-${randomBytes(15).toString('hex')}`;
  assert.equal((await failure(new STSClient(config({ ...alice, secretAccessKey: wrongSecret })).send(new GetCallerIdentityCommand({})))).name, 'SignatureDoesNotMatch');
  assert.equal((await failure(new STSClient(config({ ...assumed, sessionToken: token.sessionToken! })).send(new GetCallerIdentityCommand({})))).name, 'InvalidClientTokenId');

  const secrets = [
    ROOT.secretAccessKey, alice.secretAccessKey, assumed.secretAccessKey, assumed.sessionToken!, token.secretAccessKey, token.sessionToken!,
    wrongSecret, ...Object.values(passwords),
  ];

  // Events reach the store within about a second; wait for the last recorded call.
  let events: Event[] = [];
  for (let i = 0; i < 100 && !events.some((e) => e.EventName === 'CreateCacheCluster'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    events = await allEvents();
  }
  const names = new Set(events.map((e) => e.EventName));
  for (const name of ['CreateAccessKey', 'AssumeRole', 'GetSessionToken', 'GetCallerIdentity', 'ListRoles', 'CreateBroker', 'CreateCacheCluster']) {
    assert.ok(names.has(name), `no ${name} event among ${[...names].join(', ')}`);
  }
  // The SDK's whole answer, and each CloudTrail record in it read as JSON.
  const text = JSON.stringify(events) + JSON.stringify(events.map((e) => JSON.parse(e.CloudTrailEvent!) as unknown));
  // What the events do hold: the new key's id, the sessions' key ids, the broker user's name.
  for (const witness of [alice.accessKeyId, assumed.accessKeyId, token.accessKeyId, '"username":"admin"', '"cacheClusterId":"cache"']) {
    assert.ok(text.includes(witness), `the events should hold ${witness}`);
  }
  for (const secret of secrets) assert.equal(text.includes(secret), false, 'a secret is in the event log');

  const output = server.output();
  assert.match(output, /iamd listening on http:/);
  for (const secret of secrets) assert.equal(output.includes(secret), false, 'a secret is in the server output');
});

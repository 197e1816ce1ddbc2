// MFA, passwords and the credential report on PostgreSQL, with two iamd nodes sharing the database:
// a device enabled through one node is known to the other, and a code spent on one node is spent on
// both — a one-time code stays one-time however many nodes serve the account.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListMFADevicesCommand,
} from '@aws-sdk/client-iam';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { ROOT, type ChildServer, type Credentials } from '../helpers/server.ts';
import { startPostgresNodes, type PostgresNodes } from '../helpers/postgres-nodes.ts';
import { rejects } from '../helpers/rejects.ts';
import { enabledDevice } from '../helpers/mfa.ts';
import { currentCodes } from '../helpers/totp.ts';

let cluster: PostgresNodes;
let nodes: ChildServer[] = [];

before(async () => {
  cluster = await startPostgresNodes(2);
  nodes = cluster.nodes;
});
after(() => cluster.close());

const config = (url: string, credentials: Credentials) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
const iam = (url: string, credentials: Credentials = ROOT) => new IAMClient(config(url, credentials));
const sts = (url: string, credentials: Credentials) => new STSClient(config(url, credentials));

test('a device, a password and a report made on one node serve on the other; a code is spent on both', async () => {
  const [a, b] = nodes as [ChildServer, ChildServer];
  await iam(a.url).send(new CreateUserCommand({ UserName: 'pg-mfa' }));
  const key = (await iam(a.url).send(new CreateAccessKeyCommand({ UserName: 'pg-mfa' }))).AccessKey!;
  const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const device = await enabledDevice(iam(a.url), 'pg-mfa');
  assert.deepEqual((await iam(b.url).send(new ListMFADevicesCommand({ UserName: 'pg-mfa' }))).MFADevices!.map((d) => d.SerialNumber), [device.serial]);

  const code = currentCodes(device.seed).next;
  const session = await sts(a.url, user).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code }));
  assert.ok(session.Credentials?.SessionToken);
  await rejects(sts(b.url, user).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code })), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);

  await iam(b.url).send(new CreateLoginProfileCommand({ UserName: 'pg-mfa', Password: 'Str0ng&Long-Passw0rd' }));
  assert.equal((await iam(a.url).send(new GetLoginProfileCommand({ UserName: 'pg-mfa' }))).LoginProfile!.UserName, 'pg-mfa');

  assert.equal((await iam(a.url).send(new GenerateCredentialReportCommand({}))).State, 'STARTED');
  assert.equal((await iam(b.url).send(new GenerateCredentialReportCommand({}))).State, 'COMPLETE');
  const csv = Buffer.from((await iam(b.url).send(new GetCredentialReportCommand({}))).Content!).toString('utf8');
  const row = csv.split('\n').find((line) => line.startsWith('pg-mfa,'))!;
  assert.match(row, /^pg-mfa,arn:aws:iam::\d{12}:user\/pg-mfa,[^,]+,true,no_information,[^,]+,N\/A,true,true,/);
});

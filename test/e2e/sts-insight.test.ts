// STS GetAccessKeyInfo and DecodeAuthorizationMessage through the real SDK clients: the account of
// any key iamd issued (and of any AWS-shaped key id, decoded as AWS encodes it), and an EC2 denial's
// encoded message expanded for its own account only — each asking its permission.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, sessionCredentials, trustAccount, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let reader: Credentials;

before(async () => {
  server = await startServer();
  reader = await userWithKey(server.iam(), 'reader', policy(allow(['sts:GetAccessKeyInfo', 'sts:DecodeAuthorizationMessage', 'sts:AssumeRole'])));
});
after(() => server.close());

const keyInfo = (id: string, as: Credentials = reader) => server.sts(as).send(new GetAccessKeyInfoCommand({ AccessKeyId: id }));

test('GetAccessKeyInfo: the account of a user key, a session key, another account\'s key, and an AWS key id', async () => {
  assert.equal((await keyInfo(reader.accessKeyId)).Account, ACCOUNT);
  await server.iam().send(new CreateRoleCommand({ RoleName: 'seen', AssumeRolePolicyDocument: trustAccount() }));
  const session = sessionCredentials((await server.sts(reader).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/seen`, RoleSessionName: 'seen' }))).Credentials);
  assert.equal((await keyInfo(session.accessKeyId)).Account, ACCOUNT);
  const other = await newAccount(server, '777788889999');
  assert.equal((await keyInfo(other.accessKeyId)).Account, '777788889999');
  // A key iamd did not issue: the account AWS encodes in its key ids (AWS's own published example).
  assert.equal((await keyInfo('ASIAY34FZKBOKMUTVV7A')).Account, '609629065308');
});

test('GetAccessKeyInfo asks sts:GetAccessKeyInfo', async () => {
  const none = await userWithKey(server.iam(), 'no-key-info');
  await rejects(
    keyInfo(reader.accessKeyId, none),
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/no-key-info is not authorized to perform: sts:GetAccessKeyInfo on resource: * because no identity-based policy allows the sts:GetAccessKeyInfo action`,
    403,
  );
});

async function encodedDenial(): Promise<string> {
  const noEc2 = await userWithKey(server.iam(), `no-ec2-${Date.now()}`);
  const error = await rejects(
    server.client(EC2Client, noEc2).send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'd' })),
    'UnauthorizedOperation',
    undefined,
    403,
  );
  const m = /Encoded authorization failure message: (\S+)$/.exec(error.message);
  assert.ok(m, error.message);
  return m[1]!;
}

test('DecodeAuthorizationMessage expands an EC2 denial into AWS\'s decoded shape', async () => {
  const encoded = await encodedDenial();
  const { DecodedMessage } = await server.sts(reader).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
  const decoded = JSON.parse(DecodedMessage!) as { allowed: boolean; explicitDeny: boolean; context: { action: string; resource: string; principal: { arn: string } } };
  assert.equal(decoded.allowed, false);
  assert.equal(decoded.explicitDeny, false);
  assert.equal(decoded.context.action, 'ec2:CreateSecurityGroup');
  assert.match(decoded.context.principal.arn, new RegExp(`^arn:aws:iam::${ACCOUNT}:user/no-ec2-`));
  assert.match(decoded.context.resource, /^arn:aws:ec2:us-east-1:/);
});

test('DecodeAuthorizationMessage: its permission, another account, and what is no message', async () => {
  const encoded = await encodedDenial();
  const none = await userWithKey(server.iam(), 'no-decode');
  await rejects(server.sts(none).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })), 'AccessDenied', /sts:DecodeAuthorizationMessage/, 403);
  const invalid = 'The encoded authorization message is invalid.';
  const stranger = await newAccount(server, '121212121212');
  await rejects(server.sts(stranger).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })), 'InvalidAuthorizationMessageException', invalid, 400);
  await rejects(server.sts(reader).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'bm90LWEtbWVzc2FnZQ' })), 'InvalidAuthorizationMessageException', invalid, 400);
});

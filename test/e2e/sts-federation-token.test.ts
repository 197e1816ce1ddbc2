// STS GetFederationToken through the real SDK clients: a federated user may do what both its issuer's
// policies and the session policies allow — nothing without one — calls no IAM and no STS but
// GetCallerIdentity, and stops acting once its issuer is gone.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateSecurityGroupCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, DeleteAccessKeyCommand, DeleteUserCommand, DeleteUserPolicyCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, type GetFederationTokenCommandInput } from '@aws-sdk/client-sts';
import { ROOT, startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, sessionCredentials, trustAccount, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let proxy: Credentials;

before(async () => {
  server = await startServer();
  proxy = await userWithKey(server.iam(), 'proxy', policy(allow(['sts:GetFederationToken', 'sts:AssumeRole', 'ec2:DescribeVpcs', 'ec2:CreateSecurityGroup'])));
});
after(() => server.close());

const federate = async (input: Partial<GetFederationTokenCommandInput> = {}, as: Credentials = proxy) =>
  server.sts(as).send(new GetFederationTokenCommand({ Name: 'carol', ...input }));
const onlyDescribe = policy(allow('ec2:DescribeVpcs'));

test('the answer names the federated user; it acts within its issuer\'s and its session\'s policies', async () => {
  const answer = await federate({ Policy: onlyDescribe, DurationSeconds: 900 });
  assert.deepEqual(answer.FederatedUser, { FederatedUserId: `${ACCOUNT}:carol`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/carol` });
  assert.ok((answer.PackedPolicySize ?? 0) > 0);
  const carol = sessionCredentials(answer.Credentials);
  const who = await server.sts(carol).send(new GetCallerIdentityCommand({}));
  assert.deepEqual([who.Arn, who.UserId, who.Account], [`arn:aws:sts::${ACCOUNT}:federated-user/carol`, `${ACCOUNT}:carol`, ACCOUNT]);
  await server.client(EC2Client, carol).send(new DescribeVpcsCommand({}));
  await rejects(
    server.client(EC2Client, carol).send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'd' })),
    'UnauthorizedOperation',
    /because no session policy allows the ec2:CreateSecurityGroup action/,
    403,
  );
});

test('without a session policy a federated user may do nothing', async () => {
  const bare = sessionCredentials((await federate()).Credentials);
  await rejects(server.client(EC2Client, bare).send(new DescribeVpcsCommand({})), 'UnauthorizedOperation', undefined, 403);
});

test('no IAM, and of STS only GetCallerIdentity', async () => {
  const carol = sessionCredentials((await federate({ Policy: policy(allow('*')) })).Credentials);
  await rejects(server.iam(carol).send(new ListRolesCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  await server.iam().send(new CreateRoleCommand({ RoleName: 'not-for-carol', AssumeRolePolicyDocument: trustAccount() }));
  await rejects(
    server.sts(carol).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/not-for-carol`, RoleSessionName: 'carol' })),
    'AccessDenied',
    'Cannot call AssumeRole with session credentials',
    403,
  );
  await rejects(federate({}, carol), 'AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
});

test('issued by long-term keys only, with its permission, for the durations AWS allows', async () => {
  const role = sessionCredentials((await server.sts(proxy).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/not-for-carol`, RoleSessionName: 'proxy-session' }))).Credentials);
  await rejects(federate({}, role), 'AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
  const nobody = await userWithKey(server.iam(), 'no-federation');
  await rejects(
    federate({}, nobody),
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/no-federation is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${ACCOUNT}:federated-user/carol because no identity-based policy allows the sts:GetFederationToken action`,
    403,
  );
  await rejects(federate({ DurationSeconds: 129601 }), 'ValidationError', /less than or equal to 129600/, 400);
  await rejects(federate({ DurationSeconds: 3601 }, ROOT), 'ValidationError', /less than or equal to 3600/, 400);
  await rejects(federate({ Policy: '{"Version": "2012-10-17", "Statement": [' }), 'MalformedPolicyDocumentException', undefined, 400);
});

test('the root may federate: the root\'s every permission, limited by the session policy', async () => {
  const viaRoot = sessionCredentials((await federate({ Policy: onlyDescribe }, ROOT)).Credentials);
  await server.client(EC2Client, viaRoot).send(new DescribeVpcsCommand({}));
  await rejects(server.client(EC2Client, viaRoot).send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'd' })), 'UnauthorizedOperation', undefined, 403);
});

test('once its issuer is deleted, a federated user acts no more', async () => {
  const iam = server.iam();
  const issuer = await userWithKey(iam, 'short-lived-proxy', policy(allow(['sts:GetFederationToken', 'ec2:DescribeVpcs'])));
  const carol = sessionCredentials((await federate({ Policy: onlyDescribe }, issuer)).Credentials);
  await server.client(EC2Client, carol).send(new DescribeVpcsCommand({}));
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'short-lived-proxy', AccessKeyId: issuer.accessKeyId }));
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'short-lived-proxy', PolicyName: 'inline' }));
  await iam.send(new DeleteUserCommand({ UserName: 'short-lived-proxy' }));
  await rejects(server.client(EC2Client, carol).send(new DescribeVpcsCommand({})), 'AuthFailure', undefined, 401);
});

// STS AssumeRoot, GetDelegatedAccessToken and GetWebIdentityToken through the real SDK: iamd's accounts
// are in no organization and no delegation request is ever accepted, so those answer as AWS answers
// such an account; GetWebIdentityToken is refused while the account's federation is off (its tokens:
// sts-outbound-web-identity.test.ts) — each after asking its own permission.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EnableOutboundWebIdentityFederationCommand } from '@aws-sdk/client-iam';
import { AssumeRootCommand, GetDelegatedAccessTokenCommand, GetWebIdentityTokenCommand, type STSClient } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, freshAccount, policy, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let allowed: STSClient;
let nobody: STSClient;

before(async () => {
  server = await startServer();
  allowed = server.sts(await userWithKey(server.iam(), 'allowed', policy(allow(['sts:AssumeRoot', 'sts:GetDelegatedAccessToken', 'sts:GetWebIdentityToken']))));
  nobody = server.sts(await userWithKey(server.iam(), 'nobody'));
});
after(() => server.close());

const denied = (action: string, resource = '*') =>
  `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: sts:${action} on resource: ${resource} because no identity-based policy allows the sts:${action} action`;

const MEMBER = '444455556666';
const assumeRoot = (TargetPrincipal: string) =>
  new AssumeRootCommand({ TargetPrincipal, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials' } });

test('AssumeRoot: no account is a member of the caller\'s organization; asked on the target\'s root user', async () => {
  const text = `Account ${MEMBER} is not a member account of an organization that ${ACCOUNT} manages.`;
  await rejects(allowed.send(assumeRoot(MEMBER)), 'AccessDenied', text, 403);
  await rejects(allowed.send(assumeRoot(`arn:aws:iam::${MEMBER}:root`)), 'AccessDenied', text, 403);
  await rejects(nobody.send(assumeRoot(MEMBER)), 'AccessDenied', denied('AssumeRoot', `arn:aws:iam::${MEMBER}:root`), 403);
  await rejects(allowed.send(assumeRoot('not-an-account')), 'ValidationError', 'Invalid TargetPrincipal: not-an-account is neither an account ID nor an account\'s root user ARN.', 400);
  await rejects(server.sts().send(assumeRoot(MEMBER)), 'AccessDenied', 'Root user credentials cannot be used to call AssumeRoot.', 403);
});

test('AssumeRoot offers sts:TaskPolicyArn to policies', async () => {
  const limited = server.sts(
    await userWithKey(server.iam(), 'limited', policy(allow('sts:AssumeRoot'), deny('sts:AssumeRoot', '*', { Condition: { StringLike: { 'sts:TaskPolicyArn': '*DeleteRootUserCredentials' } } }))),
  );
  await rejects(limited.send(assumeRoot(MEMBER)), 'AccessDenied', /with an explicit deny in an identity-based policy$/, 403);
});

test('GetDelegatedAccessToken: no trade-in token can be exchanged', async () => {
  const TradeInToken = 'a-token-nobody-issued';
  await rejects(
    allowed.send(new GetDelegatedAccessTokenCommand({ TradeInToken })),
    'ExpiredTradeInTokenException',
    'The trade-in token provided in the request has expired and can no longer be exchanged for credentials. Request a new token and retry the operation.',
    400,
  );
  await rejects(nobody.send(new GetDelegatedAccessTokenCommand({ TradeInToken })), 'AccessDenied', denied('GetDelegatedAccessToken'), 403);
});

const DISABLED = 'The outbound web identity federation feature is not enabled for this account. To use this feature, you must first enable it through the Amazon Web Services Management Console or API.';
const tokenRequest = () => new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256', DurationSeconds: 300 });

test('GetWebIdentityToken answers OutboundWebIdentityFederationDisabledException while switched off; a token once on', async () => {
  const { iam, credentials } = await freshAccount(server);
  const sts = server.sts(credentials);
  await rejects(sts.send(tokenRequest()), 'OutboundWebIdentityFederationDisabledException', DISABLED, 403);
  await iam.send(new EnableOutboundWebIdentityFederationCommand({}));
  assert.equal((await sts.send(tokenRequest())).WebIdentityToken!.split('.').length, 3);
  // Another account's switch is its own.
  await rejects(allowed.send(tokenRequest()), 'OutboundWebIdentityFederationDisabledException', DISABLED, 403);
});

test('GetWebIdentityToken asks sts:GetWebIdentityToken with its audience as a condition key', async () => {
  await rejects(nobody.send(tokenRequest()), 'AccessDenied', denied('GetWebIdentityToken'), 403);
  const narrow = server.sts(
    await userWithKey(server.iam(), 'narrow', policy(allow('sts:GetWebIdentityToken', '*', { Condition: { 'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['https://other.example.com'] } } }))),
  );
  await rejects(narrow.send(tokenRequest()), 'AccessDenied', /^User: arn:aws:iam::\d{12}:user\/narrow is not authorized to perform: sts:GetWebIdentityToken on resource: \*/, 403);
});

// The AWS CLI v2 with OpenID Connect providers (create, get, list, delete) and the web identity
// exchange it sends unsigned, against a started iamd and a real HTTPS issuer.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { awsCli, AWS_CLI } from '../helpers/awscli.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { policy } from '../helpers/iam.ts';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';

let server: TestServer;
let issuer: TestIssuer;
before(async () => {
  server = await startServer();
  issuer = await startIssuer();
});
after(async () => {
  await issuer.close();
  await server.close();
});

test(`the AWS CLI (${AWS_CLI}) creates, reads, lists and deletes an OpenID Connect provider`, async () => {
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/cli.example.com/tenant`;
  const created = await awsCli(server.url, ['iam', 'create-open-id-connect-provider', '--url', 'https://cli.example.com/tenant', '--client-id-list', 'sts.amazonaws.com', '--thumbprint-list', 'a'.repeat(40)]);
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual(created.json, { OpenIDConnectProviderArn: arn });

  const got = await awsCli(server.url, ['iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', arn]);
  assert.equal(got.code, 0, got.stderr);
  const provider = got.json as { Url: string; ClientIDList: string[]; ThumbprintList: string[]; Tags: unknown[]; CreateDate: string };
  assert.equal(provider.Url, 'cli.example.com/tenant');
  assert.deepEqual(provider.ClientIDList, ['sts.amazonaws.com']);
  assert.deepEqual(provider.ThumbprintList, ['a'.repeat(40)]);
  assert.deepEqual(provider.Tags, []);
  assert.ok(!Number.isNaN(Date.parse(provider.CreateDate)));

  const listed = await awsCli(server.url, ['iam', 'list-open-id-connect-providers']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json, { OpenIDConnectProviderList: [{ Arn: arn }] });

  const deleted = await awsCli(server.url, ['iam', 'delete-open-id-connect-provider', '--open-id-connect-provider-arn', arn]);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await awsCli(server.url, ['iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', arn]);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /NoSuchEntity.*OpenIDConnect Provider not found for arn/);
});

test('aws sts assume-role-with-web-identity, unsigned, with a token of the issuer', async () => {
  const made = await awsCli(server.url, ['iam', 'create-open-id-connect-provider', '--url', issuer.url, '--client-id-list', 'client-1', '--thumbprint-list', issuer.thumbprint]);
  assert.equal(made.code, 0, made.stderr);
  const trust = policy({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.id}` }, Action: 'sts:AssumeRoleWithWebIdentity' });
  const role = (await server.iam().send(new CreateRoleCommand({ RoleName: 'cli-federated', AssumeRolePolicyDocument: trust }))).Role!;
  // Keys iamd has never seen: the operation takes none, whatever the client holds.
  const nobody = { accessKeyId: 'AKIANOBODYATALL00000', secretAccessKey: 'unknown' };
  const out = await awsCli(server.url, ['sts', 'assume-role-with-web-identity', '--role-arn', role.Arn!, '--role-session-name', 'cli', '--web-identity-token', await issuer.sign()], nobody);
  assert.equal(out.code, 0, out.stderr);
  const answer = out.json as { AssumedRoleUser: { Arn: string }; Provider: string; Audience: string; SubjectFromWebIdentityToken: string };
  assert.equal(answer.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/cli-federated/cli`);
  assert.equal(answer.Provider, `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.id}`);
  assert.equal(answer.Audience, 'client-1');
  assert.equal(answer.SubjectFromWebIdentityToken, 'repo:org/app:ref:refs/heads/main');
});

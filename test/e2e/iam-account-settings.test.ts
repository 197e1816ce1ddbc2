// The account's own settings through the real IAM client: its alias (one per account, unique across
// accounts, replaced by a new one) and SetSecurityTokenServicePreferences as GetAccountSummary shows it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccountAliasCommand,
  DeleteAccountAliasCommand,
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  SetSecurityTokenServicePreferencesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const aliases = async (client = iam) => (await client.send(new ListAccountAliasesCommand({}))).AccountAliases;

test('an account has one alias: created, replaced by a new one, deleted', async () => {
  assert.deepEqual(await aliases(), []);
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company' }));
  assert.deepEqual(await aliases(), ['my-company']);
  // Again with the same alias: nothing changes.
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company' }));
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'renamed-company' }));
  assert.deepEqual(await aliases(), ['renamed-company']);
  await rejects(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'my-company' })), 'NoSuchEntityException', 'The account alias my-company cannot be found.', 404);
  await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'renamed-company' }));
  assert.deepEqual(await aliases(), []);
});

test('an alias names one account among all of them', async () => {
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'taken-alias' }));
  const other = server.iam(await newAccount(server, '555566667777'));
  await rejects(other.send(new CreateAccountAliasCommand({ AccountAlias: 'taken-alias' })), 'EntityAlreadyExistsException', 'The account alias taken-alias already exists.', 409);
  // Nor can another account delete it.
  await rejects(other.send(new DeleteAccountAliasCommand({ AccountAlias: 'taken-alias' })), 'NoSuchEntityException', undefined, 404);
  assert.deepEqual(await aliases(other), []);
  assert.deepEqual(await aliases(), ['taken-alias']);
  await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'taken-alias' }));
  await other.send(new CreateAccountAliasCommand({ AccountAlias: 'taken-alias' }));
  assert.deepEqual(await aliases(other), ['taken-alias']);
});

test('the model refuses what is no alias', async () => {
  for (const bad of ['Upper-Case', 'a', '-leading', 'double--dash']) {
    await rejects(iam.send(new CreateAccountAliasCommand({ AccountAlias: bad })), 'ValidationError', undefined, 400);
  }
});

test('SetSecurityTokenServicePreferences shows in GetAccountSummary', async () => {
  const version = async () => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion;
  assert.equal(await version(), 1);
  await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
  assert.equal(await version(), 2);
  await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v1Token' }));
  assert.equal(await version(), 1);
});

test('authorization: each asks its action on *', async () => {
  const reader = server.iam(await userWithKey(iam, 'alias-reader', policy(allow('iam:ListAccountAliases'))));
  assert.deepEqual(await aliases(reader), []);
  for (const [action, call] of [
    ['iam:CreateAccountAlias', () => reader.send(new CreateAccountAliasCommand({ AccountAlias: 'by-reader' }))],
    ['iam:DeleteAccountAlias', () => reader.send(new DeleteAccountAliasCommand({ AccountAlias: 'by-reader' }))],
    ['iam:SetSecurityTokenServicePreferences', () => reader.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }))],
  ] as const) {
    await rejects(call(), 'AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/alias-reader is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`, 403);
  }
  assert.deepEqual(await aliases(), []);
});

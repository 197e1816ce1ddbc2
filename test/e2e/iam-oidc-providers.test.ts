// OpenID Connect providers through the real IAM client, against the answers recorded from AWS
// (shared/reference/aws-recorded, iam__test_iam_oidc): URL rules and the ARN, client ids and
// thumbprints with their quotas, tags and their paging, the account's views of providers, and
// authorization with tag conditions.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, freshAccount, policy, userWithPolicy } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const arnOf = (id: string, account = ACCOUNT) => `arn:aws:iam::${account}:oidc-provider/${id}`;
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

async function create(url: string, more: { ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: { Key: string; Value: string }[] } = {}, client = iam) {
  return client.send(new CreateOpenIDConnectProviderCommand({ Url: url, ...more }));
}

describe('create, get, list, delete', () => {
  test('the ARN is the URL without https://, with its path; Get answers the recorded members', async () => {
    const plain = await create('https://oidc-basic.example.com', { ThumbprintList: [A] });
    assert.equal(plain.OpenIDConnectProviderArn, arnOf('oidc-basic.example.com'));
    assert.equal(plain.Tags, undefined);
    const withPath = await create('https://oidc-path.example.com/oidc', { ThumbprintList: [A] });
    assert.equal(withPath.OpenIDConnectProviderArn, arnOf('oidc-path.example.com/oidc'));

    const client = await create('https://oidc-get.example.com', { ThumbprintList: [B], ClientIDList: ['client-id-1'] });
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: client.OpenIDConnectProviderArn }));
    assert.equal(got.Url, 'oidc-get.example.com');
    assert.deepEqual(got.ClientIDList, ['client-id-1']);
    assert.deepEqual(got.ThumbprintList, [B]);
    assert.deepEqual(got.Tags, []);
    assert.ok(got.CreateDate instanceof Date && Math.abs(got.CreateDate.getTime() - Date.now()) < 60_000);
  });

  test('no thumbprints and no client ids: AWS no longer asks for thumbprints', async () => {
    const { OpenIDConnectProviderArn } = await create('https://no-thumbs.example.com');
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }));
    assert.deepEqual(got.ClientIDList, []);
    assert.deepEqual(got.ThumbprintList, []);
  });

  test('a trailing slash, a port: the URL as written names the provider', async () => {
    assert.equal((await create('https://slash.example.com/')).OpenIDConnectProviderArn, arnOf('slash.example.com/'));
    assert.equal((await create('https://slash.example.com')).OpenIDConnectProviderArn, arnOf('slash.example.com'));
    assert.equal((await create('https://port.example.com:8443/x')).OpenIDConnectProviderArn, arnOf('port.example.com:8443/x'));
  });

  test('URLs AWS refuses: the recorded ValidationError', async () => {
    for (const url of ['example.org', 'http://plain.example.com', 'https://', 'https://q.example.com/?a=b', 'https://f.example.com/#x', 'https://u:p@cred.example.com', 'https:///path', 'ftp://x.example.com']) {
      await rejects(create(url), 'ValidationError', 'Invalid Open ID Connect Provider URL', 400);
    }
  });

  test('the recorded duplicate error', async () => {
    await create('https://oidc-dup.example.com', { ThumbprintList: [A] });
    await rejects(create('https://oidc-dup.example.com', { ThumbprintList: [A] }), 'EntityAlreadyExistsException', 'Provider with url https://oidc-dup.example.com already exists.', 409);
  });

  test('the recorded validation errors, all three at once (AWS orders them its own way; each clause is as recorded)', async () => {
    const error = await rejects(create('b'.repeat(256), { ThumbprintList: ['b'.repeat(41)], ClientIDList: ['b'.repeat(256)] }), 'ValidationError', /^3 validation errors detected: /, 400);
    const clauses = error.message.replace('3 validation errors detected: ', '').split('; ').sort();
    assert.deepEqual(clauses, [
      "Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]",
      "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]",
      "Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255",
    ]);
  });

  test('Get of a provider that is not there: the recorded text; Delete words it its own recorded way', async () => {
    const missing = arnOf('non-existent.example.com');
    await rejects(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing })), 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${missing}`, 404);

    const { OpenIDConnectProviderArn } = await create('https://oidc-delete.example.com', { ThumbprintList: [A] });
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }));
    await rejects(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn })), 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${OpenIDConnectProviderArn}`, 404);
    await rejects(iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn })), 'NoSuchEntityException', `OpenId connect Provider ${OpenIDConnectProviderArn} cannot be found.`, 404);
  });

  test('an ARN that is not an ARN; a provider of another account is not found in this one', async () => {
    await rejects(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: 'not-an-arn-of-anything' })), 'ValidationError', 'ARN not-an-arn-of-anything is not valid.', 400);
    const { OpenIDConnectProviderArn } = await create('https://mine.example.com');
    const other = await freshAccount(server);
    const foreign = OpenIDConnectProviderArn!;
    await rejects(other.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: foreign })), 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${foreign}`, 404);
  });

  test('List names each provider by ARN, in order; Delete takes it off', async () => {
    const { iam: own } = await freshAccount(server);
    assert.deepEqual((await own.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, []);
    const arns: string[] = [];
    for (const i of [2, 0, 1]) arns.push((await create(`https://oidc-list-${i}.example.com`, {}, own)).OpenIDConnectProviderArn!);
    const listed = (await own.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!;
    assert.deepEqual(listed.map((p) => Object.keys(p)), [['Arn'], ['Arn'], ['Arn']]);
    assert.deepEqual(listed.map((p) => p.Arn), [...arns].sort());
    await own.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arns[0] }));
    assert.deepEqual((await own.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList!.map((p) => p.Arn), arns.slice(1).sort());
  });
});

describe('client ids and thumbprints', () => {
  test('Add and Remove are idempotent, as AWS documents', async () => {
    const { OpenIDConnectProviderArn } = await create('https://clients.example.com', { ClientIDList: ['one'] });
    const ids = async () => (await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }))).ClientIDList;
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: 'two' }));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: 'two' }));
    assert.deepEqual(await ids(), ['one', 'two']);
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: 'one' }));
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: 'never-there' }));
    assert.deepEqual(await ids(), ['two']);
  });

  test('the client id quota: 101 on create is the recorded LimitExceeded, and so is a 101st Add', async () => {
    const hundredOne = Array.from({ length: 101 }, (_, i) => String(i));
    await rejects(create('https://oidc-clients.example.com', { ClientIDList: hundredOne }), 'LimitExceededException', 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100', 409);
    const { OpenIDConnectProviderArn } = await create('https://oidc-clients.example.com', { ClientIDList: hundredOne.slice(0, 100) });
    await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, ClientID: '100' })), 'LimitExceededException', 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100', 409);
  });

  test('thumbprints: five at most (the recorded text for six), on create and on update', async () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => c.repeat(40));
    await rejects(create('https://oidc-thumbs.example.com', { ThumbprintList: six }), 'InvalidInputException', 'Thumbprint list must contain fewer than 5 entries.', 400);
    const { OpenIDConnectProviderArn } = await create('https://oidc-thumbs.example.com', { ThumbprintList: six.slice(0, 5) });
    await rejects(iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn, ThumbprintList: six })), 'InvalidInputException', 'Thumbprint list must contain fewer than 5 entries.', 400);
  });

  test('UpdateOpenIDConnectProviderThumbprint replaces the list (recorded)', async () => {
    const { OpenIDConnectProviderArn } = await create('https://oidc-update.example.com', { ThumbprintList: [B] });
    await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn, ThumbprintList: ['c'.repeat(40), 'd'.repeat(40)] }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }));
    assert.deepEqual(got.ThumbprintList, ['c'.repeat(40), 'd'.repeat(40)]);
    assert.deepEqual(got.ClientIDList, []);
  });

  test('changes to a provider that is not there', async () => {
    const missing = arnOf('gone.example.com');
    const text = `OpenIDConnect Provider not found for arn ${missing}`;
    await rejects(iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, ClientID: 'x' })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, ClientID: 'x' })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: missing, ThumbprintList: [A] })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missing, Tags: [{ Key: 'k', Value: 'v' }] })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: missing })), 'NoSuchEntityException', text, 404);
  });
});

describe('tags', () => {
  test('Tag, Untag, List (recorded), and Tags on create', async () => {
    const { OpenIDConnectProviderArn } = await create('https://oidc-tag.example.com', { ThumbprintList: [A] });
    await iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }));
    assert.deepEqual((await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }))).Tags, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
    await iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, TagKeys: ['k2'] }));
    assert.deepEqual((await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }))).Tags, [{ Key: 'k1', Value: 'v1' }]);

    const tagged = await create('https://oidc-listtags.example.com', { ThumbprintList: [A], Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] });
    assert.deepEqual(tagged.Tags, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
    const listed = await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: tagged.OpenIDConnectProviderArn }));
    assert.equal(listed.IsTruncated, false);
    assert.deepEqual(listed.Tags, [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
  });

  test('ListOpenIDConnectProviderTags pages with MaxItems and Marker (recorded: 4, 4, then the last 2)', async () => {
    const tags = Array.from({ length: 10 }, (_, i) => ({ Key: `k${String(i).padStart(2, '0')}`, Value: `v${i}` }));
    const { OpenIDConnectProviderArn } = await create('https://oidc-tagsmax.example.com', { Tags: tags });
    const first = await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn, MaxItems: 4 }));
    assert.equal(first.Tags!.length, 4);
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn, MaxItems: 4, Marker: first.Marker }));
    assert.equal(second.Tags!.length, 4);
    const last = await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn, Marker: second.Marker }));
    assert.equal(last.Tags!.length, 2);
    assert.equal(last.Marker, undefined);
    assert.deepEqual([...first.Tags!, ...second.Tags!, ...last.Tags!], tags);
  });

  test('fifty tags at most: the recorded LimitExceeded', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${String(i).padStart(2, '0')}`, Value: `v${i}` }));
    const { OpenIDConnectProviderArn } = await create('https://oidc-tagslimit.example.com', { ThumbprintList: [A], Tags: fifty });
    await rejects(iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn, Tags: [{ Key: 'string', Value: 'string' }] })), 'LimitExceededException', 'The number of tags has reached the maximum limit.', 409);
  });
});

describe('the account', () => {
  test("GetAccountSummary's Providers counts them; GetAccountAuthorizationDetails does not list them", async () => {
    const { iam: own } = await freshAccount(server);
    const providers = async () => (await own.send(new GetAccountSummaryCommand({}))).SummaryMap!.Providers;
    assert.equal(await providers(), 0);
    const { OpenIDConnectProviderArn } = await create('https://summary.example.com', {}, own);
    await create('https://summary2.example.com', {}, own);
    assert.equal(await providers(), 2);
    await own.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }));
    assert.equal(await providers(), 1);
    const details = await own.send(new GetAccountAuthorizationDetailsCommand({}));
    assert.equal(JSON.stringify(details).includes('oidc-provider'), false);
  });

  test('a hundred providers per account: the next is LimitExceeded', async () => {
    const { iam: own } = await freshAccount(server);
    for (let i = 0; i < 100; i++) await create(`https://p${i}.example.com`, {}, own);
    await rejects(create('https://p100.example.com', {}, own), 'LimitExceededException', 'Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100', 409);
  });
});

describe('authorization', () => {
  test('each operation asks its action on the provider ARN; a Deny on one provider leaves the others', async () => {
    const guarded = arnOf('guarded.example.com');
    const user = await userWithPolicy(server, 'oidc-admin', policy(allow('iam:*OpenIDConnectProvider*'), deny('iam:*', guarded)));
    const as = server.iam(user);
    const mine = await create('https://free.example.com', { ClientIDList: ['c'] }, as);
    await as.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: mine.OpenIDConnectProviderArn, ClientID: 'd' }));
    await as.send(new ListOpenIDConnectProvidersCommand({}));
    const denied = (action: string) => `User: ${user.arn} is not authorized to perform: iam:${action} on resource: ${guarded} with an explicit deny in an identity-based policy`;
    await rejects(create('https://guarded.example.com', {}, as), 'AccessDenied', denied('CreateOpenIDConnectProvider'), 403);
    await create('https://guarded.example.com');
    await rejects(as.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: guarded })), 'AccessDenied', denied('GetOpenIDConnectProvider'), 403);
    await rejects(as.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: guarded })), 'AccessDenied', denied('DeleteOpenIDConnectProvider'), 403);
    await rejects(as.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: guarded, ThumbprintList: [] })), 'AccessDenied', denied('UpdateOpenIDConnectProviderThumbprint'), 403);
    await rejects(as.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: guarded, ClientID: 'x' })), 'AccessDenied', denied('RemoveClientIDFromOpenIDConnectProvider'), 403);
    await rejects(as.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: guarded })), 'AccessDenied', denied('ListOpenIDConnectProviderTags'), 403);
  });

  test('ListOpenIDConnectProviders is asked on *; nothing allowed, nothing listed', async () => {
    const user = await userWithPolicy(server, 'oidc-nobody', policy(allow('iam:GetUser')));
    await rejects(
      server.iam(user).send(new ListOpenIDConnectProvidersCommand({})),
      'AccessDenied',
      `User: ${user.arn} is not authorized to perform: iam:ListOpenIDConnectProviders on resource: * because no identity-based policy allows the iam:ListOpenIDConnectProviders action`,
      403,
    );
  });

  test('aws:RequestTag and aws:TagKeys on create and on Tag; creating with tags also asks iam:TagOpenIDConnectProvider', async () => {
    const user = await userWithPolicy(
      server,
      'oidc-tagger',
      policy(
        allow('iam:CreateOpenIDConnectProvider', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } }),
        allow('iam:TagOpenIDConnectProvider', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } }),
      ),
    );
    const as = server.iam(user);
    const blue = await create('https://blue.example.com', { Tags: [{ Key: 'team', Value: 'blue' }] }, as);
    await rejects(create('https://red.example.com', { Tags: [{ Key: 'team', Value: 'red' }] }, as), 'AccessDenied', /iam:CreateOpenIDConnectProvider on resource: arn:aws:iam::123456789012:oidc-provider\/red\.example\.com because no identity-based policy allows/, 403);
    await rejects(
      create('https://green.example.com', { Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '1' }] }, as),
      'AccessDenied',
      /iam:TagOpenIDConnectProvider on resource: arn:aws:iam::123456789012:oidc-provider\/green\.example\.com/,
      403,
    );
    await as.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: blue.OpenIDConnectProviderArn, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await rejects(as.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: blue.OpenIDConnectProviderArn, Tags: [{ Key: 'cost', Value: '1' }] })), 'AccessDenied', /iam:TagOpenIDConnectProvider/, 403);
  });

  test('aws:ResourceTag: a provider tagged env=prod is out of reach, others are not', async () => {
    const prod = await create('https://prod-idp.example.com', { Tags: [{ Key: 'env', Value: 'prod' }] });
    const dev = await create('https://dev-idp.example.com', { Tags: [{ Key: 'env', Value: 'dev' }] });
    const user = await userWithPolicy(
      server,
      'oidc-dev',
      policy(allow(['iam:GetOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider'], '*', { Condition: { StringNotEquals: { 'aws:ResourceTag/env': 'prod' } } })),
    );
    const as = server.iam(user);
    assert.equal((await as.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: dev.OpenIDConnectProviderArn }))).Url, 'dev-idp.example.com');
    await rejects(as.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: prod.OpenIDConnectProviderArn })), 'AccessDenied', /iam:GetOpenIDConnectProvider on resource: arn:aws:iam::123456789012:oidc-provider\/prod-idp\.example\.com/, 403);
    await rejects(as.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: prod.OpenIDConnectProviderArn, TagKeys: ['env'] })), 'AccessDenied', /iam:UntagOpenIDConnectProvider/, 403);
    await as.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: dev.OpenIDConnectProviderArn, TagKeys: ['env'] }));
  });
});

// SAML identity providers through the real IAM client, against the answers recorded from AWS
// (shared/reference/aws-recorded, iam__test_iam_saml_providers): the members of each answer, the
// "Manifest not found" refusals, metadata validation, tags and their limits, the account quota and
// summary, and authorization on the provider's ARN with its tag condition keys.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetAccountSummaryCommand,
  GetSAMLProviderCommand,
  ListSAMLProvidersCommand,
  ListSAMLProviderTagsCommand,
  TagSAMLProviderCommand,
  UntagSAMLProviderCommand,
  UpdateSAMLProviderCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, freshAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { makeIdp, metadata, type TestIdp } from '../helpers/saml.ts';

let server: TestServer;
let iam: IAMClient;
let idp: TestIdp;

before(async () => {
  server = await startServer();
  iam = server.iam();
  idp = await makeIdp();
});
after(() => server.close());

const arnOf = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:saml-provider/${name}`;
const create = (name: string, doc = metadata(idp), extra: object = {}) =>
  iam.send(new CreateSAMLProviderCommand({ Name: name, SAMLMetadataDocument: doc, ...extra }));

describe('lifecycle', () => {
  test('create answers the ARN; get the recorded members; list the recorded entry; delete', async () => {
    const created = await create('corp');
    assert.equal(created.SAMLProviderArn, arnOf('corp'));
    assert.equal(created.Tags, undefined);

    const got = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('corp') }));
    const { $metadata: _m, ...members } = got;
    assert.deepEqual(Object.keys(members).sort(), [
      'AssertionEncryptionMode', 'CreateDate', 'PrivateKeyList', 'SAMLMetadataDocument', 'SAMLProviderUUID', 'Tags', 'ValidUntil',
    ]);
    assert.equal(got.SAMLMetadataDocument, metadata(idp));
    assert.equal(got.AssertionEncryptionMode, 'Allowed');
    assert.deepEqual(got.PrivateKeyList, []);
    assert.deepEqual(got.Tags, []);
    assert.match(got.SAMLProviderUUID!, /^[A-Z0-9]{22,64}$/);
    // No validUntil in the metadata: a hundred years on.
    assert.equal(got.ValidUntil!.getUTCFullYear() - got.CreateDate!.getUTCFullYear(), 100);

    const listed = (await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.find((p) => p.Arn === arnOf('corp'))!;
    assert.deepEqual(Object.keys(listed).sort(), ['Arn', 'CreateDate', 'ValidUntil']);
    assert.deepEqual(listed.CreateDate, got.CreateDate);

    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('corp') }));
    await rejects(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('corp') })), 'NoSuchEntityException', `Manifest not found for arn ${arnOf('corp')}`, 404);
    assert.equal((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.some((p) => p.Arn === arnOf('corp')), false);
  });

  test("the metadata's validUntil is the provider's; update replaces the metadata and keeps the UUID", async () => {
    await create('dated', metadata(idp, { validUntil: '2031-05-06T07:08:09Z' }));
    const before = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('dated') }));
    assert.equal(before.ValidUntil!.toISOString(), '2031-05-06T07:08:09.000Z');

    const other = await makeIdp();
    const doc = metadata(other, { validUntil: '2032-01-01T00:00:00Z' });
    const updated = await iam.send(
      new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('dated'), SAMLMetadataDocument: doc, AssertionEncryptionMode: 'Required', AddPrivateKey: other.privateKey }),
    );
    assert.equal(updated.SAMLProviderArn, arnOf('dated'));
    const after = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('dated') }));
    assert.equal(after.SAMLMetadataDocument, doc);
    assert.equal(after.ValidUntil!.toISOString(), '2032-01-01T00:00:00.000Z');
    assert.equal(after.AssertionEncryptionMode, 'Required');
    assert.equal(after.SAMLProviderUUID, before.SAMLProviderUUID);
    assert.deepEqual(after.CreateDate, before.CreateDate);
  });

  test('the recorded refusals: get and delete of a provider that does not exist; update and tags too', async () => {
    const missing = arnOf('NonExistentProvider');
    const text = `Manifest not found for arn ${missing}`;
    await rejects(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: missing })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: missing })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: missing, SAMLMetadataDocument: metadata(idp) })), 'NoSuchEntityException', text, 404);
    await rejects(iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: missing })), 'NoSuchEntityException', text, 404);
    // Another account's provider, or no provider ARN at all, is as absent.
    const foreign = arnOf('corp', '999999999999');
    await rejects(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: foreign })), 'NoSuchEntityException', `Manifest not found for arn ${foreign}`, 404);
    const role = `arn:aws:iam::${ACCOUNT}:role/not-a-provider`;
    await rejects(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: role })), 'NoSuchEntityException', `Manifest not found for arn ${role}`, 404);
  });

  test('a second provider of the same name, whatever its case, already exists', async () => {
    await create('twice');
    await rejects(create('twice'), 'EntityAlreadyExistsException', 'SAMLProvider twice already exists.', 409);
    await rejects(create('TWICE'), 'EntityAlreadyExistsException', 'SAMLProvider TWICE already exists.', 409);
  });
});

describe('metadata validation', () => {
  const pad = (s: string) => s + `<!--${'x'.repeat(1000)}-->`;

  for (const [what, doc] of [
    ['not XML', 'x'.repeat(1200)],
    ['ill-formed XML', pad('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"><md:IDPSSODescriptor>')],
    ['another root element', pad('<foo xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>')],
    ['a DTD', pad('<!DOCTYPE x [<!ENTITY a "b">]>') + '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>'],
  ] as const) {
    test(`${what}: InvalidInput`, async () => {
      await rejects(create('bad', doc), 'InvalidInputException', 'Could not parse metadata', 400);
    });
  }

  test('no IdP SSO descriptor, no signing certificate, a certificate that is not one: InvalidInput', async () => {
    await rejects(create('bad', metadata(idp, { descriptor: 'SPSSODescriptor' })), 'InvalidInputException', 'Could not parse metadata', 400);
    await rejects(create('bad', metadata(idp, { withCert: false }) + `<!--${'x'.repeat(1000)}-->`), 'InvalidInputException', 'Could not parse metadata', 400);
    const broken = { ...idp, certBody: 'QUJD' + idp.certBody.slice(40) };
    await rejects(create('bad', metadata(broken)), 'InvalidInputException', 'Could not parse metadata', 400);
    await iam.send(new CreateSAMLProviderCommand({ Name: 'good', SAMLMetadataDocument: metadata(idp) }));
    await rejects(
      iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('good'), SAMLMetadataDocument: metadata(idp, { descriptor: 'SPSSODescriptor' }) })),
      'InvalidInputException',
      'Could not parse metadata',
      400,
    );
  });

  test("the model's limits: a document under 1000 characters, a name outside [\\w._-]", async () => {
    await rejects(create('short', '<x/>'), 'ValidationError', "1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000", 400);
    await rejects(create('bad name!'), 'ValidationError', /name.*regular expression pattern/i, 400);
  });
});

describe('private keys', () => {
  const keysOf = async (name: string) => (await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf(name) }))).PrivateKeyList!;
  const update = (name: string, extra: object) => iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf(name), ...extra }));

  test('added on create and update, listed by id and time (never the key), at most two, removed by id', async () => {
    const [a, b, c] = await Promise.all([makeIdp(), makeIdp(), makeIdp()]);
    const before = Date.now();
    await create('keyed', metadata(idp), { AddPrivateKey: a.privateKey });
    const [firstKey, ...none] = await keysOf('keyed');
    assert.deepEqual(none, []);
    assert.deepEqual(Object.keys(firstKey!).sort(), ['KeyId', 'Timestamp']);
    assert.match(firstKey!.KeyId!, /^[A-Z0-9]{22,64}$/);
    assert.ok(firstKey!.Timestamp!.getTime() >= before - 1000 && firstKey!.Timestamp!.getTime() <= Date.now());
    const answer = JSON.stringify(await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('keyed') })));
    assert.equal(answer.includes(a.privateKey.split('\n')[1]!), false);

    await update('keyed', { AddPrivateKey: b.privateKey });
    const two = await keysOf('keyed');
    assert.equal(two.length, 2);
    assert.equal(two[0]!.KeyId, firstKey!.KeyId);
    await rejects(update('keyed', { AddPrivateKey: c.privateKey }), 'LimitExceededException', 'Cannot exceed quota for PrivateKeysPerSAMLProvider: 2', 409);
    await rejects(update('keyed', { AddPrivateKey: c.privateKey, RemovePrivateKey: firstKey!.KeyId }), 'InvalidInputException', 'Add the new private key and remove the old one in separate requests.', 400);
    await rejects(update('keyed', { RemovePrivateKey: 'A'.repeat(26) }), 'InvalidInputException', `The SAML provider has no private key ${'A'.repeat(26)}.`, 400);
    assert.equal((await keysOf('keyed')).length, 2);

    await update('keyed', { RemovePrivateKey: firstKey!.KeyId });
    assert.deepEqual((await keysOf('keyed')).map((k) => k.KeyId), [two[1]!.KeyId]);
    await update('keyed', { AddPrivateKey: c.privateKey });
    assert.equal((await keysOf('keyed')).length, 2);
    await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('keyed') }));
  });

  test('what is not an unencrypted RSA private key in PEM is refused', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const locked = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const text = 'The private key must be an unencrypted PEM-encoded RSA private key.';
    for (const key of ['not a key', ec.privateKey, locked.privateKey, idp.cert]) {
      await rejects(create('badkey', metadata(idp), { AddPrivateKey: key }), 'InvalidInputException', text, 400);
    }
    await create('badkey-update', metadata(idp));
    await rejects(update('badkey-update', { AddPrivateKey: ec.privateKey }), 'InvalidInputException', text, 400);
    await rejects(iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('badkey') })), 'NoSuchEntityException');
  });

  test('Required needs a key: on create, on update, and the last key cannot be removed while it is', async () => {
    const text = 'AssertionEncryptionMode Required needs a private key to decrypt assertions with: add one (AddPrivateKey) first.';
    await rejects(create('required', metadata(idp), { AssertionEncryptionMode: 'Required' }), 'InvalidInputException', text, 400);
    await create('required', metadata(idp));
    await rejects(update('required', { AssertionEncryptionMode: 'Required' }), 'InvalidInputException', text, 400);
    await update('required', { AssertionEncryptionMode: 'Required', AddPrivateKey: idp.privateKey });
    const [only] = await keysOf('required');
    await rejects(update('required', { RemovePrivateKey: only!.KeyId }), 'InvalidInputException', text, 400);
    await update('required', { AssertionEncryptionMode: 'Allowed', RemovePrivateKey: only!.KeyId });
    assert.deepEqual(await keysOf('required'), []);
  });
});

describe('tags', () => {
  test('on create, Tag/Untag/List (keys case-insensitive), and the limits', async () => {
    const created = await create('tagged', metadata(idp), { Tags: [{ Key: 'team', Value: 'a' }] });
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'a' }]);
    const arn = arnOf('tagged');
    await iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: [{ Key: 'Team', Value: 'b' }, { Key: 'env', Value: 'prod' }] }));
    assert.deepEqual((await iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn }))).Tags, [{ Key: 'Team', Value: 'b' }, { Key: 'env', Value: 'prod' }]);
    assert.deepEqual((await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))).Tags, [{ Key: 'Team', Value: 'b' }, { Key: 'env', Value: 'prod' }]);
    const page = await iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn, MaxItems: 1 }));
    assert.equal(page.IsTruncated, true);
    assert.deepEqual((await iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn, Marker: page.Marker }))).Tags, [{ Key: 'env', Value: 'prod' }]);
    await iam.send(new UntagSAMLProviderCommand({ SAMLProviderArn: arn, TagKeys: ['TEAM'] }));
    assert.deepEqual((await iam.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn }))).Tags, [{ Key: 'env', Value: 'prod' }]);

    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: many })), 'LimitExceededException', 'The number of tags has reached the maximum limit.', 409);
    await rejects(
      iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
      'InvalidInputException',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      400,
    );
    await rejects(iam.send(new TagSAMLProviderCommand({ SAMLProviderArn: arnOf('nope'), Tags: [{ Key: 'a', Value: '1' }] })), 'NoSuchEntityException', `Manifest not found for arn ${arnOf('nope')}`, 404);
  });
});

describe('the account', () => {
  test("GetAccountSummary's Providers counts them; the quota of 100 per account", async () => {
    const { iam: fresh, account } = await freshAccount(server);
    const providers = async () => (await fresh.send(new GetAccountSummaryCommand({}))).SummaryMap!.Providers;
    assert.equal(await providers(), 0);
    const doc = metadata(idp);
    for (let i = 0; i < 100; i++) await fresh.send(new CreateSAMLProviderCommand({ Name: `p${i}`, SAMLMetadataDocument: doc }));
    assert.equal(await providers(), 100);
    await rejects(fresh.send(new CreateSAMLProviderCommand({ Name: 'one-more', SAMLMetadataDocument: doc })), 'LimitExceededException', 'Cannot exceed quota for SAMLProvidersPerAccount: 100', 409);
    await fresh.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('p0', account) }));
    assert.equal(await providers(), 99);
  });
});

describe('authorization', () => {
  test("each operation asks its action on the provider's ARN; tag conditions hold", async () => {
    await create('owned', metadata(idp), { Tags: [{ Key: 'owner', Value: 'alice' }] });
    await create('others', metadata(idp), { Tags: [{ Key: 'owner', Value: 'bob' }] });
    const alice = await userWithPolicy(
      server,
      'saml-alice',
      policy(
        allow(['iam:GetSAMLProvider', 'iam:UpdateSAMLProvider', 'iam:DeleteSAMLProvider', 'iam:TagSAMLProvider', 'iam:ListSAMLProviderTags'], `arn:aws:iam::${ACCOUNT}:saml-provider/*`, {
          Condition: { StringEquals: { 'aws:ResourceTag/owner': 'alice' } },
        }),
        allow('iam:CreateSAMLProvider', `arn:aws:iam::${ACCOUNT}:saml-provider/alice-*`, { Condition: { StringEquals: { 'aws:RequestTag/owner': 'alice' } } }),
        allow('iam:TagSAMLProvider', `arn:aws:iam::${ACCOUNT}:saml-provider/alice-*`),
      ),
    );
    const as = server.iam(alice);
    await as.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('owned') }));
    await as.send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arnOf('owned') }));
    const denied = (action: string, name: string) =>
      `User: ${alice.arn} is not authorized to perform: iam:${action} on resource: ${arnOf(name)} because no identity-based policy allows the iam:${action} action`;
    await rejects(as.send(new GetSAMLProviderCommand({ SAMLProviderArn: arnOf('others') })), 'AccessDenied', denied('GetSAMLProvider', 'others'), 403);
    await rejects(as.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('others') })), 'AccessDenied', denied('DeleteSAMLProvider', 'others'), 403);
    await rejects(as.send(new ListSAMLProvidersCommand({})), 'AccessDenied', /iam:ListSAMLProviders on resource: \*/, 403);

    await as.send(new CreateSAMLProviderCommand({ Name: 'alice-idp', SAMLMetadataDocument: metadata(idp), Tags: [{ Key: 'owner', Value: 'alice' }] }));
    await rejects(
      as.send(new CreateSAMLProviderCommand({ Name: 'alice-idp2', SAMLMetadataDocument: metadata(idp) })),
      'AccessDenied',
      denied('CreateSAMLProvider', 'alice-idp2'),
      403,
    );
    await rejects(
      as.send(new CreateSAMLProviderCommand({ Name: 'bob-idp', SAMLMetadataDocument: metadata(idp), Tags: [{ Key: 'owner', Value: 'alice' }] })),
      'AccessDenied',
      denied('CreateSAMLProvider', 'bob-idp'),
      403,
    );
    // Untagging is not in alice's policy; deleting her own is.
    await rejects(as.send(new UntagSAMLProviderCommand({ SAMLProviderArn: arnOf('owned'), TagKeys: ['owner'] })), 'AccessDenied', denied('UntagSAMLProvider', 'owned'), 403);
    await as.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arnOf('owned'), SAMLMetadataDocument: metadata(idp) }));
    await as.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arnOf('owned') }));
  });
});

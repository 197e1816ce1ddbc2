// Encrypted SAML assertions: a provider given private keys (IAM AddPrivateKey) takes an
// EncryptedAssertion its IdP encrypted to one of them (test/helpers/saml.ts encrypts with
// xml-encryption), under each content and key-transport algorithm AWS names, with the signature on the
// Assertion inside or on the Response around it; and refuses what it must — a plaintext assertion
// when encryption is Required, a key it does not hold, a removed key, RSA-1.5, a tampered ciphertext,
// and an encrypted assertion nobody signed (anyone can encrypt to the public key).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRoleCommand, CreateSAMLProviderCommand, GetSAMLProviderCommand, UpdateSAMLProviderCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithSAMLCommand, type STSClient } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { policy } from '../helpers/iam.ts';
import { encryptedAssertion, encryptXml, makeIdp, metadata, response, signedAssertion, type AssertionSpec, type EncryptionSpec, type TestIdp } from '../helpers/saml.ts';

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;
let idp: TestIdp;
/** The provider's two key pairs, and one it never holds. */
let first: TestIdp;
let second: TestIdp;
let stranger: TestIdp;

const ROLE = `arn:aws:iam::${ACCOUNT}:role/saml-encrypted`;
const providerArn = (name: string) => `arn:aws:iam::${ACCOUNT}:saml-provider/${name}`;
const OAEP_MGF1P = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';
const OAEP_11 = 'http://www.w3.org/2009/xmlenc11#rsa-oaep';
const RSA_15 = 'http://www.w3.org/2001/04/xmlenc#rsa-1_5';
const AES128_CBC = 'http://www.w3.org/2001/04/xmlenc#aes128-cbc';
const AES256_CBC = 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
const AES128_GCM = 'http://www.w3.org/2009/xmlenc11#aes128-gcm';
const AES256_GCM = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';

before(async () => {
  server = await startServer();
  iam = server.iam();
  sts = server.sts();
  [idp, first, second, stranger] = await Promise.all([makeIdp(), makeIdp(), makeIdp(), makeIdp()]);
  for (const [name, extra] of [
    ['encrypting', { AddPrivateKey: first.privateKey }],
    ['strict', { AddPrivateKey: first.privateKey, AssertionEncryptionMode: 'Required' as const }],
    ['keyless', {}],
  ] as const) {
    await iam.send(new CreateSAMLProviderCommand({ Name: name, SAMLMetadataDocument: metadata(idp), ...extra }));
  }
  await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn('encrypting'), AddPrivateKey: second.privateKey }));
  const trust = policy({ Effect: 'Allow', Principal: { Federated: ['encrypting', 'strict', 'keyless'].map(providerArn) }, Action: 'sts:AssumeRoleWithSAML' });
  await iam.send(new CreateRoleCommand({ RoleName: 'saml-encrypted', AssumeRolePolicyDocument: trust }));
});
after(() => server.close());

const spec = (provider: string): AssertionSpec => ({ subject: 'alice', roles: [`${ROLE},${providerArn(provider)}`], sessionName: 'alice' });
const assume = (provider: string, SAMLAssertion: string) => sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE, PrincipalArn: providerArn(provider), SAMLAssertion }));
const encrypted = (provider: string, encryption: EncryptionSpec) => encryptedAssertion(idp, spec(provider), encryption);
const invalid = (provider: string, assertion: string, message: string | RegExp) => rejects(assume(provider, assertion), 'InvalidIdentityTokenException', message, 400);

describe('an encrypted assertion', () => {
  for (const content of [AES128_CBC, AES256_CBC, AES128_GCM, AES256_GCM]) {
    for (const keyTransport of [OAEP_MGF1P, OAEP_11]) {
      test(`${content.split('#')[1]} under ${keyTransport.split('#')[1]} (${keyTransport.includes('2009') ? 'xmlenc 1.1' : 'xmlenc'}) is decrypted and its signature verified`, async () => {
        const out = await assume('encrypting', await encrypted('encrypting', { to: first, content, keyTransport }));
        assert.equal(out.Subject, 'alice');
        assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/saml-encrypted/alice`);
      });
    }
  }

  test("any of the provider's keys decrypts; a signed Response around the ciphertext is taken too", async () => {
    assert.equal((await assume('encrypting', await encrypted('encrypting', { to: second }))).Subject, 'alice');
    assert.equal((await assume('encrypting', await encrypted('encrypting', { to: second, signResponse: true }))).Subject, 'alice');
  });

  test('with encryption Allowed a plaintext assertion is still taken; with Required it is refused', async () => {
    assert.equal((await assume('encrypting', signedAssertion(idp, spec('encrypting')))).Subject, 'alice');
    await invalid('strict', signedAssertion(idp, spec('strict')), 'Invalid SAML response: the SAML provider accepts only encrypted assertions');
    assert.equal((await assume('strict', await encrypted('strict', { to: first }))).Subject, 'alice');
  });
});

describe('refused', () => {
  test('encrypted to a key the provider does not hold; to a provider with no key at all', async () => {
    await invalid('encrypting', await encrypted('encrypting', { to: stranger }), 'Invalid SAML response: failed to decrypt the assertion');
    await invalid('keyless', await encrypted('keyless', { to: first }), 'Invalid SAML response: the assertion is encrypted, but the SAML provider has no private key to decrypt it');
  });

  test('RSA-1.5 key transport is refused before any decryption (a padding oracle)', async () => {
    await invalid('encrypting', await encrypted('encrypting', { to: first, keyTransport: RSA_15 }), `Invalid SAML response: unsupported encryption algorithm ${RSA_15}`);
  });

  test('a tampered ciphertext does not decrypt', async () => {
    const xml = Buffer.from(await encrypted('encrypting', { to: first }), 'base64').toString('utf8');
    const values = [...xml.matchAll(/<xenc:CipherValue>([^<]+)<\/xenc:CipherValue>/g)];
    const content = values[values.length - 1]!;
    const bytes = Buffer.from(content[1]!, 'base64');
    bytes[bytes.length - 20]! ^= 1;
    const tampered = xml.replace(content[1]!, bytes.toString('base64'));
    await invalid('encrypting', Buffer.from(tampered).toString('base64'), 'Invalid SAML response: failed to decrypt the assertion');
  });

  test('encryption is not a signature: an unsigned assertion encrypted to the public key is refused', async () => {
    const { xml } = response(idp, spec('encrypting'));
    const start = xml.indexOf('<saml:Assertion ');
    const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
    const plain = xml.slice(start, end).replace('<saml:Assertion ', '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ');
    const forged = xml.slice(0, start) + `<saml:EncryptedAssertion>${await encryptXml(plain, { to: first })}</saml:EncryptedAssertion>` + xml.slice(end);
    await invalid('encrypting', Buffer.from(forged).toString('base64'), 'Response signature invalid');
  });

  test('a key removed from the provider no longer decrypts', async () => {
    await iam.send(new CreateSAMLProviderCommand({ Name: 'rotating', SAMLMetadataDocument: metadata(idp), AddPrivateKey: first.privateKey }));
    await iam.send(new CreateRoleCommand({
      RoleName: 'saml-rotating',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Federated: providerArn('rotating') }, Action: 'sts:AssumeRoleWithSAML' }),
    }));
    await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn('rotating'), AddPrivateKey: second.privateKey }));
    const [old] = (await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: providerArn('rotating') }))).PrivateKeyList!;
    await iam.send(new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn('rotating'), RemovePrivateKey: old!.KeyId }));
    const role = `arn:aws:iam::${ACCOUNT}:role/saml-rotating`;
    const forRotating: AssertionSpec = { subject: 'alice', roles: [`${role},${providerArn('rotating')}`], sessionName: 'alice' };
    const call = async (to: TestIdp) =>
      sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: role, PrincipalArn: providerArn('rotating'), SAMLAssertion: await encryptedAssertion(idp, forRotating, { to }) }));
    await rejects(call(first), 'InvalidIdentityTokenException', 'Invalid SAML response: failed to decrypt the assertion', 400);
    assert.equal((await call(second)).Subject, 'alice');
  });
});

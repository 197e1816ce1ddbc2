// AssumeRoleWithSAML through the real STS client, unsigned as the SDK sends it, with assertions signed
// by the test's own IdP (test/helpers/saml.ts): the answer's members and a session that works, and
// each refusal — a tampered assertion, a signature-wrapping attempt, a foreign signer, a wrong
// audience or issuer, an expired assertion, a role the Role attribute does not list, a trust policy
// that does not name the provider, and trust conditions on saml:sub.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CreateRoleCommand, CreateSAMLProviderCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, sessionCredentials } from '../helpers/iam.ts';
import { makeIdp, metadata, response, signedAssertion, signElement, type AssertionSpec, type TestIdp } from '../helpers/saml.ts';

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;
let idp: TestIdp;
let provider: string;

const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const trustSaml = (providerArn: string, condition?: object) =>
  policy({ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithSAML', ...(condition ? { Condition: condition } : {}) });

before(async () => {
  server = await startServer();
  iam = server.iam();
  sts = server.sts();
  idp = await makeIdp();
  provider = (await iam.send(new CreateSAMLProviderCommand({ Name: 'corp-idp', SAMLMetadataDocument: metadata(idp) }))).SAMLProviderArn!;
  await iam.send(new CreateRoleCommand({ RoleName: 'saml-admin', AssumeRolePolicyDocument: trustSaml(provider) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'saml-admin', PolicyName: 'p', PolicyDocument: policy(allow('iam:ListRoles')) }));
  await iam.send(new CreateRoleCommand({ RoleName: 'saml-other', AssumeRolePolicyDocument: trustSaml(provider) }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'saml-alice-only',
      AssumeRolePolicyDocument: trustSaml(provider, { StringEquals: { 'saml:sub': 'alice', 'saml:aud': 'https://signin.aws.amazon.com/saml' } }),
    }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: 'not-federated', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }));
});
after(() => server.close());

const spec = (role: string, extra: Partial<AssertionSpec> = {}): AssertionSpec => ({
  subject: 'alice',
  roles: [`${roleArn(role)},${provider}`],
  sessionName: 'alice@example.com',
  ...extra,
});
const assume = (role: string, SAMLAssertion: string, extra: object = {}) =>
  sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn(role), PrincipalArn: provider, SAMLAssertion, ...extra }));
const denied = (role: string, assertion: string) => rejects(assume(role, assertion), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);

describe('a valid assertion', () => {
  test("answers the model's members, and its credentials act as the role", async () => {
    const out = await assume('saml-admin', signedAssertion(idp, spec('saml-admin')));
    assert.equal(out.Subject, 'alice');
    assert.equal(out.SubjectType, 'persistent');
    assert.equal(out.Issuer, idp.entityId);
    assert.equal(out.Audience, 'https://signin.aws.amazon.com/saml');
    assert.equal(out.NameQualifier, createHash('sha1').update(`${idp.entityId}${ACCOUNT}/corp-idp`).digest('base64'));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/saml-admin/alice@example.com`);
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:alice@example\.com$/);
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA/);
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 3500_000 && lifetime <= 3600_000, `an hour by default, not ${lifetime} ms`);

    const session = server.sts(sessionCredentials(out.Credentials));
    assert.equal((await session.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/saml-admin/alice@example.com`);
  });

  test('the Role attribute may list several pairs, in either order; SessionDuration and DurationSeconds set the length', async () => {
    const assertion = signedAssertion(idp, spec('saml-admin', { roles: [`${roleArn('saml-other')},${provider}`, `${provider},${roleArn('saml-admin')}`], sessionDuration: '1800' }));
    const out = await assume('saml-admin', assertion);
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime > 1700_000 && lifetime <= 1800_000, `SessionDuration 1800 s, not ${lifetime} ms`);
    const shorter = await assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { DurationSeconds: 900 });
    assert.ok(shorter.Credentials!.Expiration!.getTime() - Date.now() <= 900_000);
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { DurationSeconds: 7200 }), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  });

  test('a session policy is packed (PackedPolicySize); a malformed one or one too large is refused', async () => {
    const out = await assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { Policy: policy(allow('iam:GetUser')) });
    assert.ok(out.PackedPolicySize! > 0);
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { Policy: '{"Version":"2012-10-17"}' }), 'MalformedPolicyDocumentException', /./, 400);
    // Within the model's 2048 characters, but over the packed limit with the managed policies' ARNs.
    const big = policy(...Array.from({ length: 19 }, (_, i) => allow('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/user-number-${String(i).padStart(3, '0')}`)));
    assert.ok(big.length <= 2048 && big.length > 1800, `${big.length}`);
    const arns = ['ReadOnlyAccess', 'IAMReadOnlyAccess', 'AmazonEC2ReadOnlyAccess'].map((n) => ({ arn: `arn:aws:iam::aws:policy/${n}` }));
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { Policy: big, PolicyArns: arns }), 'PackedPolicyTooLargeException', 'Packed policy consumes 100% of allotted space, please use smaller policy.', 400);
    // Beyond the model's length: its validation error, although the call is unsigned.
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin')), { Policy: big + ' '.repeat(100) }), 'ValidationError', /policy.*length less than or equal to 2048/, 400);
  });
});

describe('refused assertions', () => {
  test('tampered after signing: the subject changed', async () => {
    const xml = Buffer.from(signedAssertion(idp, spec('saml-admin')), 'base64').toString('utf8').replace('>alice<', '>mallory<');
    await rejects(assume('saml-admin', Buffer.from(xml).toString('base64')), 'InvalidIdentityTokenException', 'Response signature invalid', 400);
  });

  test('signature wrapping: the signed assertion moved aside, an unsigned one in its place', async () => {
    const signed = Buffer.from(signedAssertion(idp, spec('saml-other', { subject: 'alice' })), 'base64').toString('utf8');
    // The attacker's assertion (for another role and subject) takes the signed one's place; the signed
    // one is tucked into an Extensions element of the Response, where a careless reader's signature check finds it.
    const start = signed.indexOf('<saml:Assertion');
    const end = signed.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
    const genuine = signed.slice(start, end);
    const forged = genuine.replace('>alice<', '>mallory<').replace(roleArn('saml-other'), roleArn('saml-admin')).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const wrapped = signed.slice(0, start) + `<samlp:Extensions>${genuine}</samlp:Extensions>` + forged + signed.slice(end);
    await rejects(assume('saml-admin', Buffer.from(wrapped).toString('base64')), 'InvalidIdentityTokenException', 'Invalid SAML response: it must hold exactly one Assertion', 400);
    // And the forged assertion alone, carrying the genuine signature with its reference to the original ID.
    const swapped = signed.slice(0, start) + genuine.replace('>alice<', '>mallory<') + signed.slice(end);
    await rejects(assume('saml-other', Buffer.from(swapped).toString('base64')), 'InvalidIdentityTokenException', 'Response signature invalid', 400);
  });

  test('signed by another key than the provider trusts; unsigned', async () => {
    const stranger = await makeIdp(idp.entityId);
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin'), { key: stranger.privateKey, cert: stranger.cert })), 'InvalidIdentityTokenException', 'Response signature invalid', 400);
    const unsigned = Buffer.from(response(idp, spec('saml-admin')).xml).toString('base64');
    await rejects(assume('saml-admin', unsigned), 'InvalidIdentityTokenException', 'Response signature invalid', 400);
  });

  test('a signed Response (not its Assertion) is accepted too', async () => {
    const { xml } = response(idp, spec('saml-admin'));
    const responseId = /<samlp:Response[^>]* ID="([^"]+)"/.exec(xml)![1]!;
    const signed = signElement(xml, responseId, idp.privateKey, idp.cert);
    assert.equal((await assume('saml-admin', Buffer.from(signed).toString('base64'))).Subject, 'alice');
  });

  test('a wrong audience; another issuer; not XML', async () => {
    await rejects(assume('saml-admin', signedAssertion(idp, spec('saml-admin', { audience: 'https://evil.example.com/saml' }))), 'InvalidIdentityTokenException', 'SAML assertion audience is not valid for AWS sign-in', 400);
    await rejects(
      assume('saml-admin', signedAssertion(idp, spec('saml-admin', { issuer: 'https://other.example.com' }))),
      'InvalidIdentityTokenException',
      "Issuer of the SAML response doesn't match the identity provider's metadata",
      400,
    );
    await rejects(assume('saml-admin', Buffer.from('not xml at all').toString('base64')), 'InvalidIdentityTokenException', /not well-formed/, 400);
  });

  test('expired', async () => {
    const old = signedAssertion(idp, spec('saml-admin', { now: Date.now() - 3600_000, lifetime: 300 }));
    await rejects(assume('saml-admin', old), 'ExpiredTokenException', 'Token is expired', 400);
  });

  test('the session name: missing, or not of the allowed characters', async () => {
    await rejects(assume('saml-admin', signedAssertion(idp, { subject: 'alice', roles: [`${roleArn('saml-admin')},${provider}`] })), 'InvalidIdentityTokenException', 'RoleSessionName is required in AuthnResponse', 400);
    await rejects(
      assume('saml-admin', signedAssertion(idp, spec('saml-admin', { sessionName: 'has space' }))),
      'InvalidIdentityTokenException',
      'RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}',
      400,
    );
  });

  test('a provider that does not exist', async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:saml-provider/missing`;
    await rejects(
      sts.send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn('saml-admin'), PrincipalArn: missing, SAMLAssertion: signedAssertion(idp, spec('saml-admin')) })),
      'InvalidIdentityTokenException',
      "Specified provider doesn't exist",
      400,
    );
  });
});

describe('which role', () => {
  test('a role the Role attribute does not list is refused', async () => {
    await denied('saml-other', signedAssertion(idp, spec('saml-admin')));
  });

  test("a trust policy that does not name the provider, or a role that does not exist, is refused alike", async () => {
    await denied('not-federated', signedAssertion(idp, spec('not-federated')));
    await denied('no-such-role', signedAssertion(idp, spec('no-such-role')));
  });

  test('trust conditions on saml:sub allow alice and refuse bob', async () => {
    const out = await assume('saml-alice-only', signedAssertion(idp, spec('saml-alice-only')));
    assert.equal(out.Subject, 'alice');
    await denied('saml-alice-only', signedAssertion(idp, spec('saml-alice-only', { subject: 'bob' })));
  });
});

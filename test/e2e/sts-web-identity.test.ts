// STS AssumeRoleWithWebIdentity end to end: the real STS client, unsigned, against iamd, with tokens
// signed by real OpenID Connect issuers (test/helpers/oidc-issuer.ts: HTTPS servers on random ports
// serving discovery documents and JWKS, trusted by their certificates' thumbprints). Tokens that verify,
// and every way one does not: tampered, wrong audience, unknown issuer, expired, not yet valid, a key
// the issuer does not publish, an issuer that cannot be reached or is not trusted; trust policies that
// let one subject in and not another; the session that results, with the token's keys; and a key set
// given offline (--oidc-jwks) for an issuer iamd never reaches.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateOpenIDConnectProviderCommand, CreatePolicyCommand, CreateRoleCommand, ListRolesCommand, PutRolePolicyCommand, UpdateOpenIDConnectProviderThumbprintCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient, type AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';
import { LookupEventsCommand, CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { startServer, tempDir, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, sessionCredentials } from '../helpers/iam.ts';
import { eventually } from '../helpers/eventually.ts';
import { startIssuer, type TestIssuer } from '../helpers/oidc-issuer.ts';

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;
let issuer: TestIssuer;
let providerArn: string;
const SUBJECT = 'repo:org/app:ref:refs/heads/main';

/** A role trusting `issuer` for `sub` (StringLike), with the audience client-1. */
async function federatedRole(name: string, from: TestIssuer, sub = SUBJECT, more: Record<string, unknown>[] = []): Promise<string> {
  const trust = policy(
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${from.id}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${from.id}:aud`]: 'client-1' }, StringLike: { [`${from.id}:sub`]: sub } },
    },
    ...more,
  );
  return (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role!.Arn!;
}

async function provider(from: TestIssuer, clientIds = ['client-1'], thumbprints = [from.thumbprint]): Promise<string> {
  return (await iam.send(new CreateOpenIDConnectProviderCommand({ Url: from.url, ClientIDList: clientIds, ThumbprintList: thumbprints }))).OpenIDConnectProviderArn!;
}

const assume = (input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string; RoleArn: string }, client = sts) =>
  client.send(new AssumeRoleWithWebIdentityCommand({ RoleSessionName: 'ci', ...input }));

let roleArn: string;

before(async () => {
  server = await startServer();
  iam = server.iam();
  // No credentials at all: the SDK sends AssumeRoleWithWebIdentity unsigned, as the model says.
  sts = new STSClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });
  issuer = await startIssuer();
  providerArn = await provider(issuer);
  roleArn = await federatedRole('ci-deploy', issuer);
});
after(async () => {
  await issuer.close();
  await server.close();
});

describe('a token that verifies', () => {
  test('credentials for the role, and the members AWS answers with', async () => {
    const token = await issuer.sign();
    const out = await assume({ RoleArn: roleArn, WebIdentityToken: token, RoleSessionName: 'build-42' });
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(out.Credentials!.Expiration!.getTime() > Date.now() + 3500_000);
    assert.equal(out.SubjectFromWebIdentityToken, SUBJECT);
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/build-42`);
    assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:build-42$/);
    assert.equal(out.Provider, providerArn);
    assert.equal(out.Audience, 'client-1');
    assert.equal(out.PackedPolicySize, undefined);
    assert.equal(out.SourceIdentity, undefined);

    const me = await server.sts(sessionCredentials(out.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/build-42`);
  });

  test('an ES256 token verifies too; DurationSeconds and a session policy are honoured', async () => {
    const out = await assume({
      RoleArn: roleArn,
      WebIdentityToken: await issuer.sign({}, { key: 'ec' }),
      DurationSeconds: 900,
      Policy: policy(allow('iam:ListRoles')),
    });
    const lifetime = out.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(lifetime <= 900_000 && lifetime > 800_000, `lifetime ${lifetime}`);
    assert.ok(out.PackedPolicySize! > 0);
  });

  test('the keys are fetched once through discovery, then kept', async () => {
    const own = await startIssuer('/tenant');
    try {
      await provider(own);
      const arn = await federatedRole('cached', own);
      await assume({ RoleArn: arn, WebIdentityToken: await own.sign() });
      await assume({ RoleArn: arn, WebIdentityToken: await own.sign() });
      assert.deepEqual(own.requests, ['/tenant/.well-known/openid-configuration', '/tenant/keys']);
    } finally {
      await own.close();
    }
  });

  test('the session carries aws:FederatedProvider and the token keys into its own requests', async () => {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'ci-deploy',
        PolicyName: 'federated-only',
        PolicyDocument: policy(allow('iam:ListRoles', '*', { Condition: { StringEquals: { 'aws:FederatedProvider': providerArn, [`${issuer.id}:sub`]: SUBJECT } } })),
      }),
    );
    const out = await assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign() });
    const roles = await server.iam(sessionCredentials(out.Credentials)).send(new ListRolesCommand({}));
    assert.ok(roles.Roles!.some((r) => r.RoleName === 'ci-deploy'));
  });

  test('the call is recorded in the role account as the web identity (no token in it)', async () => {
    const token = await issuer.sign({ sub: 'repo:org/app:ref:refs/heads/recorded' });
    await assume({ RoleArn: await federatedRole('recorded', issuer, 'repo:org/app:*'), WebIdentityToken: token, RoleSessionName: 'recorded' });
    const trail = server.client(CloudTrailClient);
    const event = await eventually(
      'the AssumeRoleWithWebIdentity event',
      async () => (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' }] }))).Events ?? [],
      (events) => events.some((e) => e.Username === 'repo:org/app:ref:refs/heads/recorded'),
    );
    const record = JSON.parse(event.find((e) => e.Username === 'repo:org/app:ref:refs/heads/recorded')!.CloudTrailEvent!);
    assert.deepEqual(record.userIdentity, {
      type: 'WebIdentityUser',
      principalId: `${providerArn}:client-1:repo:org/app:ref:refs/heads/recorded`,
      userName: 'repo:org/app:ref:refs/heads/recorded',
      identityProvider: providerArn,
    });
    assert.equal(record.requestParameters.roleSessionName, 'recorded');
    assert.equal(JSON.stringify(record).includes(token.split('.')[2]!), false);
    assert.equal(record.requestParameters.webIdentityToken, undefined);
  });
});

describe('trust policies decide, by the token keys', () => {
  test('StringLike on :sub lets one subject in and refuses another', async () => {
    const arn = await federatedRole('main-only', issuer, 'repo:org/app:ref:refs/heads/main');
    await assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ sub: 'repo:org/app:ref:refs/heads/main' }) });
    await rejects(
      assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ sub: 'repo:org/app:ref:refs/heads/feature' }) }),
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      403,
    );
  });

  test('a role that does not exist, or trusts another provider, or only "*": the same refusal', async () => {
    const token = await issuer.sign();
    const denied = (arn: string) => rejects(assume({ RoleArn: arn, WebIdentityToken: token }), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
    await denied(`arn:aws:iam::${ACCOUNT}:role/no-such-role`);
    const other = (await iam.send(new CreateRoleCommand({
      RoleName: 'trusts-other',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/other.example.com` }, Action: 'sts:AssumeRoleWithWebIdentity' }),
    }))).Role!.Arn!;
    await denied(other);
    const star = (await iam.send(new CreateRoleCommand({ RoleName: 'trusts-star', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' }) }))).Role!.Arn!;
    await denied(star);
  });

  test('an explicit Deny on a condition key wins', async () => {
    const arn = await federatedRole('no-forks', issuer, 'repo:org/*', [
      { Effect: 'Deny', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${issuer.id}:sub`]: 'repo:org/fork*' } } },
    ]);
    await assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ sub: 'repo:org/app' }) });
    await rejects(assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ sub: 'repo:org/fork-1' }) }), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  });

  test('sts:RoleSessionName and :amr are there to test', async () => {
    const arn = (await iam.send(new CreateRoleCommand({
      RoleName: 'named-sessions',
      AssumeRolePolicyDocument: policy({
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'sts:RoleSessionName': 'ok-name' }, 'ForAnyValue:StringEquals': { [`${issuer.id}:amr`]: 'mfa' } },
      }),
    }))).Role!.Arn!;
    await assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ amr: ['pwd', 'mfa'] }), RoleSessionName: 'ok-name' });
    await rejects(assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ amr: ['pwd', 'mfa'] }), RoleSessionName: 'other-name' }), 'AccessDenied', /sts:AssumeRoleWithWebIdentity/, 403);
    await rejects(assume({ RoleArn: arn, WebIdentityToken: await issuer.sign({ amr: ['pwd'] }), RoleSessionName: 'ok-name' }), 'AccessDenied', /sts:AssumeRoleWithWebIdentity/, 403);
  });

  test('session tags and a source identity from the token need sts:TagSession and sts:SetSourceIdentity', async () => {
    const claims = {
      'https://aws.amazon.com/tags': { principal_tags: { team: ['blue'] }, transitive_tag_keys: ['team'] },
      'https://aws.amazon.com/source_identity': 'alice',
    };
    const plain = await federatedRole('no-tags', issuer);
    await rejects(assume({ RoleArn: plain, WebIdentityToken: await issuer.sign(claims) }), 'AccessDenied', 'Not authorized to perform sts:TagSession', 403);
    const tagging = await federatedRole('tags-ok', issuer, SUBJECT, [
      { Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:TagSession', 'sts:SetSourceIdentity'], Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } },
    ]);
    const out = await assume({ RoleArn: tagging, WebIdentityToken: await issuer.sign(claims) });
    assert.equal(out.SourceIdentity, 'alice');
    const red = { ...claims, 'https://aws.amazon.com/tags': { principal_tags: { team: ['red'] } } };
    await rejects(assume({ RoleArn: tagging, WebIdentityToken: await issuer.sign(red) }), 'AccessDenied', 'Not authorized to perform sts:TagSession', 403);
  });
});

describe('tokens that do not verify', () => {
  test('a tampered token: the signature does not hold', async () => {
    const [header, , signature] = (await issuer.sign()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: issuer.url, aud: 'client-1', sub: SUBJECT, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url');
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: `${header}.${forged}.${signature}` }), 'InvalidIdentityTokenException', 'The web identity token provided could not be validated', 400);
  });

  test('not a JWT, or signed with an algorithm STS does not take', async () => {
    const text = 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)';
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: 'this-is-no-token' }), 'InvalidIdentityTokenException', text, 400);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: issuer.url, aud: 'client-1', sub: SUBJECT, exp: 2e9 })).toString('base64url')}.`;
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: unsigned }), 'InvalidIdentityTokenException', text, 400);
  });

  test('the audience: another client id, none at all, and azp taking precedence over aud', async () => {
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ aud: 'client-2' }) }), 'InvalidIdentityTokenException', 'Incorrect token audience', 400);
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ aud: undefined }) }), 'InvalidIdentityTokenException', 'Missing a required claim: aud', 400);
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ aud: 'client-1', azp: 'someone-else' }) }), 'InvalidIdentityTokenException', 'Incorrect token audience', 400);
    // aud lists several; the one among the client ids is the audience.
    const out = await assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ aud: ['api', 'client-1'] }) });
    assert.equal(out.Audience, 'client-1');
  });

  test('an issuer with no provider in the role account', async () => {
    const token = await issuer.sign({ iss: 'https://unknown.example.com' });
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: token }), 'InvalidIdentityTokenException', 'No OpenIDConnect provider found in your account for https://unknown.example.com', 400);
    await rejects(assume({ RoleArn: 'arn:aws:iam::999999999999:role/elsewhere', WebIdentityToken: await issuer.sign() }), 'InvalidIdentityTokenException', `No OpenIDConnect provider found in your account for ${issuer.url}`, 400);
  });

  test('expired: AWS text with both times; within the clock skew it still passes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const error = await rejects(
      assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ iat: now - 7200, exp: now - 3600 }) }),
      'ExpiredTokenException',
      new RegExp(`^Token expired: current date/time (\\d+) must be before the expiration date/time ${now - 3600}$`),
      400,
    );
    const current = Number(/date\/time (\d+) must/.exec(error.message)![1]);
    assert.ok(current >= now && current < now + 60, `current ${current}, now ${now}`);
    await assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ exp: now - 5 }) });
  });

  test('not yet valid (nbf), issued in the future (iat), no exp at all', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ nbf: now + 3600, exp: now + 7200 }) }), 'InvalidIdentityTokenException', /^Token used too early: current date\/time \d+ must be after the not-before date\/time \d+$/, 400);
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ iat: now + 3600, exp: now + 7200 }) }), 'InvalidIdentityTokenException', /^Token used too early: current date\/time \d+ must be after the issued-at date\/time \d+$/, 400);
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ exp: undefined }) }), 'InvalidIdentityTokenException', 'Missing a required claim: exp', 400);
  });

  test('a key id the issuer does not publish: fetched again once, then refused', async () => {
    const own = await startIssuer();
    try {
      await provider(own);
      const arn = await federatedRole('unknown-kid', own);
      await assume({ RoleArn: arn, WebIdentityToken: await own.sign() });
      await rejects(
        assume({ RoleArn: arn, WebIdentityToken: await own.sign({}, { key: 'unpublished' }) }),
        'InvalidIdentityTokenException',
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        400,
      );
      assert.equal(own.requests.filter((r) => r === '/keys').length, 2);
      // Made-up key ids do not make iamd ask again within the cool-down.
      await rejects(assume({ RoleArn: arn, WebIdentityToken: await own.sign({}, { kid: 'made-up' }) }), 'InvalidIdentityTokenException', /Couldn't retrieve verification key/, 400);
      assert.equal(own.requests.filter((r) => r === '/keys').length, 2);
    } finally {
      await own.close();
    }
  });

  test('the issuer rotated its keys: the new key id is fetched and verifies', async () => {
    const own = await startIssuer();
    try {
      await provider(own);
      const arn = await federatedRole('rotating', own);
      await assume({ RoleArn: arn, WebIdentityToken: await own.sign() });
      await own.rotate();
      await assume({ RoleArn: arn, WebIdentityToken: await own.sign() });
    } finally {
      await own.close();
    }
  });

  test('an issuer that cannot be reached, or whose certificate the provider does not trust: IDPCommunicationError', async () => {
    const text = 'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.';
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const gone = `https://127.0.0.1:${closed}`;
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: gone, ClientIDList: ['client-1'] }));
    await rejects(assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign({ iss: gone }) }), 'IDPCommunicationErrorException', text, 400);

    const untrusted = await startIssuer();
    try {
      const arn = await provider(untrusted, ['client-1'], []);
      const role = await federatedRole('untrusted', untrusted);
      await rejects(assume({ RoleArn: role, WebIdentityToken: await untrusted.sign() }), 'IDPCommunicationErrorException', text, 400);
      await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['0'.repeat(40)] }));
      await rejects(assume({ RoleArn: role, WebIdentityToken: await untrusted.sign() }), 'IDPCommunicationErrorException', text, 400);
      await iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: [untrusted.thumbprint.toUpperCase()] }));
      await assume({ RoleArn: role, WebIdentityToken: await untrusted.sign() });
    } finally {
      await untrusted.close();
    }
  });

  test('a discovery document that names another issuer gives no keys', async () => {
    const own = await startIssuer();
    try {
      own.discoveryIssuer = 'https://impostor.example.com';
      await provider(own);
      const arn = await federatedRole('impostor', own);
      await rejects(assume({ RoleArn: arn, WebIdentityToken: await own.sign() }), 'InvalidIdentityTokenException', /^Couldn't retrieve verification key/, 400);
    } finally {
      await own.close();
    }
  });
});

describe('the request itself', () => {
  test('input errors are answered unsigned, as validation errors', async () => {
    await rejects(
      assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign(), RoleSessionName: 'a' }),
      'ValidationError',
      "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      400,
    );
    const user = `arn:aws:iam::${ACCOUNT}:user/not-a-role`;
    await rejects(assume({ RoleArn: user, WebIdentityToken: await issuer.sign() }), 'ValidationError', `${user} is invalid`, 400);
  });

  test('DurationSeconds beyond the role maximum', async () => {
    await rejects(
      assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign(), DurationSeconds: 7200 }),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      400,
    );
  });

  test('PackedPolicyTooLarge for session policies over the limit', async () => {
    const managed = (await iam.send(new CreatePolicyCommand({ PolicyName: 'session-extra', PolicyDocument: policy(allow('iam:GetRole')) }))).Policy!.Arn!;
    // 2040 characters: within the 2048 of the inline policy, over them with the managed policy's ARN.
    const padding = 2040 - policy(allow('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/`)).length;
    const inline = policy(allow('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(padding)}`));
    assert.ok(inline.length <= 2048 && inline.length + managed.length > 2048, `inline ${inline.length}`);
    await rejects(
      assume({ RoleArn: roleArn, WebIdentityToken: await issuer.sign(), Policy: inline, PolicyArns: [{ arn: managed }] }),
      'PackedPolicyTooLargeException',
      'Packed policy consumes 100% of allotted space, please use smaller policy.',
      400,
    );
  });
});

describe('offline key sets (--oidc-jwks)', () => {
  test('an issuer iamd never reaches verifies with the key set it was given', async () => {
    const signer = await startIssuer();
    const offlineUrl = 'https://offline-idp.example.com';
    const file = join(tempDir('iamd-jwks-'), 'jwks.json');
    writeFileSync(file, JSON.stringify(signer.jwks()));
    const offline = await startServer(['--oidc-jwks', `${offlineUrl}=${file}`]);
    try {
      const offIam = offline.iam();
      await offIam.send(new CreateOpenIDConnectProviderCommand({ Url: offlineUrl, ClientIDList: ['client-1'] }));
      const arn = (await offIam.send(new CreateRoleCommand({
        RoleName: 'offline',
        AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/offline-idp.example.com` }, Action: 'sts:AssumeRoleWithWebIdentity' }),
      }))).Role!.Arn!;
      const offSts = new STSClient({ endpoint: offline.url, region: 'us-east-1', maxAttempts: 1 });
      const out = await assume({ RoleArn: arn, WebIdentityToken: await signer.sign({ iss: offlineUrl }) }, offSts);
      assert.equal(out.Provider, `arn:aws:iam::${ACCOUNT}:oidc-provider/offline-idp.example.com`);
      await rejects(assume({ RoleArn: arn, WebIdentityToken: await signer.sign({ iss: offlineUrl }, { key: 'unpublished' }) }, offSts), 'InvalidIdentityTokenException', /^Couldn't retrieve verification key/, 400);
      assert.deepEqual(signer.requests, []);
    } finally {
      await offline.close();
      await signer.close();
    }
  });
});

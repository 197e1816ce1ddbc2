// STS through the wire: who the caller is, and AssumeRole's rules — session names, durations, session
// policies, session tags and source identity with their own permissions, role chaining, two accounts —
// and expired session credentials, against the answers recorded from AWS.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreatePolicyCommand, CreateRoleCommand, GetRoleCommand, ListRolesCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { saveSession } from '../../src/sts/sessions.ts';
import { ROOT, startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, sessionCredentials, trust, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let iam: IAMClient;
/** Root may not assume roles (AWS: "Roles may not be assumed by root accounts."), so a user does. */
let assumer: Credentials;

before(async () => {
  server = await startServer();
  iam = server.iam();
  assumer = await userWithKey(iam, 'assumer', policy(allow('sts:*')));
});
after(() => server.close());

const roleArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;

/** A role trusting this account (as recorded: the bare account id), with one inline policy. */
async function role(name: string, options: { actions?: string[]; inline?: string; client?: IAMClient; trusted?: string } = {}): Promise<string> {
  const client = options.client ?? iam;
  const doc = policy({ Effect: 'Allow', Principal: { AWS: options.trusted ?? ACCOUNT }, Action: options.actions ?? 'sts:AssumeRole' });
  const created = (await client.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc }))).Role!;
  if (options.inline) await client.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: options.inline }));
  return created.Arn!;
}

async function assume(input: Partial<AssumeRoleCommandInput> & { RoleArn: string }, credentials: Credentials = assumer, region?: string) {
  return server.sts(credentials, region).send(new AssumeRoleCommand({ RoleSessionName: 'session', ...input }));
}

describe('GetCallerIdentity', () => {
  test('the root user, an IAM user and a role session', async () => {
    const root = await server.sts().send(new GetCallerIdentityCommand({}));
    assert.deepEqual([root.Account, root.Arn, root.UserId], [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, ACCOUNT]);

    // No permission is needed, even with none at all.
    const user = await server.sts(await userWithKey(iam, 'who-am-i')).send(new GetCallerIdentityCommand({}));
    assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/who-am-i`);
    assert.equal(user.Account, ACCOUNT);
    assert.match(user.UserId!, /^AIDA[A-Z2-7]{17}$/);

    const arn = await role('identity-role');
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'identity-role' }))).Role!.RoleId!;
    const assumed = await assume({ RoleArn: arn, RoleSessionName: 'my-session' });
    const session = await server.sts(sessionCredentials(assumed.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([session.Account, session.Arn, session.UserId], [ACCOUNT, `arn:aws:sts::${ACCOUNT}:assumed-role/identity-role/my-session`, `${roleId}:my-session`]);
  });

  test('GetSessionToken credentials act as the user who asked for them', async () => {
    const credentials = await userWithKey(iam, 'token-user');
    const token = await server.sts(credentials).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    assert.deepEqual(Object.keys(token.Credentials!).sort(), ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken']);
    const who = await server.sts(sessionCredentials(token.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/token-user`);
  });
});

describe('AssumeRole', () => {
  test('answers with the recorded members: no PackedPolicySize or SourceIdentity unless asked for', async () => {
    const arn = await role('plain');
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'plain' }))).Role!.RoleId!;
    const before = Date.now();
    const answer = await assume({ RoleArn: arn, RoleSessionName: 'recorded' });
    assert.deepEqual(Object.keys(answer).filter((k) => k !== '$metadata').sort(), ['AssumedRoleUser', 'Credentials']);
    assert.deepEqual(answer.AssumedRoleUser, { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/plain/recorded`, AssumedRoleId: `${roleId}:recorded` });
    const c = answer.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    // One hour by default, to the second.
    const expires = c.Expiration!.getTime();
    assert.ok(expires >= Math.floor(before / 1000) * 1000 + 3600_000 && expires <= Date.now() + 3600_000, c.Expiration!.toISOString());
  });

  test('RoleSessionName: AWS\'s pattern and length, with the value quoted as recorded', async () => {
    const arn = await role('named');
    await rejects(
      assume({ RoleArn: arn, RoleSessionName: 'Session1:2' }),
      'ValidationError',
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      400,
    );
    const long = 's'.repeat(65);
    await rejects(
      assume({ RoleArn: arn, RoleSessionName: long }),
      'ValidationError',
      `1 validation error detected: Value '${long}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      400,
    );
    const ok = await assume({ RoleArn: arn, RoleSessionName: 'a+b=c,d.e@f-g_h' });
    assert.equal(ok.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/named/a+b=c,d.e@f-g_h`);
  });

  test('a RoleArn that is not an ARN is invalid, in AWS\'s words', async () => {
    for (const bad of ['nothing-valid-in-here', 'arn::b:::something/test-role', 'arn:a::::something/test-role', 'arn:a:::something/test-role', 'arn:a:a::aaaaaaaaaa:']) {
      await rejects(assume({ RoleArn: bad }), 'ValidationError', `${bad} is invalid`, 400);
    }
  });

  test('a role that does not exist looks like one the caller may not assume', async () => {
    await rejects(
      assume({ RoleArn: roleArn('no-such-role') }),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/assumer is not authorized to perform: sts:AssumeRole on resource: ${roleArn('no-such-role')}`,
      403,
    );
  });

  test('DurationSeconds: 900 at least, the role\'s MaxSessionDuration at most', async () => {
    const arn = await role('timed');
    await rejects(
      assume({ RoleArn: arn, DurationSeconds: 899 }),
      'ValidationError',
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      400,
    );
    await rejects(
      assume({ RoleArn: arn, DurationSeconds: 3601 }),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      400,
    );
    const short = await assume({ RoleArn: arn, DurationSeconds: 900 });
    const left = short.Credentials!.Expiration!.getTime() - Date.now();
    assert.ok(left > 890_000 && left <= 900_000, `${left} ms left`);
  });

  test('role chaining: at most one hour, whatever the role allows', async () => {
    const first = await role('chain-first', { inline: policy(allow('sts:AssumeRole')) });
    await iam.send(new CreateRoleCommand({ RoleName: 'chain-second', AssumeRolePolicyDocument: trust(first), MaxSessionDuration: 43200 }));
    const session = sessionCredentials((await assume({ RoleArn: first })).Credentials);
    // The second role allows twelve hours; a chained session still gets one at most.
    await rejects(
      assume({ RoleArn: roleArn('chain-second'), DurationSeconds: 3601 }, session),
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      400,
    );
    const chained = await assume({ RoleArn: roleArn('chain-second'), DurationSeconds: 3600 }, session);
    assert.equal(chained.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/chain-second/session`);
    const who = await server.sts(sessionCredentials(chained.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, chained.AssumedRoleUser!.Arn);
  });

  test('the trust policy decides who may assume: a user it names, or an account whose user is allowed', async () => {
    const named = await userWithKey(iam, 'named-in-trust');
    await iam.send(new CreateRoleCommand({ RoleName: 'trusts-user', AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/named-in-trust`) }));
    await assume({ RoleArn: roleArn('trusts-user') }, named);

    const arn = await role('trusts-account');
    const unprivileged = await userWithKey(iam, 'no-assume');
    await rejects(
      assume({ RoleArn: arn }, unprivileged),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/no-assume is not authorized to perform: sts:AssumeRole on resource: ${arn} because no identity-based policy allows the sts:AssumeRole action`,
      403,
    );
    const privileged = await userWithKey(iam, 'may-assume', policy(allow('sts:AssumeRole', arn)));
    await assume({ RoleArn: arn }, privileged);
  });
});

describe('session policies', () => {
  test('Policy and PolicyArns narrow the session to what both allow', async () => {
    const arn = await role('broad', { inline: policy(allow(['iam:ListRoles', 'iam:GetRole', 'iam:ListUsers'])) });
    const inline = await assume({ RoleArn: arn, Policy: policy(allow('iam:GetRole')) });
    assert.ok(inline.PackedPolicySize! > 0 && inline.PackedPolicySize! <= 100, `PackedPolicySize ${inline.PackedPolicySize}`);
    const narrow = server.iam(sessionCredentials(inline.Credentials));
    await narrow.send(new GetRoleCommand({ RoleName: 'broad' }));
    await rejects(
      narrow.send(new ListRolesCommand({})),
      'AccessDenied',
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/broad/session is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::${ACCOUNT}:role/ because no session policy allows the iam:ListRoles action`,
      403,
    );

    const managed = (await iam.send(new CreatePolicyCommand({ PolicyName: 'session-list-roles', PolicyDocument: policy(allow('iam:ListRoles')) }))).Policy!.Arn!;
    const byArn = await assume({ RoleArn: arn, PolicyArns: [{ arn: managed }] });
    const listing = server.iam(sessionCredentials(byArn.Credentials));
    await listing.send(new ListRolesCommand({}));
    await rejects(listing.send(new GetRoleCommand({ RoleName: 'broad' })), 'AccessDenied', /because no session policy allows the iam:GetRole action$/, 403);

    // A session policy never grants more than the role has.
    const wider = await assume({ RoleArn: arn, Policy: policy(allow('iam:*')) });
    await rejects(server.iam(sessionCredentials(wider.Credentials)).send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: trust(ACCOUNT) })), 'AccessDenied', undefined, 403);
  });

  test('a malformed session policy, an unknown policy ARN, too large a packed policy', async () => {
    const arn = await role('session-errors');
    await rejects(assume({ RoleArn: arn, Policy: '{"Version": "2012-10-17", "Statement": [' }), 'MalformedPolicyDocumentException', undefined, 400);
    const missing = `arn:aws:iam::${ACCOUNT}:policy/not-there`;
    await rejects(assume({ RoleArn: arn, PolicyArns: [{ arn: missing }] }), 'InvalidParameterValue', `Policy ${missing} does not exist or is not attachable.`, 400);
    const big = policy(...Array.from({ length: 40 }, (_, i) => allow(`s3:GetObject${i}`, `arn:aws:s3:::bucket-with-a-long-name-${i}/*`)));
    await rejects(
      assume({ RoleArn: arn, Policy: big }),
      'PackedPolicyTooLargeException',
      'Packed policy consumes 100% of allotted space, please use smaller policy.',
      400,
    );
  });
});

describe('session tags and source identity', () => {
  test('Tags need sts:TagSession in the trust policy, then act as aws:PrincipalTag', async () => {
    const onlyAssume = await role('untaggable');
    await rejects(
      assume({ RoleArn: onlyAssume, Tags: [{ Key: 'team', Value: 'blue' }] }),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/assumer is not authorized to perform: sts:TagSession on resource: ${onlyAssume}`,
      403,
    );
    const taggable = await role('taggable', {
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      inline: policy(allow('iam:ListRoles', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } })),
    });
    const blue = await assume({ RoleArn: taggable, Tags: [{ Key: 'team', Value: 'blue' }] });
    await server.iam(sessionCredentials(blue.Credentials)).send(new ListRolesCommand({}));
    const red = await assume({ RoleArn: taggable, Tags: [{ Key: 'team', Value: 'red' }] });
    await rejects(server.iam(sessionCredentials(red.Credentials)).send(new ListRolesCommand({})), 'AccessDenied', undefined, 403);
  });

  test('tag validation has the recorded texts', async () => {
    const arn = await role('tag-validation', { actions: ['sts:AssumeRole', 'sts:TagSession'] });
    await rejects(
      assume({ RoleArn: arn, Tags: [{ Key: 'k', Value: '1' }], TransitiveTagKeys: ['other'] }),
      'InvalidParameterValue',
      'The specified transitive tag key must be included in the requested tags.',
      400,
    );
    await rejects(
      assume({ RoleArn: arn, Tags: [{ Key: 'key', Value: '1' }, { Key: 'KEY', Value: '2' }] }),
      'InvalidParameterValue',
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      400,
    );
  });

  test('transitive tags pass along a role chain and cannot be overridden there', async () => {
    const tagging = ['sts:AssumeRole', 'sts:TagSession'];
    const first = await role('transitive-first', { actions: tagging, inline: policy(allow('sts:AssumeRole')) });
    const second = await role('transitive-second', {
      actions: tagging,
      inline: policy(allow('iam:ListRoles', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/project': 'apollo' } } })),
    });
    const start = await assume({ RoleArn: first, Tags: [{ Key: 'project', Value: 'apollo' }, { Key: 'note', Value: 'x' }], TransitiveTagKeys: ['project'] });
    const firstSession = sessionCredentials(start.Credentials);
    // The transitive tag reaches the next session, where the policy's condition reads it.
    const chained = await assume({ RoleArn: second }, firstSession);
    await server.iam(sessionCredentials(chained.Credentials)).send(new ListRolesCommand({}));
    // …and cannot be set to something else along the way (any case of the key).
    await rejects(
      assume({ RoleArn: second, Tags: [{ Key: 'PROJECT', Value: 'gemini' }] }, firstSession),
      'InvalidParameterValue',
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
      400,
    );
    // A tag that was not transitive does not travel.
    const withNote = await role('transitive-note', {
      actions: tagging,
      inline: policy(allow('iam:ListRoles', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/note': 'x' } } })),
    });
    const noted = await assume({ RoleArn: withNote }, firstSession);
    await rejects(server.iam(sessionCredentials(noted.Credentials)).send(new ListRolesCommand({})), 'AccessDenied', undefined, 403);
  });

  test('SourceIdentity needs sts:SetSourceIdentity, and is echoed back', async () => {
    const without = await role('no-source-identity');
    await rejects(
      assume({ RoleArn: without, SourceIdentity: 'alice' }),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/assumer is not authorized to perform: sts:SetSourceIdentity on resource: ${without}`,
      403,
    );
    const withIt = await role('source-identity', { actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'] });
    const answer = await assume({ RoleArn: withIt, SourceIdentity: 'alice' });
    assert.equal(answer.SourceIdentity, 'alice');
  });
});

describe('across accounts', () => {
  test('both the trust policy and the caller\'s own policies must allow', async () => {
    const otherRoot = await newAccount(server, OTHER_ACCOUNT);
    const other = server.iam(otherRoot);
    const shared = await role('shared', { client: other, trusted: `arn:aws:iam::${ACCOUNT}:root` });
    assert.equal(shared, roleArn('shared', OTHER_ACCOUNT));
    const closed = await role('closed', { client: other, trusted: OTHER_ACCOUNT });

    const allowed = await userWithKey(iam, 'cross-allowed', policy(allow('sts:AssumeRole', `arn:aws:iam::${OTHER_ACCOUNT}:role/*`)));
    const assumed = await assume({ RoleArn: shared }, allowed);
    assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/shared/session`);
    const who = await server.sts(sessionCredentials(assumed.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, OTHER_ACCOUNT);

    await rejects(
      assume({ RoleArn: shared }, await userWithKey(iam, 'cross-unallowed')),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/cross-unallowed is not authorized to perform: sts:AssumeRole on resource: ${shared} because no identity-based policy allows the sts:AssumeRole action`,
      403,
    );
    await rejects(
      assume({ RoleArn: closed }, allowed),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/cross-allowed is not authorized to perform: sts:AssumeRole on resource: ${closed}`,
      403,
    );
    // A trust policy naming the caller's account lets in no root: root never assumes a role.
    await assume({ RoleArn: shared });
    await rejects(assume({ RoleArn: shared }, ROOT), 'AccessDenied', 'Roles may not be assumed by root accounts.', 403);
    await rejects(assume({ RoleArn: closed }, ROOT), 'AccessDenied', 'Roles may not be assumed by root accounts.', 403);
  });
});

describe('expired credentials', () => {
  test('an expired session is ExpiredToken on IAM and STS', async () => {
    const arn = await role('expired-role');
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'expired-role' }))).Role!.RoleId!;
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = `expired-${randomBytes(24).toString('base64')}`;
    const issuedAt = Date.now() - 2 * 3600_000;
    await server.iamd.store.transaction((tx) =>
      saveSession(tx, server.iamd.secrets, accessKeyId, {
        account: ACCOUNT,
        secretAccessKey,
        sessionToken,
        issuedAt,
        expiresAt: issuedAt + 3600_000,
        region: 'us-east-1',
        role: { roleArn: arn, roleName: 'expired-role', roleId, sessionName: 'old', issuedAt, expiresAt: issuedAt + 3600_000, sessionPolicies: [], tags: {} },
      }),
    );
    const expired = { accessKeyId, secretAccessKey, sessionToken };
    const text = 'The security token included in the request is expired';
    // AWS's authentication layer answers ExpiredToken on every query service, STS included (STS's
    // modelled ExpiredTokenException is about web identity and SAML tokens), so the SDK names it so.
    await rejects(server.sts(expired).send(new GetCallerIdentityCommand({})), 'ExpiredToken', text, 403);
    await rejects(server.iam(expired).send(new ListRolesCommand({})), 'ExpiredToken', text, 403);
  });
});

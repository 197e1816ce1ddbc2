// The server as a user meets it: started for real, driven by the real AWS SDK clients.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  DeleteUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { request as httpRequest } from 'node:http';
import { signHeader } from '../auth/signer.ts';
import { ROOT, spawnServer, startServer, tempDir, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, policy, trustAccount as trustAccountOf, userWithKey } from '../helpers/iam.ts';

const trustAccount = trustAccountOf();


let server: TestServer;
let iam: IAMClient;


before(async () => {
  server = await startServer(['--allow-reset']);
  iam = server.iam();
});
after(() => server.close());

describe('iamd endpoints', () => {
  test('health answers 200 once ready', async () => {
    const response = await fetch(`${server.url}/_iamd/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('reset wipes the account back to a fresh start', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'before-reset', AssumeRolePolicyDocument: trustAccount }));
    const response = await fetch(`${server.url}/_iamd/reset`, { method: 'POST' });
    assert.equal(response.status, 200);
    await rejects(iam.send(new GetRoleCommand({ RoleName: 'before-reset' })), 'NoSuchEntityException', 'The role with name before-reset cannot be found.', 404);
    assert.equal((await server.sts().send(new GetCallerIdentityCommand({}))).Account, ACCOUNT);
  });
});

describe('authentication', () => {
  test('root is the account itself', async () => {
    const who = await server.sts().send(new GetCallerIdentityCommand({}));
    assert.deepEqual([who.Account, who.Arn, who.UserId], [ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, ACCOUNT]);
  });

  test('an unknown key is InvalidClientTokenId', async () => {
    await rejects(
      server.iam({ accessKeyId: 'AKIAUNKNOWNUNKNOWN12', secretAccessKey: 'x' }).send(new ListRolesCommand({})),
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      403,
    );
  });

  test('a wrong secret is SignatureDoesNotMatch', async () => {
    await rejects(
      server.iam({ accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new ListRolesCommand({})),
      'SignatureDoesNotMatch',
      /^The request signature we calculated does not match the signature you provided/,
      403,
    );
  });

  test('no credentials at all is MissingAuthenticationToken', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListRoles&Version=2010-05-08',
    });
    assert.equal(response.status, 403);
    const body = await response.text();
    assert.match(body, /<Code>MissingAuthenticationToken<\/Code>/);
  });

  test('a request signed 20 minutes ago is refused as skewed', async () => {
    const skewed = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1, systemClockOffset: -20 * 60_000 });
    await assert.rejects(skewed.send(new ListRolesCommand({})), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.$metadata?.httpStatusCode, 403);
      assert.match(error.name, /SignatureDoesNotMatch|RequestTimeTooSkewed|RequestExpired/);
      return true;
    });
  });

  test('a signed header sent twice is signed as its values joined with commas, and only so', async () => {
    // Node joins a repeated header with ', ' (or keeps only the first); SigV4 joins the values with ','.
    const host = new URL(server.url).host;
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const send = async (signedValue: string) => {
      const signed = await signHeader({
        service: 'sts', credentials: ROOT, body,
        headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'x-amz-meta-repeated': signedValue },
      });
      const headers: Record<string, string | string[]> = { ...(signed.headers as Record<string, string>), 'x-amz-meta-repeated': ['a', 'b'] };
      return new Promise<number>((resolve, reject) => {
        const req = httpRequest(server.url, { method: 'POST', headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    };
    assert.equal(await send('a,b'), 200);
    assert.equal(await send('a, b'), 403);
  });

  test('session credentials sign later requests, and expired ones are ExpiredToken', async () => {
    const session = (await server.sts().send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    const credentials = { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! };
    assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.equal((await server.sts(credentials).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:root`);
    await rejects(
      server.sts({ ...credentials, sessionToken: 'not-the-token' }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
      undefined,
      403,
    );
  });
});

describe('enforcement on every call', () => {
  test('a user may do only what its policies allow, with AWS AccessDenied text', async () => {
    const bob = server.iam(await userWithKey(iam, 'bob'));
    await rejects(
      bob.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trustAccount })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCOUNT}:role/r because no identity-based policy allows the iam:CreateRole action`,
      403,
    );
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'roles', PolicyDocument: policy(allow('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/r*`)) }));
    const created = await bob.send(new CreateRoleCommand({ RoleName: 'r-bob', AssumeRolePolicyDocument: trustAccount }));
    assert.equal(created.Role?.RoleName, 'r-bob');
    await rejects(bob.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: trustAccount })), 'AccessDenied');
  });

  test('a policy change takes effect on the next request', async () => {
    const carol = server.iam(await userWithKey(iam, 'carol', policy(allow('iam:ListRoles'))));
    await carol.send(new ListRolesCommand({}));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'inline' }));
    await rejects(carol.send(new ListRolesCommand({})), 'AccessDenied');
  });

  test('an explicit deny wins, and says so', async () => {
    const dave = server.iam(await userWithKey(iam, 'dave', policy(allow('iam:*'), deny('iam:ListRoles'))));
    await rejects(bob(dave), 'AccessDenied', /with an explicit deny in an identity-based policy$/);
    function bob(client: IAMClient) {
      return client.send(new ListRolesCommand({}));
    }
  });

  test('global condition keys: aws:CurrentTime, aws:EpochTime, aws:username, aws:RequestedRegion', async () => {
    const now = Math.floor(Date.now() / 1000);
    const inAnHour = new Date((now + 3600) * 1000).toISOString();
    const timed = server.iam(await userWithKey(iam, 'timed', policy(allow('iam:ListRoles', '*', {
      Condition: {
        DateLessThan: { 'aws:CurrentTime': inAnHour },
        NumericGreaterThan: { 'aws:EpochTime': String(now - 60) },
        StringEquals: { 'aws:username': 'timed', 'aws:RequestedRegion': 'us-east-1' },
      },
    }))));
    await timed.send(new ListRolesCommand({}));
    const late = server.iam(await userWithKey(iam, 'late', policy(allow('iam:ListRoles', '*', { Condition: { DateGreaterThan: { 'aws:CurrentTime': inAnHour } } }))));
    await rejects(late.send(new ListRolesCommand({})), 'AccessDenied');
    const elsewhere = server.iam(await userWithKey(iam, 'elsewhere', policy(allow('iam:ListRoles', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }))));
    await rejects(elsewhere.send(new ListRolesCommand({})), 'AccessDenied');
  });

  test('group members get their groups\' policies', async () => {
    const erin = server.iam(await userWithKey(iam, 'erin'));
    await rejects(erin.send(new ListRolesCommand({})), 'AccessDenied');
    await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'read', PolicyDocument: policy(allow('iam:ListRoles')) }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'erin' }));
    await erin.send(new ListRolesCommand({}));
  });

  test('a permissions boundary limits a user', async () => {
    const frank = server.iam(await userWithKey(iam, 'frank', policy(allow('iam:*'))));
    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'only-get-role', PolicyDocument: policy(allow('iam:GetRole')) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'frank', PermissionsBoundary: boundary.Policy!.Arn! }));
    await rejects(frank.send(new ListRolesCommand({})), 'AccessDenied', /because no permissions boundary allows the iam:ListRoles action$/);
  });

  test('assumed roles act with the role\'s policies, limited by its boundary and by session policies', async () => {
    const grace = await userWithKey(iam, 'grace', policy(allow('sts:AssumeRole')));
    await iam.send(new CreateRoleCommand({ RoleName: 'admin', AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    const assumed = await server.sts(grace).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, RoleSessionName: 'work' }));
    assert.equal(assumed.AssumedRoleUser?.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/admin/work`);
    const c = assumed.Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await server.sts(session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/admin/work`);
    assert.match(who.UserId!, /^AROA[A-Z2-7]+:work$/);
    await server.iam(session).send(new ListRolesCommand({}));

    const limited = await server.sts(grace).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, RoleSessionName: 'narrow', Policy: policy(allow('iam:GetRole')) }),
    );
    const l = limited.Credentials!;
    const narrow = server.iam({ accessKeyId: l.AccessKeyId!, secretAccessKey: l.SecretAccessKey!, sessionToken: l.SessionToken! });
    await narrow.send(new GetRoleCommand({ RoleName: 'admin' }));
    await rejects(narrow.send(new ListRolesCommand({})), 'AccessDenied', /because no session policy allows the iam:ListRoles action$/);

    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'role-boundary', PolicyDocument: policy(allow('iam:GetRole')) }));
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'admin', PermissionsBoundary: boundary.Policy!.Arn! }));
    await rejects(server.iam(session).send(new ListRolesCommand({})), 'AccessDenied', /because no permissions boundary allows/);
  });

  test('AssumeRole needs the trust policy to allow the caller', async () => {
    const henry = await userWithKey(iam, 'henry', policy(allow('sts:AssumeRole')));
    await iam.send(new CreateRoleCommand({
      RoleName: 'trusts-nobody',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/someone-else` }, Action: 'sts:AssumeRole' }),
    })).catch(async () => {
      // AWS refuses principals that do not exist; trust another account instead.
      await iam.send(new CreateRoleCommand({
        RoleName: 'trusts-nobody',
        AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }),
      }));
    });
    await rejects(
      server.sts(henry).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/trusts-nobody`, RoleSessionName: 'session' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/henry is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/trusts-nobody`,
      403,
    );
  });

  test('within one account, a trust policy naming the account still needs the caller\'s own sts:AssumeRole', async () => {
    const ivan = await userWithKey(iam, 'ivan');
    await iam.send(new CreateRoleCommand({ RoleName: 'needs-identity', AssumeRolePolicyDocument: trustAccount }));
    await rejects(
      server.sts(ivan).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/needs-identity`, RoleSessionName: 'session' })),
      'AccessDenied',
      /because no identity-based policy allows the sts:AssumeRole action$/,
    );
  });

  test('a trust policy naming the user grants by itself', async () => {
    const judy = await userWithKey(iam, 'judy');
    await iam.send(new CreateRoleCommand({
      RoleName: 'for-judy',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/judy` }, Action: 'sts:AssumeRole' }),
    }));
    const out = await server.sts(judy).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/for-judy`, RoleSessionName: 'session' }));
    assert.ok(out.Credentials?.AccessKeyId?.startsWith('ASIA'));
  });

  test('DurationSeconds may not exceed the role\'s MaxSessionDuration', async () => {
    const assumer = await userWithKey(server.iam(), 'long-session', policy(allow('sts:AssumeRole')));
    await rejects(
      server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin`, RoleSessionName: 'session', DurationSeconds: 7200 })),
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      400,
    );
  });
});

describe('durability', () => {
  test('state survives a restart of the server process', async () => {
    const dataDir = tempDir();
    const first = await spawnServer(['--data-dir', dataDir]);
    const client = (url: string) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    await client(first.url).send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: trustAccount }));
    await first.kill('SIGKILL');
    const second = await spawnServer(['--data-dir', dataDir]);
    try {
      const role = await client(second.url).send(new GetRoleCommand({ RoleName: 'kept' }));
      assert.equal(role.Role?.RoleName, 'kept');
    } finally {
      await second.kill();
    }
  });

  test('several worker processes share one port and one store', async () => {
    const server = await spawnServer(['--data-dir', tempDir(), '--workers', '2']);
    try {
      assert.match(server.output(), /2 workers/);
      // Fresh clients open fresh connections, which the cluster hands to the workers in turn.
      const client = () => new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
      await client().send(new CreateRoleCommand({ RoleName: 'seen-by-all', AssumeRolePolicyDocument: trustAccount }));
      for (let i = 0; i < 6; i++) {
        const role = await client().send(new GetRoleCommand({ RoleName: 'seen-by-all' }));
        assert.equal(role.Role?.RoleName, 'seen-by-all');
        client().destroy();
      }
    } finally {
      await server.kill();
    }
    assert.equal(server.process.exitCode, 0, server.output());
  });

  test('iamd refuses to listen beyond loopback with the default root credentials', async () => {
    await assert.rejects(spawnServer(['--host', '0.0.0.0', '--data-dir', tempDir()]), /refusing to listen on 0\.0\.0\.0/);
  });
});

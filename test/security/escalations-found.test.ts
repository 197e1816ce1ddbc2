// The five escalations found by trying iamd as an attacker would, each closed and proved closed
// through the real SDK clients: every attempt is refused with AWS's answer and changes nothing; every
// group has controls showing the permitted path still works.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  ListRolesCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { ROOT, startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, decodeDocument, deny, policy, sessionCredentials, trust, trustAccount, userWithKey } from '../helpers/iam.ts';
import { accessDenied, attempts } from './harness.ts';

let server: TestServer;
let iam: IAMClient;
let refused: ReturnType<typeof attempts>;

before(async () => {
  server = await startServer();
  iam = server.iam();
  refused = attempts(server);
});
after(() => server.close());

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const INVALID_TOKEN = { name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 };

async function deleteUserWithKey(name: string, credentials: Credentials): Promise<void> {
  await iam.send(new DeleteAccessKeyCommand({ UserName: name, AccessKeyId: credentials.accessKeyId }));
  await iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: 'inline' })).catch(() => {});
  await iam.send(new DeleteUserCommand({ UserName: name }));
}

describe('1. a principal named in a policy is that entity, not its name', () => {
  test('a user deleted and made again under the same name does not inherit the trust that named the old one', async () => {
    const assume = policy(allow('sts:AssumeRole'));
    const first = await userWithKey(iam, 'bob', assume);
    const firstId = (await server.sts(first).send(new GetCallerIdentityCommand({}))).UserId!;
    await iam.send(new CreateRoleCommand({ RoleName: 'trusts-bob', AssumeRolePolicyDocument: trust(userArn('bob')) }));
    // Control: the named user may assume the role.
    await server.sts(first).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-bob'), RoleSessionName: 'bob' }));

    await deleteUserWithKey('bob', first);
    // Reads show the unique id the policy now stands for.
    const shown = decodeDocument((await iam.send(new GetRoleCommand({ RoleName: 'trusts-bob' }))).Role!.AssumeRolePolicyDocument) as { Statement: { Principal: { AWS: string } }[] };
    assert.equal(shown.Statement[0]!.Principal.AWS, firstId);
    const listed = (await iam.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'trusts-bob')!;
    assert.match(decodeURIComponent(listed.AssumeRolePolicyDocument!), new RegExp(firstId));

    const second = await userWithKey(iam, 'bob', assume);
    await refused(
      () => server.sts(second).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-bob'), RoleSessionName: 'bob' })),
      accessDenied(`User: ${userArn('bob')} is not authorized to perform: sts:AssumeRole on resource: ${roleArn('trusts-bob')}`),
    );
    // Still the old id after the new bob exists: the policy names the entity that is gone.
    const again = decodeDocument((await iam.send(new GetRoleCommand({ RoleName: 'trusts-bob' }))).Role!.AssumeRolePolicyDocument) as { Statement: { Principal: { AWS: string } }[] };
    assert.equal(again.Statement[0]!.Principal.AWS, firstId);

    // Control: naming the new bob afresh trusts the new bob, and reads show the ARN again.
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trusts-bob', PolicyDocument: trust(userArn('bob')) }));
    await server.sts(second).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-bob'), RoleSessionName: 'bob' }));
    const renamed = decodeDocument((await iam.send(new GetRoleCommand({ RoleName: 'trusts-bob' }))).Role!.AssumeRolePolicyDocument) as { Statement: { Principal: { AWS: string } }[] };
    assert.equal(renamed.Statement[0]!.Principal.AWS, userArn('bob'));
  });

  test('a role deleted and made again does not inherit the trust that named the old one', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'hop', AssumeRolePolicyDocument: trustAccount() }));
    await iam.send(new CreateRoleCommand({ RoleName: 'trusts-hop', AssumeRolePolicyDocument: trust(roleArn('hop')) }));
    const assumer = await userWithKey(iam, 'hopper', policy(allow('sts:AssumeRole')));
    const hop = async () => sessionCredentials((await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: roleArn('hop'), RoleSessionName: 'hop' }))).Credentials);
    // Control: a session of the named role may assume.
    await server.sts(await hop()).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-hop'), RoleSessionName: 'chained' }));

    await iam.send(new DeleteRoleCommand({ RoleName: 'hop' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'hop', AssumeRolePolicyDocument: trustAccount() }));
    const newSession = await hop();
    await refused(() => server.sts(newSession).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-hop'), RoleSessionName: 'chained' })), accessDenied());
  });

  test('a policy naming a user or role that does not exist is refused, as AWS refuses it', async () => {
    for (const arn of [userArn('nobody'), roleArn('no-role'), `arn:aws:iam::${ACCOUNT}:role/wrong/path/trusts-bob`, 'arn:aws:iam::999988887777:user/elsewhere']) {
      await refused(() => iam.send(new CreateRoleCommand({ RoleName: 'names-nobody', AssumeRolePolicyDocument: trust(arn) })), {
        name: 'MalformedPolicyDocumentException',
        message: `Invalid principal in policy: "AWS":"${arn}"`,
        status: 400,
      });
    }
    await refused(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'trusts-bob', PolicyDocument: trust(userArn('nobody')) })), {
      name: 'MalformedPolicyDocumentException',
      message: `Invalid principal in policy: "AWS":"${userArn('nobody')}"`,
      status: 400,
    });
    // Control: accounts, services and existing entities are valid principals.
    await iam.send(new CreateUserCommand({ UserName: 'somebody' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'names-somebody', AssumeRolePolicyDocument: trust(userArn('somebody')) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'names-account', AssumeRolePolicyDocument: trust('arn:aws:iam::999988887777:root') }));
  });

  test('a role session belongs to the role it came from: deleted, its sessions act no more, even under a new role of that name', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ephemeral', AssumeRolePolicyDocument: trustAccount() }));
    const assumer = await userWithKey(iam, 'ephemeral-user', policy(allow('sts:AssumeRole')));
    const session = sessionCredentials((await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: roleArn('ephemeral'), RoleSessionName: 'short-lived' }))).Credentials);
    // Control: the session acts while its role lives.
    await server.sts(session).send(new GetCallerIdentityCommand({}));

    await iam.send(new DeleteRoleCommand({ RoleName: 'ephemeral' }));
    await refused(() => server.sts(session).send(new GetCallerIdentityCommand({})), INVALID_TOKEN);
    await iam.send(new CreateRoleCommand({ RoleName: 'ephemeral', AssumeRolePolicyDocument: trustAccount() }));
    await refused(() => server.sts(session).send(new GetCallerIdentityCommand({})), INVALID_TOKEN);
    await refused(() => server.iam(session).send(new ListRolesCommand({})), INVALID_TOKEN);
  });

  test('GetSessionToken credentials of a deleted user act no more, even under a new user of that name', async () => {
    const first = await userWithKey(iam, 'carol');
    const token = sessionCredentials((await server.sts(first).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    await server.sts(token).send(new GetCallerIdentityCommand({}));
    await deleteUserWithKey('carol', first);
    await userWithKey(iam, 'carol');
    await refused(() => server.sts(token).send(new GetCallerIdentityCommand({})), INVALID_TOKEN);
  });
});

describe("2. the /aws-service-role/ path is AWS's", () => {
  const reserved = { name: 'InvalidInputException', message: "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles", status: 400 };

  test('CreateRole may not squat a service-linked role name and path', async () => {
    for (const Path of ['/aws-service-role/', '/aws-service-role/memorydb.amazonaws.com/', '/aws-service-role/anything/else/']) {
      await refused(
        () => iam.send(new CreateRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB', Path, AssumeRolePolicyDocument: trustAccount() })),
        reserved,
      );
    }
    // The same refusal for a user whose policies allow it: the path is nobody's but AWS's.
    const admin = await userWithKey(iam, 'path-admin', policy(allow('iam:*')));
    await refused(
      () => server.iam(admin).send(new CreateRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB', Path: '/aws-service-role/memorydb.amazonaws.com/', AssumeRolePolicyDocument: trustAccount() })),
      reserved,
    );
  });

  test('controls: the service still creates its role there; other paths are open to customers', async () => {
    const made = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'memorydb.amazonaws.com' }));
    assert.equal(made.Role!.Path, '/aws-service-role/memorydb.amazonaws.com/');
    await iam.send(new CreateRoleCommand({ RoleName: 'customer', Path: '/service-role/', AssumeRolePolicyDocument: trustAccount() }));
    await iam.send(new CreateRoleCommand({ RoleName: 'lookalike', Path: '/aws-service-roles/', AssumeRolePolicyDocument: trustAccount() }));
  });
});

describe('3. GetSessionToken credentials without MFA', () => {
  test('cannot call IAM, and of STS only AssumeRole and GetCallerIdentity', async () => {
    const user = await userWithKey(iam, 'token-holder', policy(allow(['iam:*', 'sts:*'])));
    const token = sessionCredentials((await server.sts(user).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    await refused(() => server.iam(token).send(new CreateUserCommand({ UserName: 'made-with-token' })), INVALID_TOKEN);
    await refused(() => server.iam(token).send(new ListRolesCommand({})), INVALID_TOKEN);
    await refused(() => server.sts(token).send(new GetSessionTokenCommand({})), accessDenied('Cannot call GetSessionToken with session credentials'));

    // Controls: the same user's own keys may call IAM; the token may ask who it is and assume a role.
    await server.iam(user).send(new ListRolesCommand({}));
    assert.equal((await server.sts(token).send(new GetCallerIdentityCommand({}))).Arn, userArn('token-holder'));
    await iam.send(new CreateRoleCommand({ RoleName: 'token-target', AssumeRolePolicyDocument: trustAccount() }));
    await server.sts(token).send(new AssumeRoleCommand({ RoleArn: roleArn('token-target'), RoleSessionName: 'from-token' }));
  });

  test("root's session token is held to the same rule", async () => {
    const token = sessionCredentials((await server.sts().send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    await refused(() => server.iam(token).send(new CreateUserCommand({ UserName: 'made-with-root-token' })), INVALID_TOKEN);
    assert.equal((await server.sts(token).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:root`);
  });
});

describe('4. IAM is global, served from us-east-1', () => {
  test('a Deny on us-east-1 holds whatever region the client signs for', async () => {
    const regional = await userWithKey(
      iam,
      'regional',
      policy(allow('iam:*'), deny('iam:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } })),
    );
    for (const region of ['eu-west-1', 'us-west-2', 'ap-southeast-2']) {
      await refused(() => server.iam(regional, region).send(new CreateUserCommand({ UserName: `escapee-${region}` })), accessDenied(/with an explicit deny in an identity-based policy/));
    }
  });

  test('control: an Allow on us-east-1 holds whatever region the client signs for', async () => {
    const onlyHome = await userWithKey(iam, 'home-region', policy(allow('iam:CreateUser', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } })));
    await server.iam(onlyHome, 'eu-west-1').send(new CreateUserCommand({ UserName: 'made-from-eu-west-1' }));
  });
});

describe('5. root cannot assume a role', () => {
  test('neither with its keys nor with its session token', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'root-target', AssumeRolePolicyDocument: trustAccount() }));
    await iam.send(new CreateRoleCommand({ RoleName: 'root-named', AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`) }));
    const rootRefused = accessDenied('Roles may not be assumed by root accounts.');
    await refused(() => server.sts(ROOT).send(new AssumeRoleCommand({ RoleArn: roleArn('root-target'), RoleSessionName: 'root' })), rootRefused);
    await refused(() => server.sts(ROOT).send(new AssumeRoleCommand({ RoleArn: roleArn('root-named'), RoleSessionName: 'root' })), rootRefused);
    const token = sessionCredentials((await server.sts().send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    await refused(() => server.sts(token).send(new AssumeRoleCommand({ RoleArn: roleArn('root-target'), RoleSessionName: 'root' })), rootRefused);
    // Control: a user of the account may, through the trust that names the account.
    const user = await userWithKey(iam, 'not-root', policy(allow('sts:AssumeRole')));
    await server.sts(user).send(new AssumeRoleCommand({ RoleArn: roleArn('root-target'), RoleSessionName: 'user' }));
  });
});

// Service-specific credentials through the real IAM client: the recorded lifecycle for CodeCommit and
// Keyspaces, Bedrock's API keys, the recorded errors and validation texts, two per user per service,
// listing across users, DeleteUser's recorded refusal, a rename, enforcement — and the password
// nowhere in the events or the SQLite file.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteUserCommand,
  ListServiceSpecificCredentialsCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServiceSpecificCredentialCommand,
  UpdateUserCommand,
  type IAMClient,
  type StatusType,
} from '@aws-sdk/client-iam';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, freshAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { assertNoSecret, eventsText, storeBytes } from '../helpers/secret-traces.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const create = (UserName: string, ServiceName = 'codecommit.amazonaws.com', client = iam) =>
  client.send(new CreateServiceSpecificCredentialCommand({ UserName, ServiceName })).then((a) => a.ServiceSpecificCredential!);
const list = (UserName?: string, ServiceName?: string) => iam.send(new ListServiceSpecificCredentialsCommand({ UserName, ServiceName }));

describe('service-specific credentials', () => {
  for (const service of ['codecommit.amazonaws.com', 'cassandra.amazonaws.com']) {
    test(`the recorded lifecycle for ${service}`, async () => {
      const user = `ssc-${service.split('.')[0]}`;
      await iam.send(new CreateUserCommand({ UserName: user }));
      const made = await create(user, service);
      assert.deepEqual(Object.keys(made).sort(), ['CreateDate', 'ServiceName', 'ServicePassword', 'ServiceSpecificCredentialId', 'ServiceUserName', 'Status', 'UserName']);
      assert.deepEqual([made.ServiceName, made.ServiceUserName, made.Status, made.UserName], [service, `${user}-at-${ACCOUNT}`, 'Active', user]);
      assert.match(made.ServiceSpecificCredentialId!, /^ACCA[A-Z2-7]{17}$/);
      assert.match(made.ServicePassword!, /^[A-Za-z0-9+/]{43}=$/);

      const before = (await list(user)).ServiceSpecificCredentials!;
      const { ServicePassword: _shownOnce, ...metadata } = made;
      assert.deepEqual(before, [metadata]);
      await iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: user, ServiceSpecificCredentialId: made.ServiceSpecificCredentialId, Status: 'Inactive' }));
      assert.equal((await list(user)).ServiceSpecificCredentials![0]!.Status, 'Inactive');

      const reset = (await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: user, ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }))).ServiceSpecificCredential!;
      assert.deepEqual([reset.ServiceSpecificCredentialId, reset.Status, reset.ServiceUserName], [made.ServiceSpecificCredentialId, 'Inactive', made.ServiceUserName]);
      assert.match(reset.ServicePassword!, /^[A-Za-z0-9+/]{43}=$/);
      assert.notEqual(reset.ServicePassword, made.ServicePassword);

      await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: user, ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }));
      assert.deepEqual((await list(user)).ServiceSpecificCredentials, []);
    });
  }

  test('Bedrock API keys: an alias and a secret instead of a user name and password; an expiry when asked', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bedrock-user' }));
    const key = (await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'bedrock-user', ServiceName: 'bedrock.amazonaws.com', CredentialAgeDays: 30 })))
      .ServiceSpecificCredential!;
    assert.equal(key.ServiceUserName, undefined);
    assert.equal(key.ServicePassword, undefined);
    assert.equal(key.ServiceCredentialAlias, `bedrock-user-at-${ACCOUNT}`);
    assert.ok(key.ServiceCredentialSecret!.startsWith('ABSK'));
    assert.match(Buffer.from(key.ServiceCredentialSecret!.slice(4), 'base64').toString(), new RegExp(`^bedrock-user-at-${ACCOUNT}:`));
    assert.equal(key.ExpirationDate!.getTime() - key.CreateDate!.getTime(), 30 * 86_400_000);
    const listed = (await list('bedrock-user', 'bedrock.amazonaws.com')).ServiceSpecificCredentials!;
    assert.deepEqual(listed.map((c) => [c.ServiceCredentialAlias, c.ExpirationDate?.getTime()]), [[key.ServiceCredentialAlias, key.ExpirationDate!.getTime()]]);
  });

  test('the recorded errors and validation texts', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ssc-errors' }));
    const noUser = 'The user with name non-existent-user cannot be found.';
    await rejects(create('non-existent-user'), 'NoSuchEntityException', noUser, 404);
    await rejects(create('non-existent-user', 'nonexistentservice.amazonaws.com'), 'NoSuchEntityException', noUser, 404);
    for (const service of ['nonexistentservice.amazonaws.com', 'o3on3n3onosneo', 'lambda.amazonaws.com']) {
      await rejects(create('ssc-errors', service), 'NoSuchEntityException', `No such service ${service} is supported for Service Specific Credentials`, 404);
    }
    await rejects(list('ssc-errors', 'nonexistentservice.amazonaws.com'), 'NoSuchEntityException', 'No such service nonexistentservice.amazonaws.com is supported for Service Specific Credentials', 404);
    const made = await create('ssc-errors');
    assert.deepEqual((await list('ssc-errors', 'cassandra.amazonaws.com')).ServiceSpecificCredentials, []);

    const pattern = "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+";
    const badId = 'totally-wrong-credential-id-with-hyphens';
    await rejects(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: badId, Status: 'Inactive' })), 'ValidationError', pattern, 400);
    await rejects(iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: badId })), 'ValidationError', pattern, 400);
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: badId })), 'ValidationError', pattern, 400);
    const unknown = 'satisfiesregexbutstillinvalid';
    const noCredential = `No such credential ${unknown} exists`;
    await rejects(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: unknown, Status: 'Inactive' })), 'NoSuchEntityException', noCredential, 404);
    await rejects(iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: unknown })), 'NoSuchEntityException', noCredential, 404);
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: unknown })), 'NoSuchEntityException', noCredential, 404);
    const id = made.ServiceSpecificCredentialId!;
    const wrongUser = 'The user with name wrong-user-name cannot be found.';
    await rejects(iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'wrong-user-name', ServiceSpecificCredentialId: id, Status: 'Inactive' })), 'NoSuchEntityException', wrongUser, 404);
    await rejects(iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'wrong-user-name', ServiceSpecificCredentialId: id })), 'NoSuchEntityException', wrongUser, 404);
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'wrong-user-name', ServiceSpecificCredentialId: id })), 'NoSuchEntityException', wrongUser, 404);
    await rejects(
      iam.send(new UpdateServiceSpecificCredentialCommand({ UserName: 'ssc-errors', ServiceSpecificCredentialId: id, Status: 'Bogus' as StatusType })),
      'ValidationError',
      "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set",
      400,
    );
    // Another user's credential is not found under this one.
    await iam.send(new CreateUserCommand({ UserName: 'ssc-other' }));
    await rejects(iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'ssc-other', ServiceSpecificCredentialId: id })), 'NoSuchEntityException', `No such credential ${id} exists`, 404);
  });

  test('two per user per service; AllUsers lists every user; paging', async () => {
    const { iam: own } = await freshAccount(server);
    for (const user of ['u1', 'u2']) await own.send(new CreateUserCommand({ UserName: user }));
    await create('u1', 'codecommit.amazonaws.com', own);
    await create('u1', 'codecommit.amazonaws.com', own);
    await rejects(create('u1', 'codecommit.amazonaws.com', own), 'LimitExceededException', 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2', 409);
    await create('u1', 'cassandra.amazonaws.com', own);
    await create('u2', 'codecommit.amazonaws.com', own);
    const all = (await own.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true }))).ServiceSpecificCredentials!;
    assert.deepEqual(all.map((c) => c.UserName).sort(), ['u1', 'u1', 'u1', 'u2']);
    const codecommit = (await own.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, ServiceName: 'codecommit.amazonaws.com' }))).ServiceSpecificCredentials!;
    assert.equal(codecommit.length, 3);
    const first = await own.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, MaxItems: 3 }));
    const rest = await own.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, Marker: first.Marker }));
    assert.deepEqual([first.IsTruncated, rest.IsTruncated], [true, false]);
    assert.deepEqual([...first.ServiceSpecificCredentials!, ...rest.ServiceSpecificCredentials!], all);
    await rejects(own.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true, UserName: 'u1' })), 'InvalidInputException', 'AllUsers cannot be specified together with UserName.', 400);
  });

  test('DeleteUser refuses while one remains (recorded); a rename carries them', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ssc-leaving' }));
    const made = await create('ssc-leaving');
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'ssc-leaving' })), 'DeleteConflictException', 'Cannot delete entity, must remove referenced objects first.', 409);
    await iam.send(new UpdateUserCommand({ UserName: 'ssc-leaving', NewUserName: 'ssc-left' }));
    assert.deepEqual((await list('ssc-left')).ServiceSpecificCredentials!.map((c) => [c.ServiceSpecificCredentialId, c.UserName]), [[made.ServiceSpecificCredentialId, 'ssc-left']]);
    await iam.send(new DeleteServiceSpecificCredentialCommand({ UserName: 'ssc-left', ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }));
    await iam.send(new DeleteUserCommand({ UserName: 'ssc-left' }));
  });

  test('enforced on the user ARN; without UserName the calling user', async () => {
    const self = await userWithPolicy(
      server,
      'ssc-self',
      policy(allow(['iam:CreateServiceSpecificCredential', 'iam:ListServiceSpecificCredentials', 'iam:ResetServiceSpecificCredential'], `arn:aws:iam::${ACCOUNT}:user/ssc-self`)),
    );
    const client = server.iam(self);
    const made = await create('ssc-self', 'codecommit.amazonaws.com', client);
    assert.deepEqual((await client.send(new ListServiceSpecificCredentialsCommand({}))).ServiceSpecificCredentials!.map((c) => c.ServiceSpecificCredentialId), [made.ServiceSpecificCredentialId]);
    await client.send(new ResetServiceSpecificCredentialCommand({ ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }));
    await rejects(
      create('ssc-errors', 'codecommit.amazonaws.com', client),
      'AccessDenied',
      `User: ${self.arn} is not authorized to perform: iam:CreateServiceSpecificCredential on resource: arn:aws:iam::${ACCOUNT}:user/ssc-errors because no identity-based policy allows the iam:CreateServiceSpecificCredential action`,
      403,
    );
    await rejects(client.send(new ListServiceSpecificCredentialsCommand({ AllUsers: true })), 'AccessDenied', /iam:ListServiceSpecificCredentials on resource: arn:aws:iam::\d+:user\/\*/, 403);
    await rejects(client.send(new DeleteServiceSpecificCredentialCommand({ ServiceSpecificCredentialId: made.ServiceSpecificCredentialId })), 'AccessDenied', /iam:DeleteServiceSpecificCredential/, 403);
  });
});

test('the service password is in no event and nowhere in the SQLite file', async () => {
  const own = await startServer();
  try {
    const client = own.iam();
    await client.send(new CreateUserCommand({ UserName: 'git-secret' }));
    const made = await create('git-secret', 'codecommit.amazonaws.com', client);
    const reset = (await client.send(new ResetServiceSpecificCredentialCommand({ UserName: 'git-secret', ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }))).ServiceSpecificCredential!;
    const key = (await client.send(new CreateServiceSpecificCredentialCommand({ UserName: 'git-secret', ServiceName: 'bedrock.amazonaws.com' }))).ServiceSpecificCredential!;
    const secrets = [made.ServicePassword!, reset.ServicePassword!, key.ServiceCredentialSecret!, key.ServiceCredentialSecret!.slice(4)];
    assertNoSecret('the events', await eventsText(own, 'ResetServiceSpecificCredential'), secrets, made.ServiceSpecificCredentialId!);
    await own.iamd.close();
    for (const bytes of storeBytes(own.dataDir)) assertNoSecret('the SQLite file', bytes, secrets, made.ServiceSpecificCredentialId!);
  } finally {
    rmSync(own.dataDir, { recursive: true, force: true });
  }
});

// Passwords through the real IAM client: login profiles (AWS's recorded answers and texts), the account
// password policy (recorded defaults, custom values, validation), the policy enforced on every
// password set (length, classes, reuse, hard expiry), ChangePassword with the old password checked,
// and passwords kept only as salted hashes — never in the store in clear, never in the event log.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChangePasswordCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccountPasswordPolicyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GetAccountPasswordPolicyCommand,
  GetLoginProfileCommand,
  UpdateAccountPasswordPolicyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
  type UpdateAccountPasswordPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, freshAccount, policy, userWithKey } from '../helpers/iam.ts';
import { eventually } from '../helpers/eventually.ts';
import { KIND } from '../../src/iam/index.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer(['--audit-read-events']);
  iam = server.iam();
});
after(() => server.close());

const STRONG = 'Str0ng&Long-Passw0rd';
const profileMissing = (user: string) => `Login Profile for User ${user} cannot be found.`;

describe('login profiles', () => {
  test('create, get, update, delete (recorded answers)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'console-user' }));
    const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'console-user', Password: STRONG }));
    assert.deepEqual(Object.keys(created.LoginProfile!).sort(), ['CreateDate', 'PasswordResetRequired', 'UserName']);
    assert.equal(created.LoginProfile!.UserName, 'console-user');
    assert.equal(created.LoginProfile!.PasswordResetRequired, false);
    const got = await iam.send(new GetLoginProfileCommand({ UserName: 'console-user' }));
    assert.deepEqual(got.LoginProfile, created.LoginProfile);
    await iam.send(new UpdateLoginProfileCommand({ UserName: 'console-user', PasswordResetRequired: true }));
    assert.equal((await iam.send(new GetLoginProfileCommand({ UserName: 'console-user' }))).LoginProfile!.PasswordResetRequired, true);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'console-user' })), 'DeleteConflictException', 'Cannot delete entity, must delete login profile first.', 409);
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'console-user' }));
    await rejects(iam.send(new GetLoginProfileCommand({ UserName: 'console-user' })), 'NoSuchEntityException', profileMissing('console-user'), 404);
    await iam.send(new DeleteUserCommand({ UserName: 'console-user' }));
  });

  test('errors (recorded texts)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'profile-errors' }));
    await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'nonexistent-user', Password: STRONG })), 'NoSuchEntityException', 'The user with name nonexistent-user cannot be found.', 404);
    await iam.send(new CreateLoginProfileCommand({ UserName: 'profile-errors', Password: STRONG, PasswordResetRequired: true }));
    await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'profile-errors', Password: STRONG })), 'EntityAlreadyExistsException', 'Login Profile for user profile-errors already exists.', 409);
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'profile-errors' }));
    await rejects(iam.send(new DeleteLoginProfileCommand({ UserName: 'profile-errors' })), 'NoSuchEntityException', profileMissing('profile-errors'), 404);
    await rejects(iam.send(new DeleteLoginProfileCommand({ UserName: 'nonexistent-user' })), 'NoSuchEntityException', 'The user with name nonexistent-user cannot be found.', 404);
    await rejects(iam.send(new UpdateLoginProfileCommand({ UserName: 'profile-errors', Password: STRONG })), 'NoSuchEntityException', profileMissing('profile-errors'), 404);
    await rejects(
      iam.send(new CreateLoginProfileCommand({ UserName: 'profile-errors' })),
      'ValidationError',
      "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
      400,
    );
    await rejects(iam.send(new CreateLoginProfileCommand({ UserName: 'profile-errors', Password: 'x'.repeat(129) })), 'ValidationError', undefined, 400);
  });

  test('passwords are stored as salted hashes only, and the event log never carries them', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'hashed-a' }));
    await iam.send(new CreateUserCommand({ UserName: 'hashed-b' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'hashed-a', Password: STRONG }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'hashed-b', Password: STRONG }));
    const stored = await server.iamd.store.read((tx) => tx.list<{ passwordHash: string }>(ACCOUNT, KIND.loginProfile));
    const text = JSON.stringify(stored);
    assert.ok(!text.includes(STRONG), 'no password in clear');
    const hashes = stored.map((e) => e.doc.passwordHash);
    for (const h of hashes) assert.match(h, /^\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.equal(new Set(hashes).size, hashes.length, 'the same password hashes differently under each salt');

    const cloudtrail = server.client(CloudTrailClient);
    const events = await eventually(
      'the CreateLoginProfile events',
      async () => (await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateLoginProfile' }] }))).Events ?? [],
      (found) => found.length >= 2,
    );
    for (const e of events) {
      assert.ok(!e.CloudTrailEvent!.includes(STRONG), 'no password in the event');
      assert.ok(!/password"/i.test(e.CloudTrailEvent!.replace(/passwordResetRequired"/g, '')), e.CloudTrailEvent);
    }
  });
});

describe('the account password policy', () => {
  test('none at first; defaults and custom values as recorded; deleted', async () => {
    const { iam: own, account } = await freshAccount(server);
    await rejects(own.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntityException', `The Password Policy with domain name ${account} cannot be found.`, 404);
    await rejects(own.send(new DeleteAccountPasswordPolicyCommand({})), 'NoSuchEntityException', 'The account policy with name PasswordPolicy cannot be found.', 404);
    await own.send(new UpdateAccountPasswordPolicyCommand({}));
    assert.deepEqual((await own.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, {
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
      MinimumPasswordLength: 6,
      RequireLowercaseCharacters: false,
      RequireNumbers: false,
      RequireSymbols: false,
      RequireUppercaseCharacters: false,
    });
    const custom: UpdateAccountPasswordPolicyCommandInput = {
      AllowUsersToChangePassword: true,
      HardExpiry: true,
      MaxPasswordAge: 60,
      MinimumPasswordLength: 10,
      PasswordReusePrevention: 3,
      RequireLowercaseCharacters: true,
      RequireNumbers: true,
      RequireSymbols: true,
      RequireUppercaseCharacters: true,
    };
    await own.send(new UpdateAccountPasswordPolicyCommand(custom));
    assert.deepEqual((await own.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy, { ...custom, ExpirePasswords: true });
    // Each update replaces the whole policy.
    await own.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12 }));
    const replaced = (await own.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!;
    assert.equal(replaced.MinimumPasswordLength, 12);
    assert.equal(replaced.MaxPasswordAge, undefined);
    assert.equal(replaced.RequireSymbols, false);
    await own.send(new DeleteAccountPasswordPolicyCommand({}));
    await rejects(own.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntityException', `The Password Policy with domain name ${account} cannot be found.`, 404);
  });

  test('validation (the recorded violations; AWS lists them in an order of its own)', async () => {
    const error = await rejects(
      iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 129, PasswordReusePrevention: 25, MaxPasswordAge: 1096 })),
      'ValidationError',
      /^3 validation errors detected: /,
      400,
    );
    const parts = error.message.replace(/^3 validation errors detected: /, '').split('; ').sort();
    assert.deepEqual(parts, [
      "Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
      "Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128",
      "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
    ]);
  });

  test('every password set meets the policy: length and character classes, then AWS default policy without one', async () => {
    const { iam: own } = await freshAccount(server);
    await own.send(new CreateUserCommand({ UserName: 'p' }));
    const create = (Password: string) => own.send(new CreateLoginProfileCommand({ UserName: 'p', Password }));
    // No policy of the account's own: AWS's default (eight characters, three of four classes).
    await rejects(create('Ab1!'), 'PasswordPolicyViolationException', 'Password should have a minimum length of 8', 400);
    await rejects(create('alllowercase1'), 'PasswordPolicyViolationException', 'Password should have at least three of the following: uppercase letters, lowercase letters, numbers, symbols', 400);
    await own.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, RequireNumbers: true, RequireSymbols: true }));
    for (const [password, text] of [
      ['Sh0rt!', 'Password should have a minimum length of 10'],
      ['lowercase-only-1', 'Password should have at least one uppercase letter'],
      ['UPPERCASE-ONLY-1', 'Password should have at least one lowercase letter'],
      ['No-Numbers-Here', 'Password should have at least one number'],
      ['NoSymbols1234', 'Password should have at least one symbol'],
    ]) {
      await rejects(create(password!), 'PasswordPolicyViolationException', text, 400);
    }
    await create('Good-Passw0rd');
    await rejects(own.send(new UpdateLoginProfileCommand({ UserName: 'p', Password: 'short' })), 'PasswordPolicyViolationException', 'Password should have a minimum length of 10', 400);
  });

  test('reuse prevention remembers the last N passwords', async () => {
    const { iam: own } = await freshAccount(server);
    await own.send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 2, MinimumPasswordLength: 8 }));
    await own.send(new CreateUserCommand({ UserName: 'r' }));
    const set = (Password: string) => own.send(new UpdateLoginProfileCommand({ UserName: 'r', Password }));
    const reused = 'Password should not be one of your previous 2 passwords';
    await own.send(new CreateLoginProfileCommand({ UserName: 'r', Password: 'first-pass' }));
    await rejects(set('first-pass'), 'PasswordPolicyViolationException', reused, 400);
    await set('second-pass');
    await rejects(set('first-pass'), 'PasswordPolicyViolationException', reused, 400);
    await set('third-pass');
    // Now the last two are third and second: the first may come back.
    await set('first-pass');
  });
});

describe('ChangePassword', () => {
  let keys: Credentials;
  before(async () => {
    keys = await userWithKey(iam, 'changer', policy(allow('iam:ChangePassword', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`)));
  });

  test("the caller's own password, the old one checked, the policy met, the reset flag cleared", async () => {
    const client = server.iam(keys);
    await rejects(client.send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'An0ther-Passw0rd' })), 'NoSuchEntityException', profileMissing('changer'), 404);
    await iam.send(new CreateLoginProfileCommand({ UserName: 'changer', Password: STRONG, PasswordResetRequired: true }));
    await rejects(client.send(new ChangePasswordCommand({ OldPassword: 'not-the-password', NewPassword: 'An0ther-Passw0rd' })), 'AccessDenied', 'The old password was incorrect.', 403);
    await rejects(client.send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'weak' })), 'PasswordPolicyViolationException', 'Password should have a minimum length of 8', 400);
    await client.send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'An0ther-Passw0rd' }));
    assert.equal((await iam.send(new GetLoginProfileCommand({ UserName: 'changer' }))).LoginProfile!.PasswordResetRequired, false);
    await rejects(client.send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'Th1rd-Passw0rd' })), 'AccessDenied', 'The old password was incorrect.', 403);
    await client.send(new ChangePasswordCommand({ OldPassword: 'An0ther-Passw0rd', NewPassword: 'Th1rd-Passw0rd' }));
  });

  test('only an IAM user changes its own password, with iam:ChangePassword', async () => {
    await rejects(iam.send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: STRONG })), 'InvalidUserTypeException', 'Only IAM users can change their own password.', 400);
    const without = await userWithKey(iam, 'no-change-right');
    await iam.send(new CreateLoginProfileCommand({ UserName: 'no-change-right', Password: STRONG }));
    const action = 'iam:ChangePassword';
    await rejects(
      server.iam(without).send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'An0ther-Passw0rd' })),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/no-change-right is not authorized to perform: ${action} on resource: arn:aws:iam::${ACCOUNT}:user/no-change-right because no identity-based policy allows the ${action} action`,
      403,
    );
  });

  test('HardExpiry: an expired password is renewed only by an administrator', async () => {
    const { iam: own, account } = await freshAccount(server);
    const user = await userWithKey(own, 'expiring', policy(allow('iam:ChangePassword', '*')));
    await own.send(new CreateLoginProfileCommand({ UserName: 'expiring', Password: STRONG }));
    await own.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 1, HardExpiry: true }));
    // Two days pass for this password: its change date is moved back in the store.
    await server.iamd.store.transaction(async (tx) => {
      const [e] = await tx.list<{ passwordLastChanged: string }>(account, KIND.loginProfile);
      await tx.update(account, KIND.loginProfile, e!.key, { ...e!.doc, passwordLastChanged: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    });
    const change = () => server.iam(user).send(new ChangePasswordCommand({ OldPassword: STRONG, NewPassword: 'Renewed-Passw0rd' }));
    await rejects(change(), 'PasswordPolicyViolationException', 'Password has expired and the account password policy does not allow users to renew an expired password.', 400);
    // Without hard expiry the user renews it.
    await own.send(new UpdateAccountPasswordPolicyCommand({ MaxPasswordAge: 1 }));
    await change();
  });

  test('authorization of the profile calls: on the user', async () => {
    const reader = await userWithKey(iam, 'profile-reader', policy(allow('iam:GetLoginProfile', `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`)));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'profile-reader', Password: STRONG }));
    const client = server.iam(reader);
    assert.equal((await client.send(new GetLoginProfileCommand({}))).LoginProfile!.UserName, 'profile-reader');
    for (const [action, call] of [
      ['iam:GetLoginProfile', () => client.send(new GetLoginProfileCommand({ UserName: 'changer' }))],
      ['iam:CreateLoginProfile', () => client.send(new CreateLoginProfileCommand({ UserName: 'changer', Password: STRONG }))],
      ['iam:UpdateLoginProfile', () => client.send(new UpdateLoginProfileCommand({ UserName: 'changer', PasswordResetRequired: true }))],
      ['iam:DeleteLoginProfile', () => client.send(new DeleteLoginProfileCommand({ UserName: 'changer' }))],
      ['iam:UpdateAccountPasswordPolicy', () => client.send(new UpdateAccountPasswordPolicyCommand({}))],
      ['iam:GetAccountPasswordPolicy', () => client.send(new GetAccountPasswordPolicyCommand({}))],
      ['iam:DeleteAccountPasswordPolicy', () => client.send(new DeleteAccountPasswordPolicyCommand({}))],
    ] as const) {
      const resource = action.includes('Account') ? '*' : `arn:aws:iam::${ACCOUNT}:user/changer`;
      await rejects(call(), 'AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/profile-reader is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`, 403);
    }
  });
});

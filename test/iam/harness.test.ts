// The harness calls operations as the server does: an IAM user or role session is refused what its
// policies do not allow (and the refused call writes nothing) and may do what they allow. Without
// this, the suites built on the harness would pass against operations that authorize nothing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, policy, trustEc2 } from '../helpers/iam.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { roleCaller, userCaller } from '../helpers/callers.ts';
import { withIam, type Iam } from './harness.ts';

const userNamed = async (iam: Iam, name: string) =>
  ((await iam.call('GetUser', { UserName: name })).User as { UserName: string }).UserName;

describe('the harness authorizes every call', () => {
  test('a user no policy allows is refused in AWS words, and nothing of the call is written', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'dana' });
      await rejectsApiError(
        iam.call('CreateUser', { UserName: 'eve' }, userCaller('dana')),
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT}:user/dana is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/eve because no identity-based policy allows the iam:CreateUser action`,
        403,
      );
      await rejectsApiError(iam.call('GetUser', { UserName: 'eve' }), 'NoSuchEntity', 'The user with name eve cannot be found.', 404);
    }));

  test('the same user, once a policy allows the call, is not refused — and only that call is allowed', () =>
    withIam(async (iam) => {
      await iam.call('CreateUser', { UserName: 'dana' });
      await iam.call('PutUserPolicy', { UserName: 'dana', PolicyName: 'p', PolicyDocument: policy(allow('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/*`)) });
      await iam.call('CreateUser', { UserName: 'eve' }, userCaller('dana'));
      assert.equal(await userNamed(iam, 'eve'), 'eve');
      await rejectsApiError(iam.call('DeleteUser', { UserName: 'eve' }, userCaller('dana')), 'AccessDenied', /is not authorized to perform: iam:DeleteUser on resource/, 403);
      assert.equal(await userNamed(iam, 'eve'), 'eve');
    }));

  test("a role session is judged by its role's policies, where an explicit deny wins", () =>
    withIam(async (iam) => {
      await iam.call('CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: trustEc2 });
      await iam.call('PutRolePolicy', { RoleName: 'R', PolicyName: 'p', PolicyDocument: policy(allow('iam:List*'), deny('iam:ListUsers')) });
      const roles = (await iam.call('ListRoles', {}, roleCaller('R'))).Roles as { RoleName: string }[];
      assert.deepEqual(roles.map((r) => r.RoleName), ['R']);
      await rejectsApiError(
        iam.call('ListUsers', {}, roleCaller('R')),
        'AccessDenied',
        `User: arn:aws:sts::${ACCOUNT}:assumed-role/R/s is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${ACCOUNT}:user/ with an explicit deny in an identity-based policy`,
        403,
      );
    }));
});

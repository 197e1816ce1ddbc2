// Passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile and
// ChangePassword (the calling user's own, the old password checked). Every password set meets the
// account password policy (password-policy.ts). Passwords are kept only as salted hashes
// (src/secrets/password.ts), with the last ones' hashes for reuse prevention; none is ever returned, and the
// event log leaves every member named like a password out (audit/parameters.ts).
//
// A profile is keyed by its user's unique id: a rename keeps it, a new user of the same name has none.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { userCheck } from '../checks.ts';
import { loginProfileExists, mustSpecifyUserName, noSuchLoginProfile, notAnIamUser, passwordPolicyViolation, wrongOldPassword } from '../errors.ts';
import { requireUser } from '../lookups.ts';
import { KIND, type UserDoc } from '../model.ts';
import { hashPassword, verifyPassword } from '../../secrets/index.ts';
import { checkComposition, checkReuse, findPasswordPolicy, HISTORY_KEPT, nextRotation } from '../password-policy.ts';
import { ApiError } from '../../common/errors.ts';
import { defineOp, insertNew, nowIso } from './define.ts';
import { implicitUserName } from './users.ts';

export interface LoginProfileDoc {
  UserId: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
  /** scrypt hash of the current password. */
  passwordHash: string;
  passwordLastChanged: string;
  /** Hashes of earlier passwords, newest first (at most HISTORY_KEPT, the current one not included). */
  previous: string[];
}

export const findLoginProfile = async (tx: Tx, account: string, userId: string): Promise<LoginProfileDoc | undefined> =>
  (await tx.get<LoginProfileDoc>(account, KIND.loginProfile, userId))?.doc;

/** The user a call means; the root has no login profile iamd can manage. */
async function targetUser(tx: Tx, ctx: CallContext, userName: string | undefined): Promise<UserDoc> {
  const name = userName ?? implicitUserName(ctx);
  if (name === undefined) throw mustSpecifyUserName();
  return (await requireUser(tx, ctx.account, name)).doc;
}

async function targetCheck(tx: Tx, ctx: CallContext, action: string, userName: string | undefined) {
  const name = userName ?? implicitUserName(ctx);
  if (name === undefined) throw mustSpecifyUserName();
  return userCheck(tx, ctx, action, name);
}

async function requireProfile(tx: Tx, account: string, user: UserDoc): Promise<LoginProfileDoc> {
  const profile = await findLoginProfile(tx, account, user.UserId);
  if (!profile) throw noSuchLoginProfile(user.UserName);
  return profile;
}

/** `profile` with `password` as its new one, once the policy accepts it. */
async function withNewPassword(tx: Tx, ctx: CallContext, profile: LoginProfileDoc, password: string): Promise<LoginProfileDoc> {
  const policy = await findPasswordPolicy(tx, ctx.account);
  checkComposition(policy, password);
  await checkReuse(policy, password, [profile.passwordHash, ...profile.previous]);
  return {
    ...profile,
    passwordHash: await hashPassword(password),
    passwordLastChanged: nowIso(ctx),
    previous: [profile.passwordHash, ...profile.previous].slice(0, HISTORY_KEPT),
  };
}

const profileOut = (user: UserDoc, profile: LoginProfileDoc) => ({
  LoginProfile: { UserName: user.UserName, CreateDate: new Date(profile.CreateDate), PasswordResetRequired: profile.PasswordResetRequired },
});

// AWS requires a password for an IAM user's profile (the model leaves it optional for AssumeRoot sessions).
const passwordRequired = () =>
  new ApiError('ValidationError', "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null", 400);

export function loginProfileOperations() {
  const create = defineOp<{ UserName?: string; Password?: string; PasswordResetRequired?: boolean }>('CreateLoginProfile', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'CreateLoginProfile', input.UserName)],
    async handle(input, ctx, tx) {
      const user = await targetUser(tx, ctx, input.UserName);
      if (input.Password === undefined) throw passwordRequired();
      if (await findLoginProfile(tx, ctx.account, user.UserId)) throw loginProfileExists(user.UserName);
      const policy = await findPasswordPolicy(tx, ctx.account);
      checkComposition(policy, input.Password);
      const profile: LoginProfileDoc = {
        UserId: user.UserId,
        CreateDate: nowIso(ctx),
        PasswordResetRequired: input.PasswordResetRequired ?? false,
        passwordHash: await hashPassword(input.Password),
        passwordLastChanged: nowIso(ctx),
        previous: [],
      };
      await insertNew(tx, ctx.account, KIND.loginProfile, user.UserId, profile, null, () => loginProfileExists(user.UserName));
      return profileOut(user, profile);
    },
  });

  const get = defineOp<{ UserName?: string }>('GetLoginProfile', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'GetLoginProfile', input.UserName)],
    async handle(input, ctx, tx) {
      const user = await targetUser(tx, ctx, input.UserName);
      return profileOut(user, await requireProfile(tx, ctx.account, user));
    },
  });

  const update = defineOp<{ UserName: string; Password?: string; PasswordResetRequired?: boolean }>('UpdateLoginProfile', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'UpdateLoginProfile', input.UserName)],
    async handle(input, ctx, tx) {
      const user = await targetUser(tx, ctx, input.UserName);
      let profile = await requireProfile(tx, ctx.account, user);
      if (input.Password !== undefined) profile = await withNewPassword(tx, ctx, profile, input.Password);
      if (input.PasswordResetRequired !== undefined) profile = { ...profile, PasswordResetRequired: input.PasswordResetRequired };
      await tx.update(ctx.account, KIND.loginProfile, user.UserId, profile);
      return {};
    },
  });

  const del = defineOp<{ UserName?: string }>('DeleteLoginProfile', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'DeleteLoginProfile', input.UserName)],
    async handle(input, ctx, tx) {
      const user = await targetUser(tx, ctx, input.UserName);
      await requireProfile(tx, ctx.account, user);
      await tx.delete(ctx.account, KIND.loginProfile, user.UserId);
      return {};
    },
  });

  const change = defineOp<{ OldPassword: string; NewPassword: string }>('ChangePassword', {
    async authorize(_input, ctx, tx) {
      if (ctx.caller.identity?.type !== 'user') throw notAnIamUser();
      return [await userCheck(tx, ctx, 'ChangePassword', ctx.caller.identity.name)];
    },
    async handle(input, ctx, tx) {
      if (ctx.caller.identity?.type !== 'user') throw notAnIamUser();
      const user = (await requireUser(tx, ctx.account, ctx.caller.identity.name)).doc;
      const profile = await requireProfile(tx, ctx.account, user);
      if (!(await verifyPassword(input.OldPassword, profile.passwordHash))) throw wrongOldPassword();
      const policy = await findPasswordPolicy(tx, ctx.account);
      const expiry = nextRotation(policy, profile.passwordLastChanged);
      // HardExpiry: an expired password is renewed only by an administrator (UpdateLoginProfile).
      if (policy?.HardExpiry && expiry && expiry <= ctx.now) {
        throw passwordPolicyViolation('Password has expired and the account password policy does not allow users to renew an expired password.');
      }
      const changed = await withNewPassword(tx, ctx, profile, input.NewPassword);
      await tx.update(ctx.account, KIND.loginProfile, user.UserId, { ...changed, PasswordResetRequired: false });
      return {};
    },
  });

  return [create, get, update, del, change];
}

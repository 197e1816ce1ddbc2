// The account password policy: UpdateAccountPasswordPolicy (every call replaces the whole policy:
// members left out go back to their defaults, as AWS documents), GetAccountPasswordPolicy and
// DeleteAccountPasswordPolicy. What the policy asks of passwords is in password-policy.ts.

import { check } from '../checks.ts';
import { noPasswordPolicy, noPasswordPolicyToDelete } from '../errors.ts';
import { KIND } from '../model.ts';
import { findPasswordPolicy, POLICY_KEY, type PasswordPolicyDoc } from '../password-policy.ts';
import { defineOp } from './define.ts';

type UpdateInput = Partial<PasswordPolicyDoc>;

export function passwordPolicyOperations() {
  const update = defineOp<UpdateInput>('UpdateAccountPasswordPolicy', {
    authorize: () => [check('UpdateAccountPasswordPolicy', '*')],
    async handle(input, ctx, tx) {
      const doc: PasswordPolicyDoc = {
        MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
        RequireSymbols: input.RequireSymbols ?? false,
        RequireNumbers: input.RequireNumbers ?? false,
        RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
        RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
        AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
      };
      if (input.MaxPasswordAge !== undefined) doc.MaxPasswordAge = input.MaxPasswordAge;
      if (input.PasswordReusePrevention !== undefined) doc.PasswordReusePrevention = input.PasswordReusePrevention;
      if (input.HardExpiry !== undefined) doc.HardExpiry = input.HardExpiry;
      if (!(await tx.update(ctx.account, KIND.passwordPolicy, POLICY_KEY, doc))) await tx.insert(ctx.account, KIND.passwordPolicy, POLICY_KEY, doc);
      return {};
    },
  });

  const get = defineOp<Record<string, never>>('GetAccountPasswordPolicy', {
    readOnly: true,
    authorize: () => [check('GetAccountPasswordPolicy', '*')],
    async handle(_input, ctx, tx) {
      const doc = await findPasswordPolicy(tx, ctx.account);
      if (!doc) throw noPasswordPolicy(ctx.account);
      // ExpirePasswords is derived: whether passwords have a maximum age.
      return { PasswordPolicy: { ...doc, ExpirePasswords: doc.MaxPasswordAge !== undefined } };
    },
  });

  const del = defineOp<Record<string, never>>('DeleteAccountPasswordPolicy', {
    authorize: () => [check('DeleteAccountPasswordPolicy', '*')],
    async handle(_input, ctx, tx) {
      if (!(await tx.delete(ctx.account, KIND.passwordPolicy, POLICY_KEY))) throw noPasswordPolicyToDelete();
      return {};
    },
  });

  return [update, get, del];
}

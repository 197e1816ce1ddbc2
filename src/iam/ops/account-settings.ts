// The account's own settings: its alias (CreateAccountAlias, ListAccountAliases, DeleteAccountAlias)
// and which tokens STS's global endpoint issues (SetSecurityTokenServicePreferences).
//
// An alias names one account among all of them, so aliases are kept globally, keyed by the alias: the
// primary key refuses a second account the same alias without a read-then-write race. An account has
// at most one alias; creating another replaces it, as AWS documents.

import type { Tx } from '../../store/types.ts';
import { check } from '../checks.ts';
import { accountAliasTaken, noSuchAccountAlias } from '../errors.ts';
import { GLOBAL, KIND, type AccountAliasDoc, type AccountDoc } from '../model.ts';
import { pageMembers, paginate, type PageInput } from '../pagination.ts';
import { defineOp, insertNew } from './define.ts';

const aliasesOf = (tx: Tx, account: string) => tx.listByRef<AccountAliasDoc>(GLOBAL, KIND.accountAlias, account);

export function accountSettingOperations() {
  const createAccountAlias = defineOp<{ AccountAlias: string }>('CreateAccountAlias', {
    authorize: () => [check('CreateAccountAlias', '*')],
    async handle(input, ctx, tx) {
      const owned = await aliasesOf(tx, ctx.account);
      if (owned.some((e) => e.key === input.AccountAlias)) return {};
      for (const e of owned) await tx.delete(GLOBAL, KIND.accountAlias, e.key);
      const doc: AccountAliasDoc = { AccountAlias: input.AccountAlias, account: ctx.account };
      await insertNew(tx, GLOBAL, KIND.accountAlias, input.AccountAlias, doc, ctx.account, () => accountAliasTaken(input.AccountAlias));
      return {};
    },
  });

  const listAccountAliases = defineOp<PageInput>('ListAccountAliases', {
    readOnly: true,
    authorize: () => [check('ListAccountAliases', '*')],
    async handle(input, ctx, tx) {
      const page = paginate(await aliasesOf(tx, ctx.account), (e) => e.key, input);
      return { AccountAliases: page.items.map((e) => e.doc.AccountAlias), ...pageMembers(page) };
    },
  });

  const deleteAccountAlias = defineOp<{ AccountAlias: string }>('DeleteAccountAlias', {
    authorize: () => [check('DeleteAccountAlias', '*')],
    async handle(input, ctx, tx) {
      const e = await tx.get<AccountAliasDoc>(GLOBAL, KIND.accountAlias, input.AccountAlias);
      if (!e || e.doc.account !== ctx.account) throw noSuchAccountAlias(input.AccountAlias);
      await tx.delete(GLOBAL, KIND.accountAlias, e.key);
      return {};
    },
  });

  const setStsPreferences = defineOp<{ GlobalEndpointTokenVersion: 'v1Token' | 'v2Token' }>('SetSecurityTokenServicePreferences', {
    authorize: () => [check('SetSecurityTokenServicePreferences', '*')],
    async handle(input, ctx, tx) {
      const e = await tx.get<AccountDoc>(GLOBAL, KIND.account, ctx.account);
      if (e) await tx.update(GLOBAL, KIND.account, e.key, { ...e.doc, globalEndpointTokenVersion: input.GlobalEndpointTokenVersion });
      return {};
    },
  });

  return [createAccountAlias, listAccountAliases, deleteAccountAlias, setStsPreferences];
}

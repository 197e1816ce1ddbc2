// Whose credential a call means, for the per-user credentials (signing certificates, SSH keys,
// service-specific credentials): the named user, who must exist; else, where the model lets
// UserName out, the calling IAM user or the account's root — the rule access keys follow.

import type { AuthzCheck, CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check, userCheck } from '../checks.ts';
import { requireUser } from '../lookups.ts';
import { rootArn } from '../model.ts';
import { implicitUserName } from './users.ts';

/** The user's name as stored, or undefined for the root (only when `userName` is absent). */
export async function credentialOwner(tx: Tx, ctx: CallContext, userName: string | undefined): Promise<string | undefined> {
  if (userName === undefined) return implicitUserName(ctx);
  return (await requireUser(tx, ctx.account, userName)).doc.UserName;
}

/** `iam:<action>` on the user's ARN (with its tags and boundary), or on the root's. */
export async function credentialOwnerCheck(tx: Tx, ctx: CallContext, action: string, userName: string | undefined): Promise<AuthzCheck> {
  const name = userName ?? implicitUserName(ctx);
  return name === undefined ? check(action, rootArn(ctx.account)) : userCheck(tx, ctx, action, name);
}

// Building the authorization questions IAM operations ask (`AuthzCheck`s): the action, the resource
// ARN the Service Authorization Reference names for it, and the condition keys the request carries.

import type { AuthzCheck, CallContext } from '../common/call.ts';
import type { ContextValues } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';
import { KIND, nameKey, roleArn, userArn, type RoleDoc, type UserDoc } from './model.ts';
import { resourceTagContext } from './tags.ts';

export function check(action: string, resource: string, context?: ContextValues): AuthzCheck {
  const c: AuthzCheck = { action: `iam:${action}`, resource };
  if (context && Object.keys(context).length > 0) c.context = context;
  return c;
}

/**
 * The keys an existing user or role brings to a request about it: its tags (`aws:ResourceTag/…`,
 * `iam:ResourceTag/…`) and its permissions boundary (`iam:PermissionsBoundary`, which delegated
 * administrators' policies test before changing a principal's permissions).
 */
function principalContext(doc: UserDoc | RoleDoc | undefined): ContextValues {
  if (!doc) return {};
  const context = resourceTagContext(doc.Tags, true);
  if (doc.PermissionsBoundary) context['iam:PermissionsBoundary'] = doc.PermissionsBoundary;
  return context;
}

/** A check on the user `name` (which may not exist yet: the ARN then uses the root path). */
export async function userCheck(tx: Tx, ctx: CallContext, action: string, name: string, extra: ContextValues = {}): Promise<AuthzCheck> {
  const doc = (await tx.get<UserDoc>(ctx.account, KIND.user, nameKey(name)))?.doc;
  return check(action, doc?.Arn ?? userArn(ctx.account, '/', name), { ...principalContext(doc), ...extra });
}

export async function roleCheck(tx: Tx, ctx: CallContext, action: string, name: string, extra: ContextValues = {}): Promise<AuthzCheck> {
  const doc = (await tx.get<RoleDoc>(ctx.account, KIND.role, nameKey(name)))?.doc;
  return check(action, doc?.Arn ?? roleArn(ctx.account, '/', name), { ...principalContext(doc), ...extra });
}

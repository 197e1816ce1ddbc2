// ensureRole: a linked service's first resource in an account creates the service's service-linked
// role, with the CALLER's authority — IAM's own CreateServiceLinkedRole runs, authorization included,
// inside the transaction that creates the resource. Without iam:CreateServiceLinkedRole the request
// is denied with IAM's AccessDenied (the service may reword its code, never its message) and the
// transaction rolls back: no resource, no role.

import type { CallContext } from '../../common/call.ts';
import { getRole, type RoleDoc } from '../../iam/index.ts';
import type { Tx } from '../../store/types.ts';
import type { LinkedHost } from './host.ts';

/** The service-linked role a service uses in an account, if it exists. */
export async function findServiceRole(
  host: LinkedHost,
  tx: Tx,
  account: string,
  servicePrincipal: string,
): Promise<RoleDoc | undefined> {
  const spec = host.catalog.get(servicePrincipal);
  if (!spec) throw new Error(`${servicePrincipal} is not in the service catalog`);
  const role = await getRole(tx, account, spec.roleName);
  // A customer role that happens to carry the name is not the service's role.
  return role?.serviceLinked?.servicePrincipal === servicePrincipal ? role : undefined;
}

/**
 * Makes sure the caller's account has `servicePrincipal`'s service-linked role, creating it as the
 * caller would with `iam:CreateServiceLinkedRole`. Returns the role's ARN and whether this call made it.
 * Throws IAM's ApiError (AccessDenied, or InvalidInput when a customer role holds the name).
 */
export async function ensureRole(
  host: LinkedHost,
  ctx: CallContext,
  tx: Tx,
  servicePrincipal: string,
): Promise<{ roleArn: string; created: boolean }> {
  const existing = await findServiceRole(host, tx, ctx.account, servicePrincipal);
  if (existing) return { roleArn: existing.Arn, created: false };
  const out = (await host.dispatcher.callInTx('iam', 'CreateServiceLinkedRole', { AWSServiceName: servicePrincipal }, ctx, tx)) as {
    Role: { Arn: string };
  };
  return { roleArn: out.Role.Arn, created: true };
}

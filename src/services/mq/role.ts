// Amazon MQ's service-linked role (AWSServiceRoleForAmazonMQ): the principal it trusts, the tag its
// policy keys on, and its creation on the account's first broker with the caller's authority, in the
// broker's own transaction — without iam:CreateServiceLinkedRole the caller gets IAM's AccessDenied
// (as MQ's ForbiddenException, errors.ts) and the request, broker included, rolls back.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { ensureRole, type LinkedHost } from '../linked/index.ts';

/** Amazon MQ's service principal: its role's trust policy names it, and it acts through that role. */
export const PRINCIPAL = 'mq.amazonaws.com';

/**
 * The tag key Amazon MQ puts (value `true`) on the VPC endpoints it makes: the role's policy allows
 * creating an endpoint only with this request tag, and deleting only endpoints that carry it.
 */
export const MANAGED_TAG = 'AMQManaged';

export async function ensureServiceRole(host: LinkedHost, ctx: CallContext, tx: Tx): Promise<void> {
  await ensureRole(host, ctx, tx, PRINCIPAL);
}

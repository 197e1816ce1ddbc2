// MemoryDB's service-linked role (AWSServiceRoleForMemoryDB): the principal it trusts, the tag its
// policy keys on, and its creation on the account's first cluster with the caller's authority, in the
// cluster's own transaction — a caller who may not create it gets IAM's AccessDenied (in MemoryDB's
// words, errors.ts) and the request creates nothing, not even the role.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { ensureRole, type LinkedHost } from '../linked/index.ts';

export const PRINCIPAL = 'memorydb.amazonaws.com';

/**
 * The tag key MemoryDB puts (value `true`) on the network interfaces it makes: the role's policy lets
 * it delete only interfaces that carry it.
 */
export const MANAGED_TAG = 'AmazonMemoryDBManaged';

export async function ensureServiceRole(host: LinkedHost, ctx: CallContext, tx: Tx): Promise<void> {
  await ensureRole(host, ctx, tx, PRINCIPAL);
}

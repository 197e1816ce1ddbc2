// ElastiCache's service-linked role: created on the first resource with the caller's authority, in
// the resource's own transaction. A caller who may not create it gets ElastiCache's answer for a
// missing role, ServiceLinkedRoleNotFoundFault, rather than IAM's AccessDenied — the request creates
// nothing, not even the role.

import type { CallContext } from '../../common/call.ts';
import { ApiError } from '../../common/errors.ts';
import type { Tx } from '../../store/types.ts';
import { ensureRole, type LinkedHost } from '../linked/index.ts';
import { serviceLinkedRoleNotFound } from './errors.ts';

export const ELASTICACHE_PRINCIPAL = 'elasticache.amazonaws.com';

export async function ensureServiceRole(host: LinkedHost, ctx: CallContext, tx: Tx): Promise<void> {
  try {
    await ensureRole(host, ctx, tx, ELASTICACHE_PRINCIPAL);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'AccessDenied') throw serviceLinkedRoleNotFound();
    throw error;
  }
}

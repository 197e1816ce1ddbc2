// ElastiCache's service-linked role (AWSServiceRoleForElastiCache): the principal it trusts, and its
// creation on the first resource with the caller's authority, in the resource's own transaction. A caller who may not create it gets IAM's AccessDenied naming
// iam:CreateServiceLinkedRole, as iamd's linked services all answer, and the request creates nothing,
// not even the role. (Real ElastiCache has been seen answering ServiceLinkedRoleNotFoundFault here;
// docs/services.md says why iamd does not.)

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { ensureRole, type LinkedHost } from '../linked/index.ts';

export const PRINCIPAL = 'elasticache.amazonaws.com';

export async function ensureServiceRole(host: LinkedHost, ctx: CallContext, tx: Tx): Promise<void> {
  await ensureRole(host, ctx, tx, PRINCIPAL);
}

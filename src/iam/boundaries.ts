// Permissions boundaries: which managed policies may be one, and the `boundary-use` entities that
// count each policy's PermissionsBoundaryUsageCount.

import type { Tx } from '../store/types.ts';
import type { IamDeps } from './deps.ts';
import { boundaryNotFound, invalidBoundaryArn, notAttachable } from './errors.ts';
import { findManagedPolicy, SERVICE_ROLE_POLICY_PATH, type ManagedPolicyView } from './managed.ts';
import { KIND, ownerKey, parsePolicyArn, type BoundaryUseDoc } from './model.ts';

/** The managed policy `arn` names, if it may serve as a permissions boundary; AWS's error otherwise. */
export async function resolveBoundary(tx: Tx, deps: IamDeps, account: string, arn: string): Promise<ManagedPolicyView> {
  if (!parsePolicyArn(arn)) throw invalidBoundaryArn(arn);
  const policy = await findManagedPolicy(tx, deps, account, arn);
  if (!policy || !policy.IsAttachable) throw boundaryNotFound(arn);
  if (policy.Path === SERVICE_ROLE_POLICY_PATH) {
    throw notAttachable(`Cannot set a Service Role Policy as a permissions boundary: ${arn}.`);
  }
  return policy;
}

export interface BoundaryOwner {
  kind: 'user' | 'role';
  name: string;
  id: string;
}

/** Records (or, with `arn` undefined, forgets) the owner's boundary for the usage counts. */
export async function recordBoundaryUse(tx: Tx, account: string, owner: BoundaryOwner, arn: string | undefined): Promise<void> {
  const key = ownerKey(owner.kind, owner.name);
  await tx.delete(account, KIND.boundaryUse, key);
  if (arn === undefined) return;
  const doc: BoundaryUseDoc = { ownerKind: owner.kind, ownerName: owner.name, ownerId: owner.id, PolicyArn: arn };
  await tx.insert(account, KIND.boundaryUse, key, doc, arn);
}

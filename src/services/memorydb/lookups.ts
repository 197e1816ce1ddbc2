// Finding a cluster of the caller's region, or MemoryDB's refusal.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { clusterNotFound } from './errors.ts';
import { getDoc, KIND, type ClusterDoc } from './model.ts';

export async function requireCluster(tx: Tx, ctx: CallContext, name: string): Promise<ClusterDoc> {
  const cluster = await getDoc<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region, name);
  if (!cluster) throw clusterNotFound(name);
  return cluster;
}

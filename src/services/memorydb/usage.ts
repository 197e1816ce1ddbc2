// What MemoryDB tells IAM when its service-linked role is to be deleted: every cluster, in whatever
// state, by region (a cluster being created or deleted still needs the role). Snapshots do not use it.

import type { LinkedService } from '../../iam/service-linked-roles/index.ts';
import { allClusters } from './model.ts';
import { PRINCIPAL } from './role.ts';

export const usage: LinkedService = {
  servicePrincipal: PRINCIPAL,
  async usage(tx, account) {
    const byRegion = new Map<string, string[]>();
    for (const cluster of await allClusters(tx, account)) {
      const arns = byRegion.get(cluster.region) ?? [];
      arns.push(cluster.ARN);
      byRegion.set(cluster.region, arns);
    }
    return [...byRegion].map(([region, resources]) => ({ region, resources }));
  },
};

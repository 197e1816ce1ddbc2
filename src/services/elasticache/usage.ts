// What ElastiCache tells IAM while its service-linked role is to be deleted: the clusters and
// replication groups that still need it — at most five per deletion request, as the IAM User Guide
// describes (a user who removes the five listed and submits again is shown the rest). A replication
// group stands for its member clusters; snapshots do not need the role.

import type { LinkedService, RoleUsageReport } from '../../iam/service-linked-roles/index.ts';
import { CLUSTER, listAllRegions, REPLICATION_GROUP } from './model.ts';
import { PRINCIPAL } from './role.ts';

const MAX_REPORTED_RESOURCES = 5;

export const usage: LinkedService = {
  servicePrincipal: PRINCIPAL,
  async usage(tx, account) {
    const groups = await listAllRegions(tx, account, REPLICATION_GROUP);
    const clusters = (await listAllRegions(tx, account, CLUSTER)).filter((c) => c.ReplicationGroupId === undefined);
    const resources = [
      ...groups.map((g) => ({ region: g.internal.region, arn: g.ARN })),
      ...clusters.map((c) => ({ region: c.internal.region, arn: c.ARN })),
    ].sort((a, b) => (a.region === b.region ? (a.arn < b.arn ? -1 : 1) : a.region < b.region ? -1 : 1));
    const byRegion = new Map<string, string[]>();
    for (const { region, arn } of resources.slice(0, MAX_REPORTED_RESOURCES)) {
      byRegion.set(region, [...(byRegion.get(region) ?? []), arn]);
    }
    return [...byRegion].map(([region, arns]): RoleUsageReport => ({ region, resources: arns }));
  },
};

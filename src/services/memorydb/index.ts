// Amazon MemoryDB (awsJson 1.1, `AmazonMemoryDB.<Op>`, signing name `memorydb`) as a linked service:
// clusters, snapshots, subnet groups, tags and events, with the service-linked role
// AWSServiceRoleForMemoryDB created by the account's first cluster and used for the clusters' network
// interfaces and metrics. docs/services.md § MemoryDB.
//
//   installLinked(memoryDbService(linkedHost));   // src/server/app.ts

import type { LinkedHost, LinkedServiceModule } from '../linked/index.ts';
import { clusterOperations } from './clusters.ts';
import { memoryDbAccessDenied } from './errors.ts';
import { eventOperations } from './events.ts';
import { clusterJob, snapshotJob } from './lifecycle.ts';
import { CLUSTER_JOB, SNAPSHOT_JOB } from './operation.ts';
import { snapshotOperations } from './snapshots.ts';
import { subnetGroupOperations } from './subnet-groups.ts';
import { tagOperations } from './tags.ts';
import { memoryDbUsage } from './usage.ts';

export function memoryDbService(host: LinkedHost): LinkedServiceModule {
  const deps = { host };
  return {
    operations: [
      ...clusterOperations(deps),
      ...snapshotOperations(deps),
      ...subnetGroupOperations(),
      ...tagOperations(),
      ...eventOperations(),
    ],
    accessDenied: memoryDbAccessDenied,
    jobs: { [CLUSTER_JOB]: clusterJob(host), [SNAPSHOT_JOB]: snapshotJob(host) },
    usage: memoryDbUsage,
  };
}

export { memoryDbAccessDenied } from './errors.ts';
export { memoryDbArn, parseMemoryDbArn, type MemoryDbResourceType } from './arn.ts';
export { MANAGED_TAG, METRIC_NAMESPACE } from './lifecycle.ts';
export { SERVICE_PRINCIPAL as MEMORYDB_PRINCIPAL } from './operation.ts';

// Amazon MemoryDB (awsJson 1.1, `AmazonMemoryDB.<Op>`, signing name `memorydb`) as a linked service:
// clusters, snapshots, subnet groups, tags and events, with the service-linked role
// AWSServiceRoleForMemoryDB created by the account's first cluster and used for the clusters' network
// interfaces and metrics. docs/services.md § MemoryDB.

import type { ServiceDescriptor } from '../descriptor.ts';
import { clusterOperations } from './clusters.ts';
import { memoryDbAccessDenied } from './errors.ts';
import { eventOperations } from './events.ts';
import { clusterJob, snapshotJob } from './lifecycle.ts';
import { CLUSTER_JOB, SNAPSHOT_JOB } from './operation.ts';
import { snapshotOperations } from './snapshots.ts';
import { subnetGroupOperations } from './subnet-groups.ts';
import { tagOperations } from './tags.ts';
import { memoryDbUsage } from './usage.ts';

export const service: ServiceDescriptor = {
  name: 'memorydb',
  wire: {
    source: { file: 'memorydb-2021-01-01' },
    protocol: 'json',
    validation: { code: 'ValidationException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'MemoryDB',
  },
  operations: ({ host }) => [
    ...clusterOperations({ host }),
    ...snapshotOperations({ host }),
    ...subnetGroupOperations(),
    ...tagOperations(),
    ...eventOperations(),
  ],
  accessDenied: memoryDbAccessDenied,
  jobs: ({ host }) => ({ [CLUSTER_JOB]: clusterJob(host), [SNAPSHOT_JOB]: snapshotJob(host) }),
  linked: memoryDbUsage,
};

export { memoryDbAccessDenied } from './errors.ts';
export { memoryDbArn, parseMemoryDbArn, type MemoryDbResourceType } from './arn.ts';
export { MANAGED_TAG, METRIC_NAMESPACE } from './lifecycle.ts';
export { SERVICE_PRINCIPAL as MEMORYDB_PRINCIPAL } from './operation.ts';

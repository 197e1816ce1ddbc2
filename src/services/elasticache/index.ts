// Amazon ElastiCache as a linked service: cache clusters, replication groups, snapshots and cache
// subnet groups on the awsQuery protocol (2015-02-02), its service-linked role created with the
// caller's authority on the first resource, network interfaces and metrics made through that role by
// the lifecycle jobs, and the resources reported (five at a time) while the role is to be deleted.
// docs/services.md § "ElastiCache"; the folder follows § "A linked service's folder".

import type { ServiceDescriptor } from '../descriptor.ts';
import { jobs } from './lifecycle.ts';
import { clusterOperations } from './ops/clusters.ts';
import { eventOperations } from './ops/events.ts';
import { replicationGroupOperations } from './ops/replication-groups.ts';
import { snapshotOperations } from './ops/snapshots.ts';
import { subnetGroupOperations } from './ops/subnet-groups.ts';
import { usage } from './usage.ts';

export const service: ServiceDescriptor = {
  name: 'elasticache',
  wire: {
    source: { file: 'elasticache-2015-02-02' },
    protocol: 'query',
    validation: { code: 'ValidationError', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'ElastiCache',
  },
  operations: ({ host }) => [
    ...clusterOperations(host),
    ...replicationGroupOperations(host),
    ...snapshotOperations(host),
    ...subnetGroupOperations(host),
    ...eventOperations(),
  ],
  jobs: ({ host }) => jobs(host),
  linked: usage,
  // Their lifecycle jobs make and remove network interfaces (and metrics, logs) as the role.
  roleActions: ['elasticache:CreateCacheCluster', 'elasticache:CreateReplicationGroup', 'elasticache:DeleteCacheCluster', 'elasticache:DeleteReplicationGroup'],
};

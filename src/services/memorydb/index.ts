// Amazon MemoryDB (awsJson 1.1, `AmazonMemoryDB.<Op>`, signing name `memorydb`) as a linked service:
// clusters, snapshots, subnet groups, tags and events, with the service-linked role
// AWSServiceRoleForMemoryDB created by the account's first cluster and used for the clusters' network
// interfaces and metrics. docs/services.md § MemoryDB; the folder follows § "A linked service's folder".

import type { ServiceDescriptor } from '../descriptor.ts';
import { accessDenied } from './errors.ts';
import { jobs } from './lifecycle.ts';
import { clusterOperations } from './ops/clusters.ts';
import { eventOperations } from './ops/events.ts';
import { snapshotOperations } from './ops/snapshots.ts';
import { subnetGroupOperations } from './ops/subnet-groups.ts';
import { tagOperations } from './ops/tags.ts';
import { usage } from './usage.ts';

export const service: ServiceDescriptor = {
  name: 'memorydb',
  wire: {
    source: { file: 'memorydb-2021-01-01' },
    protocol: 'json',
    validation: { code: 'ValidationException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'MemoryDB',
  },
  operations: ({ host }) => [
    ...clusterOperations(host),
    ...snapshotOperations(host),
    ...subnetGroupOperations(),
    ...tagOperations(),
    ...eventOperations(),
  ],
  accessDenied,
  jobs: ({ host }) => jobs(host),
  linked: usage,
  // Their lifecycle jobs make and remove network interfaces (and metrics, logs) as the role.
  roleActions: ['memorydb:CreateCluster', 'memorydb:UpdateCluster', 'memorydb:DeleteCluster'],
};

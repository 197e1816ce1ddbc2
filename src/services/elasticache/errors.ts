// ElastiCache's errors with the model's wire codes and statuses (`modelError` reads both from the
// model). Texts recorded from real ElastiCache answers are marked; the others are iamd's reading of
// ElastiCache's style, listed in docs/services.md.

import type { ApiError } from '../../common/errors.ts';
import { modelError } from '../../protocol/errors.ts';

const fault = (shape: string, message: string): ApiError => modelError('elasticache', shape, message);

export const invalidParameterValue = (message: string) => fault('InvalidParameterValueException', message);
export const invalidParameterCombination = (message: string) => fault('InvalidParameterCombinationException', message);

/** Recorded: "CacheCluster not found: my-cluster". */
export const cacheClusterNotFound = (id: string) => fault('CacheClusterNotFoundFault', `CacheCluster not found: ${id}`);
/** Recorded. */
export const cacheClusterAlreadyExists = () => fault('CacheClusterAlreadyExistsFault', 'Cache cluster already exists');
export const invalidCacheClusterState = (message: string) => fault('InvalidCacheClusterStateFault', message);

export const replicationGroupNotFound = (id: string) => fault('ReplicationGroupNotFoundFault', `ReplicationGroup not found: ${id}`);
export const replicationGroupAlreadyExists = () => fault('ReplicationGroupAlreadyExistsFault', 'Replication group already exists');
export const invalidReplicationGroupState = (message: string) => fault('InvalidReplicationGroupStateFault', message);

export const snapshotNotFound = (name: string) => fault('SnapshotNotFoundFault', `Snapshot not found: ${name}`);
export const snapshotAlreadyExists = (name: string) => fault('SnapshotAlreadyExistsFault', `Snapshot with specified name [${name}] already exists`);
export const invalidSnapshotState = (message: string) => fault('InvalidSnapshotStateFault', message);
export const snapshotFeatureNotSupported = (message: string) => fault('SnapshotFeatureNotSupportedFault', message);

export const cacheSubnetGroupNotFound = (name: string) => fault('CacheSubnetGroupNotFoundFault', `CacheSubnetGroup not found: ${name}`);
export const cacheSubnetGroupAlreadyExists = (name: string) => fault('CacheSubnetGroupAlreadyExistsFault', `Cache subnet group ${name} already exists.`);
export const cacheSubnetGroupInUse = (name: string) => fault('CacheSubnetGroupInUse', `Cache subnet group ${name} is currently in use by a cache cluster.`);
export const invalidSubnet = (message: string) => fault('InvalidSubnet', message);

export const tagQuotaExceeded = () => fault('TagQuotaPerResourceExceeded', 'The request cannot be processed because it would cause the resource to have more than the allowed number of tags. The maximum number of tags permitted on a resource is 50.');


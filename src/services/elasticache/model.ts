// What ElastiCache keeps in the store, per account: documents shaped like the API's output (member
// names as in the model) plus a few fields of iamd's own, grouped under `internal`. Keys are
// `<region>/<lower-cased name>`, so every region has its own names and one region is one key range.

import type { Tx } from '../../store/types.ts';

export interface Tag {
  Key: string;
  Value: string;
}

export type ClusterStatus = 'creating' | 'available' | 'deleting' | 'create-failed';

export interface CacheNodeDoc {
  CacheNodeId: string;
  CacheNodeStatus: string;
  CacheNodeCreateTime: string;
  Endpoint: { Address: string; Port: number };
  ParameterGroupStatus: 'in-sync';
  CustomerAvailabilityZone: string;
}

export interface ClusterDoc {
  CacheClusterId: string;
  ARN: string;
  CacheNodeType: string;
  Engine: string;
  EngineVersion: string;
  CacheClusterStatus: ClusterStatus;
  NumCacheNodes: number;
  PreferredAvailabilityZone: string;
  CacheClusterCreateTime: string;
  PreferredMaintenanceWindow: string;
  CacheParameterGroup: { CacheParameterGroupName: string; ParameterApplyStatus: 'in-sync'; CacheNodeIdsToReboot: string[] };
  CacheSubnetGroupName: string;
  CacheNodes: CacheNodeDoc[];
  AutoMinorVersionUpgrade: boolean;
  SecurityGroups: { SecurityGroupId: string; Status: 'active' }[];
  ReplicationGroupId?: string;
  SnapshotRetentionLimit: number;
  SnapshotWindow?: string;
  AuthTokenEnabled: boolean;
  TransitEncryptionEnabled: boolean;
  AtRestEncryptionEnabled: boolean;
  ConfigurationEndpoint?: { Address: string; Port: number };
  NetworkType: 'ipv4';
  IpDiscovery: 'ipv4';
  Tags: Tag[];
  internal: ResourceInternals;
}

export type ReplicationGroupStatus = 'creating' | 'available' | 'deleting' | 'create-failed';

export interface ReplicationGroupDoc {
  ReplicationGroupId: string;
  ARN: string;
  Description: string;
  Status: ReplicationGroupStatus;
  MemberClusters: string[];
  NodeGroups: {
    NodeGroupId: string;
    Status: string;
    PrimaryEndpoint: { Address: string; Port: number };
    ReaderEndpoint: { Address: string; Port: number };
    NodeGroupMembers: { CacheClusterId: string; CacheNodeId: string; PreferredAvailabilityZone: string; CurrentRole: 'primary' | 'replica'; ReadEndpoint: { Address: string; Port: number } }[];
  }[];
  AutomaticFailover: 'enabled' | 'disabled';
  MultiAZ: 'enabled' | 'disabled';
  SnapshotRetentionLimit: number;
  ClusterEnabled: false;
  CacheNodeType: string;
  Engine: string;
  AuthTokenEnabled: boolean;
  TransitEncryptionEnabled: boolean;
  AtRestEncryptionEnabled: boolean;
  ReplicationGroupCreateTime: string;
  NetworkType: 'ipv4';
  IpDiscovery: 'ipv4';
  Tags: Tag[];
  internal: ResourceInternals;
}

/** iamd's own bookkeeping of a cluster or replication group: where it is and what it made in EC2. */
export interface ResourceInternals {
  region: string;
  /** Subnet per cache node (`<cluster>/<node>`), chosen at creation. */
  placements: { node: string; subnetId: string; availabilityZone: string }[];
  securityGroupIds: string[];
  /** The network interfaces created through the role, per node; recorded as they are made. */
  networkInterfaces: { node: string; networkInterfaceId: string }[];
  /** Why creation failed (the denial), when it did. */
  failure?: string;
}

export type SnapshotStatus = 'creating' | 'available' | 'deleting';

export interface SnapshotDoc {
  SnapshotName: string;
  ARN: string;
  SnapshotStatus: SnapshotStatus;
  SnapshotSource: 'manual' | 'automated';
  CacheClusterId?: string;
  ReplicationGroupId?: string;
  ReplicationGroupDescription?: string;
  CacheNodeType: string;
  Engine: string;
  EngineVersion: string;
  NumCacheNodes?: number;
  PreferredAvailabilityZone?: string;
  CacheClusterCreateTime?: string;
  CacheParameterGroupName: string;
  CacheSubnetGroupName: string;
  VpcId: string;
  Port: number;
  SnapshotRetentionLimit: number;
  AutoMinorVersionUpgrade: boolean;
  NodeSnapshots: { CacheClusterId: string; CacheNodeId: string; CacheSize: string; CacheNodeCreateTime?: string; SnapshotCreateTime: string }[];
  Tags: Tag[];
  internal: { region: string };
}

export interface SubnetGroupDoc {
  CacheSubnetGroupName: string;
  CacheSubnetGroupDescription: string;
  VpcId: string;
  Subnets: { SubnetIdentifier: string; SubnetAvailabilityZone: { Name: string }; SupportedNetworkTypes: string[] }[];
  ARN: string;
  SupportedNetworkTypes: string[];
  Tags: Tag[];
  internal: { region: string };
}

export type EventSourceType = 'cache-cluster' | 'replication-group' | 'cache-subnet-group';

export interface EventDoc {
  SourceIdentifier: string;
  SourceType: EventSourceType;
  Message: string;
  Date: string;
}

export interface ResourceKind<D> {
  kind: string;
  /** Never set: it ties the kind to its document type for the functions that read by kind. */
  readonly doc?: D;
}

export const CLUSTER: ResourceKind<ClusterDoc> = { kind: 'elasticache-cluster' };
export const REPLICATION_GROUP: ResourceKind<ReplicationGroupDoc> = { kind: 'elasticache-replication-group' };
export const SNAPSHOT: ResourceKind<SnapshotDoc> = { kind: 'elasticache-snapshot' };
export const SUBNET_GROUP: ResourceKind<SubnetGroupDoc> = { kind: 'elasticache-subnet-group' };
export const EVENT_KIND = 'elasticache-event';

/** Names are case-insensitive (ElastiCache stores them lower-cased). */
const key = (region: string, name: string) => `${region}/${name.toLowerCase()}`;

export async function getResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, name: string): Promise<D | undefined> {
  return (await tx.get<D>(account, kind.kind, key(region, name)))?.doc;
}

/** In name order; `after` continues after that name (for Marker paging). */
export async function listResources<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, options: { after?: string; limit?: number } = {}): Promise<D[]> {
  const after = options.after === undefined ? undefined : key(region, options.after);
  return (await tx.list<D>(account, kind.kind, { keyPrefix: `${region}/`, after, limit: options.limit })).map((e) => e.doc);
}

/** Every resource of the kind, in every region, in (region, name) order. */
export async function listAllRegions<D>(tx: Tx, account: string, kind: ResourceKind<D>): Promise<D[]> {
  return (await tx.list<D>(account, kind.kind)).map((e) => e.doc);
}

/** Throws the store's UniqueViolation when the name is taken. */
export async function insertResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, name: string, doc: D): Promise<void> {
  await tx.insert(account, kind.kind, key(region, name), doc);
}

export async function updateResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, name: string, doc: D): Promise<void> {
  await tx.update(account, kind.kind, key(region, name), doc);
}

export async function deleteResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, name: string): Promise<boolean> {
  return tx.delete(account, kind.kind, key(region, name));
}

let eventSequence = 0;

/** Events are kept in time order per region; the sequence keeps two events of one millisecond apart. */
export async function recordEvent(tx: Tx, account: string, region: string, event: Omit<EventDoc, 'Date'>, at: Date): Promise<void> {
  eventSequence = (eventSequence + 1) % 1_000_000;
  const stamp = String(at.getTime()).padStart(15, '0');
  const unique = `${stamp}-${process.pid}-${String(eventSequence).padStart(6, '0')}`;
  await tx.insert<EventDoc>(account, EVENT_KIND, `${region}/${unique}`, { ...event, Date: at.toISOString() });
}

export async function listEvents(tx: Tx, account: string, region: string): Promise<EventDoc[]> {
  return (await tx.list<EventDoc>(account, EVENT_KIND, { keyPrefix: `${region}/` })).map((e) => e.doc);
}

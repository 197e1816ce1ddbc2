// MemoryDB's state in the store, per account and region: keys start with the region so that a name
// is unique in one region and free in the others, as on AWS.

import { UniqueViolation, type Tx } from '../../store/types.ts';

export interface Tag {
  Key: string;
  Value: string;
}

export const KIND = {
  cluster: 'memorydb-cluster',
  snapshot: 'memorydb-snapshot',
  subnetGroup: 'memorydb-subnet-group',
  event: 'memorydb-event',
} as const;

export type ClusterStatus = 'creating' | 'available' | 'updating' | 'deleting' | 'create-failed';

/** One node: a shard's primary or replica, placed in a subnet through a network interface. */
export interface NodeDoc {
  /** `0001-001`: shard number, node number. */
  Name: string;
  shard: string;
  subnetId: string;
  AvailabilityZone: string;
  CreateTime: string;
  /** Set once the service created the node's network interface through its role. */
  eniId?: string;
  address?: string;
}

export interface ClusterDoc {
  Name: string;
  ARN: string;
  region: string;
  Description?: string;
  Status: ClusterStatus;
  NodeType: string;
  Engine: string;
  EngineVersion: string;
  EnginePatchVersion: string;
  ParameterGroupName: string;
  SubnetGroupName: string;
  SecurityGroupIds: string[];
  TLSEnabled: boolean;
  KmsKeyId?: string;
  SnsTopicArn?: string;
  SnapshotRetentionLimit: number;
  MaintenanceWindow: string;
  SnapshotWindow: string;
  ACLName: string;
  AutoMinorVersionUpgrade: boolean;
  DataTiering: boolean;
  NetworkType: string;
  IpDiscovery: string;
  Port: number;
  NumberOfShards: number;
  NumReplicasPerShard: number;
  /** The host name part every endpoint of the cluster shares (`abc123`). */
  hostId: string;
  nodes: NodeDoc[];
  /** Nodes an update removed whose network interfaces are still to be deleted. */
  retired: NodeDoc[];
  Tags: Tag[];
  createdAt: string;
}

export interface SnapshotDoc {
  Name: string;
  ARN: string;
  region: string;
  Status: 'creating' | 'available' | 'deleting';
  Source: 'manual' | 'automated';
  KmsKeyId?: string;
  DataTiering: boolean;
  ClusterConfiguration: Record<string, unknown>;
  Tags: Tag[];
  createdAt: string;
}

export interface SubnetGroupDoc {
  Name: string;
  ARN: string;
  region: string;
  Description: string;
  VpcId: string;
  /** With the availability zone each is in, as DescribeSubnetGroups shows them. */
  Subnets: { Identifier: string; AvailabilityZone: string }[];
  Tags: Tag[];
}

export interface EventDoc {
  SourceName: string;
  SourceType: 'cluster' | 'node' | 'subnet-group' | 'parameter-group' | 'user' | 'acl';
  Message: string;
  Date: string;
}

const key = (region: string, name: string): string => `${region}/${name}`;

export async function getDoc<D>(tx: Tx, account: string, kind: string, region: string, name: string): Promise<D | undefined> {
  return (await tx.get<D>(account, kind, key(region, name)))?.doc;
}

/** Every document of `kind` in `region`, ascending by name. */
export async function listDocs<D>(tx: Tx, account: string, kind: string, region: string): Promise<D[]> {
  return (await tx.list<D>(account, kind, { keyPrefix: `${region}/` })).map((e) => e.doc);
}

/** Inserts a new resource; `taken` is the refusal when a concurrent request got the name first. */
export async function insertDoc<D extends { Name: string; region: string }>(tx: Tx, account: string, kind: string, doc: D, taken?: (name: string) => Error): Promise<void> {
  try {
    await tx.insert(account, kind, key(doc.region, doc.Name), doc);
  } catch (error) {
    if (taken && error instanceof UniqueViolation) throw taken(doc.Name);
    throw error;
  }
}

export async function saveDoc<D extends { Name: string; region: string }>(tx: Tx, account: string, kind: string, doc: D): Promise<void> {
  if (!(await tx.update(account, kind, key(doc.region, doc.Name), doc))) await insertDoc(tx, account, kind, doc);
}

export async function deleteDoc(tx: Tx, account: string, kind: string, region: string, name: string): Promise<boolean> {
  return tx.delete(account, kind, key(region, name));
}

/** Every cluster of the account, in every region (what the service-linked role is used by). */
export async function allClusters(tx: Tx, account: string): Promise<ClusterDoc[]> {
  return (await tx.list<ClusterDoc>(account, KIND.cluster)).map((e) => e.doc);
}

/** Records an event (DescribeEvents), keyed by time so that a region's events list in order. */
export async function addEvent(tx: Tx, account: string, region: string, event: Omit<EventDoc, 'Date'>, at: Date = new Date()): Promise<void> {
  const doc: EventDoc = { ...event, Date: at.toISOString() };
  await tx.insert(account, KIND.event, `${region}/${at.toISOString()}/${crypto.randomUUID()}`, doc);
}

export async function listEvents(tx: Tx, account: string, region: string): Promise<EventDoc[]> {
  return listDocs<EventDoc>(tx, account, KIND.event, region);
}

// Where a new cluster's nodes go: into the subnets of its subnet group, the preferred zones first,
// otherwise spread over the group's zones in order (as ElastiCache spreads replicas).

import { invalidParameterValue } from './errors.ts';
import type { CacheNodeDoc, ClusterDoc, ResourceInternals, SubnetGroupDoc } from './model.ts';
import { nodeAddress } from './endpoints.ts';

export interface NodePlacement {
  subnetId: string;
  availabilityZone: string;
}

/** `count` placements; `preferred` zones (each must be in the group) are used in order, then round robin. */
export function placeNodes(group: SubnetGroupDoc, count: number, preferred: string[], offset = 0): NodePlacement[] {
  const subnets = [...group.Subnets].sort((a, b) => a.SubnetAvailabilityZone.Name.localeCompare(b.SubnetAvailabilityZone.Name));
  const inZone = (zone: string) => {
    const subnet = subnets.find((s) => s.SubnetAvailabilityZone.Name === zone);
    if (!subnet) throw invalidParameterValue(`The availability zone ${zone} is not in cache subnet group ${group.CacheSubnetGroupName}.`);
    return subnet;
  };
  return Array.from({ length: count }, (_, i) => {
    const subnet = i < preferred.length ? inZone(preferred[i]) : subnets[(offset + i) % subnets.length];
    return { subnetId: subnet.SubnetIdentifier, availabilityZone: subnet.SubnetAvailabilityZone.Name };
  });
}

/** ElastiCache's default weekly maintenance window (UTC). */
export const DEFAULT_MAINTENANCE_WINDOW = 'sun:05:00-sun:06:00';

export const nodeId = (index: number) => String(index + 1).padStart(4, '0');

export interface NewCluster {
  account: string;
  region: string;
  arn: string;
  id: string;
  engine: string;
  engineVersion: string;
  nodeType: string;
  parameterGroup: string;
  port: number;
  group: SubnetGroupDoc;
  securityGroupIds: string[];
  placements: NodePlacement[];
  replicationGroupId?: string;
  snapshotRetentionLimit: number;
  snapshotWindow?: string;
  maintenanceWindow: string;
  autoMinorVersionUpgrade: boolean;
  authToken: boolean;
  transitEncryption: boolean;
  atRestEncryption: boolean;
  tags: ClusterDoc['Tags'];
  now: Date;
}

/** A cluster as it is while `creating`. */
export function newClusterDoc(c: NewCluster): ClusterDoc {
  const created = c.now.toISOString();
  const nodes: CacheNodeDoc[] = c.placements.map((p, i) => ({
    CacheNodeId: nodeId(i),
    CacheNodeStatus: 'creating',
    CacheNodeCreateTime: created,
    Endpoint: { Address: nodeAddress(c.account, c.region, c.id, nodeId(i)), Port: c.port },
    ParameterGroupStatus: 'in-sync',
    CustomerAvailabilityZone: p.availabilityZone,
  }));
  const zones = new Set(c.placements.map((p) => p.availabilityZone));
  const internal: ResourceInternals = {
    region: c.region,
    placements: c.placements.map((p, i) => ({ node: `${c.id}/${nodeId(i)}`, subnetId: p.subnetId, availabilityZone: p.availabilityZone })),
    securityGroupIds: c.securityGroupIds,
    networkInterfaces: [],
  };
  return {
    CacheClusterId: c.id,
    ARN: c.arn,
    CacheNodeType: c.nodeType,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    CacheClusterStatus: 'creating',
    NumCacheNodes: c.placements.length,
    PreferredAvailabilityZone: zones.size > 1 ? 'Multiple' : c.placements[0].availabilityZone,
    CacheClusterCreateTime: created,
    PreferredMaintenanceWindow: c.maintenanceWindow,
    CacheParameterGroup: { CacheParameterGroupName: c.parameterGroup, ParameterApplyStatus: 'in-sync', CacheNodeIdsToReboot: [] },
    CacheSubnetGroupName: c.group.CacheSubnetGroupName,
    CacheNodes: nodes,
    AutoMinorVersionUpgrade: c.autoMinorVersionUpgrade,
    SecurityGroups: c.securityGroupIds.map((id) => ({ SecurityGroupId: id, Status: 'active' })),
    ReplicationGroupId: c.replicationGroupId,
    SnapshotRetentionLimit: c.snapshotRetentionLimit,
    SnapshotWindow: c.snapshotWindow,
    AuthTokenEnabled: c.authToken,
    TransitEncryptionEnabled: c.transitEncryption,
    AtRestEncryptionEnabled: c.atRestEncryption,
    NetworkType: 'ipv4',
    IpDiscovery: 'ipv4',
    Tags: c.tags,
    internal,
  };
}

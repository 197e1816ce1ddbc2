// What MemoryDB's API shows of its resources (the model's Cluster, Snapshot and SubnetGroup shapes).

import type { ClusterDoc, SnapshotDoc, SubnetGroupDoc } from './model.ts';

const host = (c: ClusterDoc, label: string): string => `${label}.${c.Name}.${c.hostId}.memorydb.${c.region}.amazonaws.com`;

export function clusterView(c: ClusterDoc, showShardDetails = false): Record<string, unknown> {
  const view: Record<string, unknown> = {
    Name: c.Name,
    Description: c.Description,
    Status: c.Status,
    NumberOfShards: c.NumberOfShards,
    AvailabilityMode: c.NumReplicasPerShard > 0 ? 'multiaz' : 'singleaz',
    NodeType: c.NodeType,
    Engine: c.Engine,
    EngineVersion: c.EngineVersion,
    EnginePatchVersion: c.EnginePatchVersion,
    ParameterGroupName: c.ParameterGroupName,
    ParameterGroupStatus: 'in-sync',
    SecurityGroups: c.SecurityGroupIds.map((id) => ({ SecurityGroupId: id, Status: 'active' })),
    SubnetGroupName: c.SubnetGroupName,
    TLSEnabled: c.TLSEnabled,
    KmsKeyId: c.KmsKeyId,
    ARN: c.ARN,
    SnsTopicArn: c.SnsTopicArn,
    SnsTopicStatus: c.SnsTopicArn ? 'active' : undefined,
    SnapshotRetentionLimit: c.SnapshotRetentionLimit,
    MaintenanceWindow: c.MaintenanceWindow,
    SnapshotWindow: c.SnapshotWindow,
    ACLName: c.ACLName,
    AutoMinorVersionUpgrade: c.AutoMinorVersionUpgrade,
    DataTiering: c.DataTiering ? 'true' : 'false',
    NetworkType: c.NetworkType,
    IpDiscovery: c.IpDiscovery,
  };
  if (c.Status !== 'creating' && c.Status !== 'create-failed') view.ClusterEndpoint = { Address: host(c, 'clustercfg'), Port: c.Port };
  if (showShardDetails) {
    const shards = [...new Set(c.nodes.map((n) => n.shard))];
    view.Shards = shards.map((shard) => {
      const nodes = c.nodes.filter((n) => n.shard === shard);
      return {
        Name: shard,
        Status: c.Status === 'available' ? 'available' : c.Status,
        Slots: slotRange(Number(shard) - 1, c.NumberOfShards),
        NumberOfNodes: nodes.length,
        Nodes: nodes.map((n) => ({
          Name: n.Name,
          Status: n.eniId ? 'available' : 'creating',
          AvailabilityZone: n.AvailabilityZone,
          CreateTime: new Date(n.CreateTime),
          ...(n.eniId ? { Endpoint: { Address: host(c, `${c.Name}-${n.Name}`), Port: c.Port } } : {}),
        })),
      };
    });
  }
  return view;
}

/** The hash slots (0–16383) of shard `index` of `count`, split evenly as MemoryDB does. */
function slotRange(index: number, count: number): string {
  const per = Math.floor(16384 / count);
  const start = index * per;
  const end = index === count - 1 ? 16383 : start + per - 1;
  return `${start}-${end}`;
}

export function snapshotView(s: SnapshotDoc, showDetail = true): Record<string, unknown> {
  return {
    Name: s.Name,
    Status: s.Status,
    Source: s.Source,
    KmsKeyId: s.KmsKeyId,
    ARN: s.ARN,
    DataTiering: s.DataTiering ? 'true' : 'false',
    ...(showDetail ? { ClusterConfiguration: s.ClusterConfiguration } : { ClusterConfiguration: { Name: s.ClusterConfiguration.Name } }),
  };
}

export function subnetGroupView(g: SubnetGroupDoc): Record<string, unknown> {
  return {
    Name: g.Name,
    Description: g.Description,
    VpcId: g.VpcId,
    Subnets: g.Subnets.map((s) => ({ Identifier: s.Identifier, AvailabilityZone: { Name: s.AvailabilityZone }, SupportedNetworkTypes: ['ipv4', 'dual_stack'] })),
    ARN: g.ARN,
    SupportedNetworkTypes: ['ipv4', 'dual_stack'],
  };
}

// CreateCluster, DescribeClusters, UpdateCluster, DeleteCluster. A cluster is written `creating` in the
// request's transaction — together with the service-linked role when it is the account's first, created
// with the caller's authority — and a durable job takes it on: its nodes' network interfaces are
// created through the role (lifecycle.ts).

import { randomBytes } from 'node:crypto';
import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import { ensureRole, scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { memoryDbArn } from '../arn.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { memoryDbCheck } from '../authz.ts';
import {
  aclNotFound, clusterExists, invalidClusterState, invalidParameterCombination, invalidParameterValue,
  noOperation, parameterGroupNotFound, snapshotExists, snapshotNotFound,
} from '../errors.ts';
import { addEvent, getDoc, insertDoc, KIND, listDocs, saveDoc, type ClusterDoc, type SnapshotDoc, type Tag } from '../model.ts';
import { CLUSTER_JOB, SNAPSHOT_JOB, type StepPayload } from '../lifecycle.ts';
import { requireCluster } from '../lookups.ts';
import { checkSecurityGroups, DEFAULT_SUBNET_GROUP, requireSubnetGroup } from '../network.ts';
import { plannedNodes } from '../nodes.ts';
import { operation, page } from '../operation.ts';
import { PRINCIPAL } from '../role.ts';
import { newSnapshot } from './snapshots.ts';
import { checkName, checkNodeType, checkRange, checkTags, checkWindow } from '../validate.ts';
import { clusterView } from '../views.ts';

/** The one ACL every account has (iamd has no ACL operations). */
export const OPEN_ACCESS_ACL = 'open-access';

const ENGINES: Record<string, { version: string; patch: string; parameterGroup: string }> = {
  redis: { version: '7.1', patch: '7.1.2', parameterGroup: 'default.memorydb-redis7' },
  valkey: { version: '7.2', patch: '7.2.6', parameterGroup: 'default.memorydb-valkey7' },
};

interface CreateInput {
  ClusterName: string;
  NodeType: string;
  ACLName: string;
  Description?: string;
  NumShards?: number;
  NumReplicasPerShard?: number;
  SubnetGroupName?: string;
  SecurityGroupIds?: string[];
  MaintenanceWindow?: string;
  Port?: number;
  SnsTopicArn?: string;
  TLSEnabled?: boolean;
  KmsKeyId?: string;
  SnapshotArns?: string[];
  SnapshotName?: string;
  SnapshotRetentionLimit?: number;
  Tags?: Tag[];
  SnapshotWindow?: string;
  ParameterGroupName?: string;
  Engine?: string;
  EngineVersion?: string;
  AutoMinorVersionUpgrade?: boolean;
  DataTiering?: boolean;
  NetworkType?: string;
  IpDiscovery?: string;
  MultiRegionClusterName?: string;
}

interface UpdateInput {
  ClusterName: string;
  Description?: string;
  SecurityGroupIds?: string[];
  MaintenanceWindow?: string;
  SnsTopicArn?: string;
  SnsTopicStatus?: string;
  ParameterGroupName?: string;
  SnapshotWindow?: string;
  SnapshotRetentionLimit?: number;
  NodeType?: string;
  Engine?: string;
  EngineVersion?: string;
  ReplicaConfiguration?: { ReplicaCount: number };
  ShardConfiguration?: { ShardCount: number };
  ACLName?: string;
  IpDiscovery?: string;
}

function checkParameterGroup(name: string | undefined, engine: string): string {
  const fallback = ENGINES[engine].parameterGroup;
  if (name === undefined || name === fallback) return fallback;
  throw parameterGroupNotFound(name);
}

const clusterArn = (ctx: CallContext, name: string) => memoryDbArn(ctx.region, ctx.account, 'cluster', name);

export function clusterOperations(host: LinkedHost): Operation[] {
  const createCluster = operation<CreateInput>('CreateCluster', {
    authorize(input, ctx) {
      const checks: AuthzCheck[] = [
        memoryDbCheck('CreateCluster', clusterArn(ctx, input.ClusterName), {
          ...requestTagContext(input.Tags),
          'memorydb:TLSEnabled': String(input.TLSEnabled ?? true),
        }),
        memoryDbCheck('CreateCluster', memoryDbArn(ctx.region, ctx.account, 'subnetgroup', input.SubnetGroupName ?? DEFAULT_SUBNET_GROUP)),
        memoryDbCheck('CreateCluster', memoryDbArn(ctx.region, ctx.account, 'acl', input.ACLName)),
      ];
      if (input.ParameterGroupName !== undefined) {
        checks.push(memoryDbCheck('CreateCluster', memoryDbArn(ctx.region, ctx.account, 'parametergroup', input.ParameterGroupName)));
      }
      if (input.SnapshotName !== undefined) {
        checks.push(memoryDbCheck('CreateCluster', memoryDbArn(ctx.region, ctx.account, 'snapshot', input.SnapshotName)));
      }
      return checks;
    },
    async handle(input, ctx, tx) {
      checkName('Cluster', input.ClusterName);
      checkNodeType(input.NodeType);
      checkRange('NumShards', input.NumShards, 1, 500);
      checkRange('NumReplicasPerShard', input.NumReplicasPerShard, 0, 5);
      checkRange('SnapshotRetentionLimit', input.SnapshotRetentionLimit, 0, 35);
      checkRange('Port', input.Port, 1, 65535);
      checkWindow('MaintenanceWindow', input.MaintenanceWindow, true);
      checkWindow('SnapshotWindow', input.SnapshotWindow, false);
      if (input.MultiRegionClusterName !== undefined) throw invalidParameterValue('Multi-Region clusters are not supported.');
      if (input.SnapshotArns !== undefined && input.SnapshotArns.length > 0) {
        throw invalidParameterValue('Restoring from snapshot files in Amazon S3 (SnapshotArns) is not supported.');
      }
      const engine = (input.Engine ?? 'redis').toLowerCase();
      const spec = ENGINES[engine];
      if (!spec) throw invalidParameterValue(`Invalid engine: ${input.Engine}`);
      if (input.EngineVersion !== undefined && input.EngineVersion !== spec.version && !spec.version.startsWith(`${input.EngineVersion}.`)) {
        throw invalidParameterValue(`Invalid engine version ${input.EngineVersion} for engine ${engine}`);
      }
      if (input.DataTiering && !/^db\.r6gd\./.test(input.NodeType)) {
        throw invalidParameterCombination('Data tiering is supported only for the r6gd node types.');
      }
      if (input.ACLName !== OPEN_ACCESS_ACL) throw aclNotFound(input.ACLName);
      const tags = checkTags(input.Tags);
      const parameterGroup = checkParameterGroup(input.ParameterGroupName, engine);
      const subnetGroup = await requireSubnetGroup(tx, ctx.account, ctx.region, input.SubnetGroupName ?? DEFAULT_SUBNET_GROUP);
      const securityGroups = await checkSecurityGroups(tx, ctx, input.SecurityGroupIds);
      if (input.SnapshotName !== undefined) {
        const snapshot = await getDoc<SnapshotDoc>(tx, ctx.account, KIND.snapshot, ctx.region, input.SnapshotName);
        if (!snapshot || snapshot.Status !== 'available') throw snapshotNotFound(input.SnapshotName);
      }
      if (await getDoc(tx, ctx.account, KIND.cluster, ctx.region, input.ClusterName)) throw clusterExists(input.ClusterName);

      // The account's first cluster makes the service's role, as the caller; a denial ends the request here.
      await ensureRole(host, ctx, tx, PRINCIPAL);

      const shards = input.NumShards ?? 1;
      const replicas = input.NumReplicasPerShard ?? 1;
      const cluster: ClusterDoc = {
        Name: input.ClusterName,
        ARN: clusterArn(ctx, input.ClusterName),
        region: ctx.region,
        Description: input.Description,
        Status: 'creating',
        NodeType: input.NodeType,
        Engine: engine,
        EngineVersion: spec.version,
        EnginePatchVersion: spec.patch,
        ParameterGroupName: parameterGroup,
        SubnetGroupName: subnetGroup.Name,
        SecurityGroupIds: securityGroups,
        TLSEnabled: input.TLSEnabled ?? true,
        KmsKeyId: input.KmsKeyId,
        SnsTopicArn: input.SnsTopicArn,
        SnapshotRetentionLimit: input.SnapshotRetentionLimit ?? 0,
        MaintenanceWindow: input.MaintenanceWindow ?? 'sat:06:30-sat:07:30',
        SnapshotWindow: input.SnapshotWindow ?? '05:00-06:00',
        ACLName: input.ACLName,
        AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
        DataTiering: input.DataTiering ?? false,
        NetworkType: input.NetworkType ?? 'ipv4',
        IpDiscovery: input.IpDiscovery ?? 'ipv4',
        Port: input.Port ?? 6379,
        NumberOfShards: shards,
        NumReplicasPerShard: replicas,
        hostId: randomBytes(3).toString('hex'),
        nodes: plannedNodes(shards, replicas, subnetGroup.Subnets, [], ctx.now).nodes,
        retired: [],
        Tags: tags,
        createdAt: ctx.now.toISOString(),
      };
      await insertDoc(tx, ctx.account, KIND.cluster, cluster, clusterExists);
      await scheduleStep<StepPayload>(host, tx, { type: CLUSTER_JOB, account: ctx.account, payload: { region: ctx.region, name: cluster.Name } });
      return { Cluster: clusterView(cluster) };
    },
  });

  const describeClusters = operation<{ ClusterName?: string; MaxResults?: number; NextToken?: string; ShowShardDetails?: boolean }>('DescribeClusters', {
    readOnly: true,
    async authorize(input, ctx, tx) {
      if (input.ClusterName === undefined) return [memoryDbCheck('DescribeClusters', clusterArn(ctx, '*'))];
      const cluster = await getDoc<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region, input.ClusterName);
      return [memoryDbCheck('DescribeClusters', clusterArn(ctx, input.ClusterName), resourceTagContext(cluster?.Tags))];
    },
    async handle(input, ctx, tx) {
      const clusters = input.ClusterName !== undefined
        ? [await requireCluster(tx, ctx, input.ClusterName)]
        : await listDocs<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region);
      const { items, next } = page(clusters, input);
      return { Clusters: items.map((c) => clusterView(c, input.ShowShardDetails === true)), NextToken: next };
    },
  });

  const updateCluster = operation<UpdateInput>('UpdateCluster', {
    async authorize(input, ctx, tx) {
      const cluster = await getDoc<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region, input.ClusterName);
      return [memoryDbCheck('UpdateCluster', clusterArn(ctx, input.ClusterName), resourceTagContext(cluster?.Tags))];
    },
    async handle(input, ctx, tx) {
      const cluster = await requireCluster(tx, ctx, input.ClusterName);
      const { ClusterName: _name, ...changes } = input;
      if (Object.values(changes).every((v) => v === undefined)) throw noOperation();
      if (cluster.Status !== 'available') throw invalidClusterState(cluster.Name, cluster.Status);
      checkRange('SnapshotRetentionLimit', input.SnapshotRetentionLimit, 0, 35);
      checkWindow('MaintenanceWindow', input.MaintenanceWindow, true);
      checkWindow('SnapshotWindow', input.SnapshotWindow, false);
      if (input.NodeType !== undefined) checkNodeType(input.NodeType);
      if (input.Engine !== undefined && input.Engine.toLowerCase() !== cluster.Engine) {
        throw invalidParameterValue(`Changing the engine from ${cluster.Engine} to ${input.Engine} is not supported.`);
      }
      if (input.EngineVersion !== undefined && !ENGINES[cluster.Engine].version.startsWith(input.EngineVersion)) {
        throw invalidParameterValue(`Invalid engine version ${input.EngineVersion} for engine ${cluster.Engine}`);
      }
      if (input.ACLName !== undefined && input.ACLName !== OPEN_ACCESS_ACL) throw aclNotFound(input.ACLName);
      const shards = input.ShardConfiguration?.ShardCount ?? cluster.NumberOfShards;
      const replicas = input.ReplicaConfiguration?.ReplicaCount ?? cluster.NumReplicasPerShard;
      checkRange('ShardCount', shards, 1, 500);
      checkRange('ReplicaCount', replicas, 0, 5);

      const updated: ClusterDoc = {
        ...cluster,
        Description: input.Description ?? cluster.Description,
        SecurityGroupIds: input.SecurityGroupIds ? await checkSecurityGroups(tx, ctx, input.SecurityGroupIds) : cluster.SecurityGroupIds,
        MaintenanceWindow: input.MaintenanceWindow ?? cluster.MaintenanceWindow,
        SnsTopicArn: input.SnsTopicStatus === 'inactive' ? undefined : (input.SnsTopicArn ?? cluster.SnsTopicArn),
        ParameterGroupName: input.ParameterGroupName !== undefined ? checkParameterGroup(input.ParameterGroupName, cluster.Engine) : cluster.ParameterGroupName,
        SnapshotWindow: input.SnapshotWindow ?? cluster.SnapshotWindow,
        SnapshotRetentionLimit: input.SnapshotRetentionLimit ?? cluster.SnapshotRetentionLimit,
        NodeType: input.NodeType ?? cluster.NodeType,
        ACLName: input.ACLName ?? cluster.ACLName,
        IpDiscovery: input.IpDiscovery ?? cluster.IpDiscovery,
      };
      if (shards !== cluster.NumberOfShards || replicas !== cluster.NumReplicasPerShard) {
        // Nodes come and go through the role, so the cluster is `updating` until the job is done.
        const subnetGroup = await requireSubnetGroup(tx, ctx.account, ctx.region, cluster.SubnetGroupName);
        const plan = plannedNodes(shards, replicas, subnetGroup.Subnets, cluster.nodes, ctx.now);
        Object.assign(updated, { NumberOfShards: shards, NumReplicasPerShard: replicas, nodes: plan.nodes, retired: [...cluster.retired, ...plan.retired], Status: 'updating' });
        await scheduleStep<StepPayload>(host, tx, { type: CLUSTER_JOB, account: ctx.account, payload: { region: ctx.region, name: cluster.Name } });
      }
      await saveDoc(tx, ctx.account, KIND.cluster, updated);
      return { Cluster: clusterView(updated) };
    },
  });

  const deleteCluster = operation<{ ClusterName: string; FinalSnapshotName?: string; MultiRegionClusterName?: string }>('DeleteCluster', {
    async authorize(input, ctx, tx) {
      const cluster = await getDoc<ClusterDoc>(tx, ctx.account, KIND.cluster, ctx.region, input.ClusterName);
      const checks = [memoryDbCheck('DeleteCluster', clusterArn(ctx, input.ClusterName), resourceTagContext(cluster?.Tags))];
      if (input.FinalSnapshotName !== undefined) {
        checks.push(memoryDbCheck('DeleteCluster', memoryDbArn(ctx.region, ctx.account, 'snapshot', input.FinalSnapshotName)));
      }
      return checks;
    },
    async handle(input, ctx, tx) {
      const cluster = await requireCluster(tx, ctx, input.ClusterName);
      if (cluster.Status !== 'available' && cluster.Status !== 'create-failed') throw invalidClusterState(cluster.Name, cluster.Status);
      if (input.FinalSnapshotName !== undefined) {
        checkName('Snapshot', input.FinalSnapshotName, 255);
        if (cluster.Status !== 'available') throw invalidClusterState(cluster.Name, cluster.Status);
        if (await getDoc(tx, ctx.account, KIND.snapshot, ctx.region, input.FinalSnapshotName)) throw snapshotExists(input.FinalSnapshotName);
        await insertDoc(tx, ctx.account, KIND.snapshot, newSnapshot(ctx, cluster, input.FinalSnapshotName, [], 'manual'), snapshotExists);
        await scheduleStep<StepPayload>(host, tx, { type: SNAPSHOT_JOB, account: ctx.account, payload: { region: ctx.region, name: input.FinalSnapshotName } });
      }
      const deleting: ClusterDoc = { ...cluster, Status: 'deleting' };
      await saveDoc(tx, ctx.account, KIND.cluster, deleting);
      await addEvent(tx, ctx.account, ctx.region, { SourceName: cluster.Name, SourceType: 'cluster', Message: `Cluster ${cluster.Name} is being deleted` }, ctx.now);
      await scheduleStep<StepPayload>(host, tx, { type: CLUSTER_JOB, account: ctx.account, payload: { region: ctx.region, name: cluster.Name } });
      return { Cluster: clusterView(deleting) };
    },
  });

  return [createCluster, describeClusters, updateCluster, deleteCluster];
}

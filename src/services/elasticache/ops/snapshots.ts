// Snapshots of a Redis OSS or Valkey cluster or replication group: CreateSnapshot, DescribeSnapshots,
// DeleteSnapshot, and the final snapshot a deletion may ask for. A snapshot is `creating` for one
// lifecycle step, then `available`; ElastiCache keeps it without its service-linked role, so
// snapshots are not what holds the role.

import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import { UniqueViolation, type Tx } from '../../../store/types.ts';
import { scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { elastiCacheArn } from '../arn.ts';
import { on, onExisting, onNew } from '../authz.ts';
import {
  cacheClusterNotFound, invalidCacheClusterState, invalidParameterCombination, invalidReplicationGroupState, invalidSnapshotState,
  replicationGroupNotFound, snapshotAlreadyExists, snapshotFeatureNotSupported, snapshotNotFound,
} from '../errors.ts';
import { RESOURCE_JOB, type StepPayload } from '../lifecycle.ts';
import {
  CLUSTER, deleteResource, getResource, insertResource, listResources, REPLICATION_GROUP, SNAPSHOT, SUBNET_GROUP,
  type ClusterDoc, type ReplicationGroupDoc, type SnapshotDoc, type Tag,
} from '../model.ts';
import { operation, page, type PageInput } from '../operation.ts';
import { tagsOf } from '../validate.ts';
import { snapshotView } from '../views.ts';

type Source = { cluster: ClusterDoc; group?: undefined } | { group: ReplicationGroupDoc; cluster: ClusterDoc };

async function snapshotDoc(tx: Tx, ctx: CallContext, name: string, source: Source, tags: Tag[], status: SnapshotDoc['SnapshotStatus']): Promise<SnapshotDoc> {
  const { cluster, group } = source;
  if (cluster.Engine === 'memcached') throw snapshotFeatureNotSupported('Snapshots are not supported for the memcached engine.');
  const subnetGroup = await getResource(tx, ctx.account, ctx.region, SUBNET_GROUP, cluster.CacheSubnetGroupName);
  const created = ctx.now.toISOString();
  return {
    SnapshotName: name,
    ARN: elastiCacheArn(ctx.region, ctx.account, 'snapshot', name),
    SnapshotStatus: status,
    SnapshotSource: 'manual',
    CacheClusterId: group ? undefined : cluster.CacheClusterId,
    ReplicationGroupId: group?.ReplicationGroupId,
    ReplicationGroupDescription: group?.Description,
    CacheNodeType: cluster.CacheNodeType,
    Engine: cluster.Engine,
    EngineVersion: cluster.EngineVersion,
    NumCacheNodes: group ? undefined : cluster.NumCacheNodes,
    PreferredAvailabilityZone: group ? undefined : cluster.PreferredAvailabilityZone,
    CacheClusterCreateTime: group ? undefined : cluster.CacheClusterCreateTime,
    CacheParameterGroupName: cluster.CacheParameterGroup.CacheParameterGroupName,
    CacheSubnetGroupName: cluster.CacheSubnetGroupName,
    VpcId: subnetGroup?.VpcId ?? '',
    Port: cluster.CacheNodes[0]?.Endpoint.Port ?? 6379,
    SnapshotRetentionLimit: cluster.SnapshotRetentionLimit,
    AutoMinorVersionUpgrade: cluster.AutoMinorVersionUpgrade,
    NodeSnapshots: cluster.CacheNodes.map((n) => ({
      CacheClusterId: cluster.CacheClusterId,
      CacheNodeId: n.CacheNodeId,
      CacheSize: '0 MB',
      CacheNodeCreateTime: n.CacheNodeCreateTime,
      SnapshotCreateTime: created,
    })),
    Tags: tags,
    internal: { region: ctx.region },
  };
}

async function insertSnapshot(tx: Tx, ctx: CallContext, doc: SnapshotDoc): Promise<void> {
  try {
    await insertResource(tx, ctx.account, ctx.region, SNAPSHOT, doc.SnapshotName, doc);
  } catch (error) {
    if (error instanceof UniqueViolation) throw snapshotAlreadyExists(doc.SnapshotName);
    throw error;
  }
}

/** The snapshot DeleteCacheCluster / DeleteReplicationGroup take on the way out (available at once). */
export async function finalSnapshot(tx: Tx, ctx: CallContext, name: string, source: Source): Promise<void> {
  await insertSnapshot(tx, ctx, await snapshotDoc(tx, ctx, name, source, [], 'available'));
}

interface CreateInput {
  ReplicationGroupId?: string;
  CacheClusterId?: string;
  SnapshotName: string;
  Tags?: { Key?: string; Value?: string }[];
}

export function snapshotOperations(host: LinkedHost): Operation[] {
  const create = operation<CreateInput>('CreateSnapshot', {
    authorize(input, ctx) {
      const checks: AuthzCheck[] = onNew(ctx, 'CreateSnapshot', 'snapshot', input.SnapshotName, tagsOf(input.Tags));
      if (input.CacheClusterId !== undefined) checks.push(on(ctx, 'CreateSnapshot', 'cluster', input.CacheClusterId.toLowerCase()));
      if (input.ReplicationGroupId !== undefined) checks.push(on(ctx, 'CreateSnapshot', 'replicationgroup', input.ReplicationGroupId.toLowerCase()));
      return checks;
    },
    async handle(input, ctx, tx) {
      if ((input.CacheClusterId === undefined) === (input.ReplicationGroupId === undefined)) {
        throw invalidParameterCombination('Exactly one of CacheClusterId and ReplicationGroupId must be specified.');
      }
      const tags = tagsOf(input.Tags);
      let source: Source;
      if (input.CacheClusterId !== undefined) {
        const id = input.CacheClusterId.toLowerCase();
        const cluster = await getResource(tx, ctx.account, ctx.region, CLUSTER, id);
        if (!cluster) throw cacheClusterNotFound(id);
        if (cluster.CacheClusterStatus !== 'available') throw invalidCacheClusterState(`Cache cluster ${id} is not in available state.`);
        source = { cluster };
      } else {
        const id = input.ReplicationGroupId!.toLowerCase();
        const group = await getResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id);
        if (!group) throw replicationGroupNotFound(id);
        if (group.Status !== 'available') throw invalidReplicationGroupState(`Replication group ${id} is not in available state.`);
        const cluster = await getResource(tx, ctx.account, ctx.region, CLUSTER, group.MemberClusters[0]);
        if (!cluster) throw replicationGroupNotFound(id);
        source = { group, cluster };
      }
      const doc = await snapshotDoc(tx, ctx, input.SnapshotName, source, tags, 'creating');
      await insertSnapshot(tx, ctx, doc);
      await scheduleStep<StepPayload>(host, tx, {
        type: RESOURCE_JOB, account: ctx.account, payload: { region: ctx.region, target: 'snapshot', name: input.SnapshotName.toLowerCase(), step: 'create' },
      });
      return { Snapshot: snapshotView(doc) };
    },
  });

  interface DescribeInput extends PageInput {
    ReplicationGroupId?: string;
    CacheClusterId?: string;
    SnapshotName?: string;
    SnapshotSource?: string;
  }

  const describe = operation<DescribeInput>('DescribeSnapshots', {
    readOnly: true,
    authorize: (input, ctx) => [on(ctx, 'DescribeSnapshots', 'snapshot', input.SnapshotName)],
    async handle(input, ctx, tx) {
      let snapshots: SnapshotDoc[];
      if (input.SnapshotName !== undefined) {
        const doc = await getResource(tx, ctx.account, ctx.region, SNAPSHOT, input.SnapshotName);
        if (!doc) throw snapshotNotFound(input.SnapshotName);
        snapshots = [doc];
      } else {
        snapshots = await listResources(tx, ctx.account, ctx.region, SNAPSHOT);
      }
      if (input.CacheClusterId !== undefined) {
        const id = input.CacheClusterId.toLowerCase();
        snapshots = snapshots.filter((s) => s.CacheClusterId === id);
        if (snapshots.length === 0 && !(await getResource(tx, ctx.account, ctx.region, CLUSTER, id))) throw cacheClusterNotFound(id);
      }
      if (input.ReplicationGroupId !== undefined) snapshots = snapshots.filter((s) => s.ReplicationGroupId === input.ReplicationGroupId!.toLowerCase());
      if (input.SnapshotSource !== undefined) snapshots = snapshots.filter((s) => s.SnapshotSource === input.SnapshotSource);
      const { items, next } = page(snapshots, (s) => s.SnapshotName.toLowerCase(), input, { min: 20, max: 50 });
      return { Snapshots: items.map(snapshotView), Marker: next };
    },
  });

  const remove = operation<{ SnapshotName: string }>('DeleteSnapshot', {
    async authorize(input, ctx, tx) {
      const doc = await getResource(tx, ctx.account, ctx.region, SNAPSHOT, input.SnapshotName);
      return [onExisting(ctx, 'DeleteSnapshot', 'snapshot', input.SnapshotName, doc?.Tags ?? [])];
    },
    async handle(input, ctx, tx) {
      const doc = await getResource(tx, ctx.account, ctx.region, SNAPSHOT, input.SnapshotName);
      if (!doc) throw snapshotNotFound(input.SnapshotName);
      if (doc.SnapshotStatus !== 'available') throw invalidSnapshotState(`Snapshot ${doc.SnapshotName} is not in available state.`);
      await deleteResource(tx, ctx.account, ctx.region, SNAPSHOT, doc.SnapshotName);
      return { Snapshot: snapshotView({ ...doc, SnapshotStatus: 'deleting' }) };
    },
  });

  return [create, describe, remove];
}

// Replication groups (Redis OSS / Valkey, cluster mode disabled): one shard of NumCacheClusters
// clusters, `<group>-001` the primary and the others its replicas, each a one-node cache cluster that
// DescribeCacheClusters shows too. Created and deleted as a whole by the lifecycle jobs.

import type { Operation } from '../../../common/call.ts';
import { UniqueViolation } from '../../../store/types.ts';
import { ensureRole, scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { elastiCacheArn } from '../arn.ts';
import { on, onExisting, onNew, requestKeys } from '../authz.ts';
import { nodeAddress, primaryAddress, readerAddress } from '../endpoints.ts';
import {
  invalidParameterCombination, invalidParameterValue, invalidReplicationGroupState, replicationGroupAlreadyExists,
  replicationGroupNotFound,
} from '../errors.ts';
import { RESOURCE_JOB, type StepPayload } from '../lifecycle.ts';
import {
  CLUSTER, getResource, insertResource, listResources, REPLICATION_GROUP, updateResource,
  type ClusterDoc, type ReplicationGroupDoc,
} from '../model.ts';
import { securityGroupsFor } from '../network.ts';
import { operation, page, type PageInput } from '../operation.ts';
import { DEFAULT_MAINTENANCE_WINDOW, newClusterDoc, placeNodes } from '../placement.ts';
import { PRINCIPAL } from '../role.ts';
import { cacheNodeType, engineOf, identifier, tagsOf } from '../validate.ts';
import { replicationGroupView } from '../views.ts';
import { finalSnapshot } from './snapshots.ts';
import { subnetGroupFor } from './subnet-groups.ts';
import type { CacheCreateInput } from './clusters.ts';

/** A primary and at most five replicas. */
const MAX_CLUSTERS = 6;

interface CreateInput extends CacheCreateInput {
  ReplicationGroupId: string;
  ReplicationGroupDescription: string;
  PrimaryClusterId?: string;
  AutomaticFailoverEnabled?: boolean;
  MultiAZEnabled?: boolean;
  NumCacheClusters?: number;
  PreferredCacheClusterAZs?: string[];
  NumNodeGroups?: number;
  ReplicasPerNodeGroup?: number;
  AtRestEncryptionEnabled?: boolean;
}

const memberId = (group: string, index: number) => `${group}-${String(index + 1).padStart(3, '0')}`;

export function replicationGroupOperations(host: LinkedHost): Operation[] {
  const create = operation<CreateInput>('CreateReplicationGroup', {
    authorize(input, ctx) {
      const id = input.ReplicationGroupId.toLowerCase();
      const checks = onNew(ctx, 'CreateReplicationGroup', 'replicationgroup', id, tagsOf(input.Tags), requestKeys({
        CacheNodeType: input.CacheNodeType,
        EngineType: input.Engine?.toLowerCase(),
        EngineVersion: input.EngineVersion,
        CacheParameterGroupName: input.CacheParameterGroupName,
        AuthTokenEnabled: input.AuthToken === undefined ? undefined : true,
        AutomaticFailoverEnabled: input.AutomaticFailoverEnabled,
        MultiAZEnabled: input.MultiAZEnabled,
        NumNodeGroups: input.NumNodeGroups,
        ReplicasPerNodeGroup: input.ReplicasPerNodeGroup,
        SnapshotRetentionLimit: input.SnapshotRetentionLimit,
        TransitEncryptionEnabled: input.TransitEncryptionEnabled,
        AtRestEncryptionEnabled: input.AtRestEncryptionEnabled,
      }));
      if (input.CacheSubnetGroupName !== undefined) checks.push(on(ctx, 'CreateReplicationGroup', 'subnetgroup', input.CacheSubnetGroupName.toLowerCase()));
      if (input.CacheParameterGroupName !== undefined) checks.push(on(ctx, 'CreateReplicationGroup', 'parametergroup', input.CacheParameterGroupName));
      if (input.SnapshotName !== undefined) checks.push(on(ctx, 'CreateReplicationGroup', 'snapshot', input.SnapshotName));
      return checks;
    },
    async handle(input, ctx, tx) {
      const id = identifier('ReplicationGroupId', input.ReplicationGroupId, 40);
      if (input.PrimaryClusterId !== undefined) {
        throw invalidParameterCombination('iamd does not build replication groups around an existing cluster; give NumCacheClusters instead.');
      }
      if ((input.NumNodeGroups ?? 1) !== 1) throw invalidParameterValue('iamd serves replication groups with cluster mode disabled only (NumNodeGroups 1).');
      const engine = engineOf(input.Engine);
      if (engine.engine === 'memcached') throw invalidParameterValue('Replication groups are not supported for the memcached engine.');
      const nodeType = cacheNodeType(input.CacheNodeType);
      const preferred = input.PreferredCacheClusterAZs ?? [];
      const count = input.NumCacheClusters ?? (input.ReplicasPerNodeGroup !== undefined ? input.ReplicasPerNodeGroup + 1 : Math.max(preferred.length, 1));
      if (count < 1 || count > MAX_CLUSTERS) throw invalidParameterValue(`The parameter NumCacheClusters must be between 1 and ${MAX_CLUSTERS}.`);
      if (preferred.length > 0 && preferred.length !== count) {
        throw invalidParameterCombination('The number of PreferredCacheClusterAZs must equal NumCacheClusters.');
      }
      if (input.AutomaticFailoverEnabled === true && count < 2) {
        throw invalidParameterCombination('Automatic failover requires at least one replica (NumCacheClusters of 2 or more).');
      }
      if (input.MultiAZEnabled === true && input.AutomaticFailoverEnabled !== true) {
        throw invalidParameterCombination('Multi-AZ requires automatic failover to be enabled.');
      }
      if (input.AuthToken !== undefined && input.TransitEncryptionEnabled !== true) {
        throw invalidParameterCombination('The AuthToken parameter requires TransitEncryptionEnabled to be true.');
      }
      const tags = tagsOf(input.Tags);
      if (await getResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id)) throw replicationGroupAlreadyExists();
      const members = Array.from({ length: count }, (_, i) => memberId(id, i));
      for (const member of members) {
        if (await getResource(tx, ctx.account, ctx.region, CLUSTER, member)) {
          throw invalidParameterValue(`Cache cluster ${member} already exists; it would be a member of replication group ${id}.`);
        }
      }

      const group = await subnetGroupFor(tx, ctx, input.CacheSubnetGroupName);
      const placements = placeNodes(group, count, preferred);
      const securityGroupIds = await securityGroupsFor(tx, ctx.account, ctx.region, group.VpcId, input.SecurityGroupIds);
      await ensureRole(host, ctx, tx, PRINCIPAL);

      const port = input.Port ?? engine.port;
      const clusters: ClusterDoc[] = members.map((member, i) => newClusterDoc({
        account: ctx.account,
        region: ctx.region,
        arn: elastiCacheArn(ctx.region, ctx.account, 'cluster', member),
        id: member,
        engine: engine.engine,
        engineVersion: input.EngineVersion ?? engine.version,
        nodeType,
        parameterGroup: input.CacheParameterGroupName ?? engine.parameterGroup,
        port,
        group,
        securityGroupIds,
        placements: [placements[i]],
        replicationGroupId: id,
        snapshotRetentionLimit: input.SnapshotRetentionLimit ?? 0,
        snapshotWindow: input.SnapshotWindow ?? '06:00-07:00',
        maintenanceWindow: input.PreferredMaintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
        authToken: input.AuthToken !== undefined,
        transitEncryption: input.TransitEncryptionEnabled ?? false,
        atRestEncryption: input.AtRestEncryptionEnabled ?? false,
        tags: [],
        now: ctx.now,
      }));
      const doc: ReplicationGroupDoc = {
        ReplicationGroupId: id,
        ARN: elastiCacheArn(ctx.region, ctx.account, 'replicationgroup', id),
        Description: input.ReplicationGroupDescription,
        Status: 'creating',
        MemberClusters: members,
        NodeGroups: [{
          NodeGroupId: '0001',
          Status: 'creating',
          PrimaryEndpoint: { Address: primaryAddress(ctx.account, ctx.region, id), Port: port },
          ReaderEndpoint: { Address: readerAddress(ctx.account, ctx.region, id), Port: port },
          NodeGroupMembers: members.map((member, i) => ({
            CacheClusterId: member,
            CacheNodeId: '0001',
            PreferredAvailabilityZone: placements[i].availabilityZone,
            CurrentRole: i === 0 ? 'primary' : 'replica',
            ReadEndpoint: { Address: nodeAddress(ctx.account, ctx.region, member, '0001'), Port: port },
          })),
        }],
        AutomaticFailover: input.AutomaticFailoverEnabled ? 'enabled' : 'disabled',
        MultiAZ: input.MultiAZEnabled ? 'enabled' : 'disabled',
        SnapshotRetentionLimit: input.SnapshotRetentionLimit ?? 0,
        ClusterEnabled: false,
        CacheNodeType: nodeType,
        Engine: engine.engine,
        AuthTokenEnabled: input.AuthToken !== undefined,
        TransitEncryptionEnabled: input.TransitEncryptionEnabled ?? false,
        AtRestEncryptionEnabled: input.AtRestEncryptionEnabled ?? false,
        ReplicationGroupCreateTime: ctx.now.toISOString(),
        NetworkType: 'ipv4',
        IpDiscovery: 'ipv4',
        Tags: tags,
        internal: { region: ctx.region, placements: [], securityGroupIds, networkInterfaces: [] },
      };
      try {
        await insertResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id, doc);
        for (const cluster of clusters) await insertResource(tx, ctx.account, ctx.region, CLUSTER, cluster.CacheClusterId, cluster);
      } catch (error) {
        // Another request took a name since the checks above (PostgreSQL, several nodes).
        if (error instanceof UniqueViolation) throw replicationGroupAlreadyExists();
        throw error;
      }
      await scheduleStep<StepPayload>(host, tx, {
        type: RESOURCE_JOB, account: ctx.account, payload: { region: ctx.region, target: 'replication-group', name: id, step: 'create' },
      });
      return { ReplicationGroup: replicationGroupView(doc) };
    },
  });

  const describe = operation<{ ReplicationGroupId?: string } & PageInput>('DescribeReplicationGroups', {
    readOnly: true,
    authorize: (input, ctx) => [on(ctx, 'DescribeReplicationGroups', 'replicationgroup', input.ReplicationGroupId?.toLowerCase())],
    async handle(input, ctx, tx) {
      let groups: ReplicationGroupDoc[];
      if (input.ReplicationGroupId !== undefined) {
        const doc = await getResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, input.ReplicationGroupId);
        if (!doc) throw replicationGroupNotFound(input.ReplicationGroupId.toLowerCase());
        groups = [doc];
      } else {
        groups = await listResources(tx, ctx.account, ctx.region, REPLICATION_GROUP);
      }
      const { items, next } = page(groups, (g) => g.ReplicationGroupId, input, { min: 20, max: 100 });
      return { ReplicationGroups: items.map(replicationGroupView), Marker: next };
    },
  });

  interface DeleteInput {
    ReplicationGroupId: string;
    RetainPrimaryCluster?: boolean;
    FinalSnapshotIdentifier?: string;
  }

  const remove = operation<DeleteInput>('DeleteReplicationGroup', {
    async authorize(input, ctx, tx) {
      const id = input.ReplicationGroupId.toLowerCase();
      const doc = await getResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id);
      const checks = [onExisting(ctx, 'DeleteReplicationGroup', 'replicationgroup', id, doc?.Tags ?? [])];
      if (input.FinalSnapshotIdentifier !== undefined) checks.push(on(ctx, 'DeleteReplicationGroup', 'snapshot', input.FinalSnapshotIdentifier));
      return checks;
    },
    async handle(input, ctx, tx) {
      const id = input.ReplicationGroupId.toLowerCase();
      const doc = await getResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id);
      if (!doc) throw replicationGroupNotFound(id);
      if (input.RetainPrimaryCluster === true) {
        throw invalidParameterValue('iamd deletes replication groups with their clusters only (RetainPrimaryCluster is not supported).');
      }
      if (doc.Status !== 'available' && doc.Status !== 'create-failed') {
        throw invalidReplicationGroupState(`Replication group ${id} is not in available state.`);
      }
      const members: ClusterDoc[] = [];
      for (const member of doc.MemberClusters) {
        const cluster = await getResource(tx, ctx.account, ctx.region, CLUSTER, member);
        if (cluster) members.push(cluster);
      }
      if (input.FinalSnapshotIdentifier !== undefined) {
        if (doc.Status !== 'available' || members.length === 0) throw invalidReplicationGroupState(`Replication group ${id} is not in available state.`);
        await finalSnapshot(tx, ctx, input.FinalSnapshotIdentifier, { group: doc, cluster: members[0] });
      }
      const deleting: ReplicationGroupDoc = { ...doc, Status: 'deleting', NodeGroups: doc.NodeGroups.map((g) => ({ ...g, Status: 'deleting' })) };
      await updateResource(tx, ctx.account, ctx.region, REPLICATION_GROUP, id, deleting);
      for (const cluster of members) {
        await updateResource(tx, ctx.account, ctx.region, CLUSTER, cluster.CacheClusterId, {
          ...cluster,
          CacheClusterStatus: 'deleting',
          CacheNodes: cluster.CacheNodes.map((n) => ({ ...n, CacheNodeStatus: 'deleting' })),
        });
      }
      await scheduleStep<StepPayload>(host, tx, {
        type: RESOURCE_JOB, account: ctx.account, payload: { region: ctx.region, target: 'replication-group', name: id, step: 'delete' },
      });
      return { ReplicationGroup: replicationGroupView(deleting) };
    },
  });

  return [create, describe, remove];
}

// Cache clusters: CreateCacheCluster (the first resource creates the service-linked role, with the
// caller's authority), DescribeCacheClusters, DeleteCacheCluster. Creating and deleting finish in
// lifecycle jobs, which act through the role (lifecycle.ts).

import type { AuthzCheck, Operation } from '../../../common/call.ts';
import { UniqueViolation } from '../../../store/types.ts';
import { ensureRole, scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { elastiCacheArn } from '../arn.ts';
import { on, onExisting, onNew, requestKeys } from '../authz.ts';
import { configurationAddress } from '../endpoints.ts';
import {
  cacheClusterAlreadyExists, cacheClusterNotFound, invalidCacheClusterState, invalidParameterCombination, invalidParameterValue,
} from '../errors.ts';
import { RESOURCE_JOB, type StepPayload } from '../lifecycle.ts';
import { CLUSTER, getResource, insertResource, listResources, updateResource, type ClusterDoc } from '../model.ts';
import { securityGroupsFor } from '../network.ts';
import { operation, page, type PageInput } from '../operation.ts';
import { DEFAULT_MAINTENANCE_WINDOW, newClusterDoc, placeNodes } from '../placement.ts';
import { PRINCIPAL } from '../role.ts';
import { finalSnapshot } from './snapshots.ts';
import { subnetGroupFor } from './subnet-groups.ts';
import { cacheNodeType, engineOf, identifier, tagsOf } from '../validate.ts';
import { clusterView } from '../views.ts';

const MAX_MEMCACHED_NODES = 40;

/** The members CreateCacheCluster and CreateReplicationGroup share in the model. */
export interface CacheCreateInput {
  CacheNodeType?: string;
  Engine?: string;
  EngineVersion?: string;
  CacheParameterGroupName?: string;
  CacheSubnetGroupName?: string;
  SecurityGroupIds?: string[];
  Tags?: { Key?: string; Value?: string }[];
  SnapshotName?: string;
  PreferredMaintenanceWindow?: string;
  Port?: number;
  SnapshotRetentionLimit?: number;
  SnapshotWindow?: string;
  AutoMinorVersionUpgrade?: boolean;
  AuthToken?: string;
  TransitEncryptionEnabled?: boolean;
}

export interface CreateClusterInput extends CacheCreateInput {
  CacheClusterId: string;
  ReplicationGroupId?: string;
  AZMode?: 'single-az' | 'cross-az';
  PreferredAvailabilityZone?: string;
  PreferredAvailabilityZones?: string[];
  NumCacheNodes?: number;
}

function createChecks(input: CreateClusterInput, ctx: Parameters<typeof on>[0]): AuthzCheck[] {
  const id = input.CacheClusterId.toLowerCase();
  const engine = input.Engine?.toLowerCase();
  const checks = onNew(ctx, 'CreateCacheCluster', 'cluster', id, tagsOf(input.Tags), requestKeys({
    CacheNodeType: input.CacheNodeType,
    EngineType: engine,
    EngineVersion: input.EngineVersion,
    CacheParameterGroupName: input.CacheParameterGroupName,
    AuthTokenEnabled: input.AuthToken === undefined ? undefined : true,
    SnapshotRetentionLimit: input.SnapshotRetentionLimit,
    TransitEncryptionEnabled: input.TransitEncryptionEnabled,
  }));
  if (input.CacheSubnetGroupName !== undefined) checks.push(on(ctx, 'CreateCacheCluster', 'subnetgroup', input.CacheSubnetGroupName.toLowerCase()));
  if (input.CacheParameterGroupName !== undefined) checks.push(on(ctx, 'CreateCacheCluster', 'parametergroup', input.CacheParameterGroupName));
  if (input.SnapshotName !== undefined) checks.push(on(ctx, 'CreateCacheCluster', 'snapshot', input.SnapshotName));
  if (input.ReplicationGroupId !== undefined) checks.push(on(ctx, 'CreateCacheCluster', 'replicationgroup', input.ReplicationGroupId.toLowerCase()));
  return checks;
}

export function clusterOperations(host: LinkedHost): Operation[] {
  const create = operation<CreateClusterInput>('CreateCacheCluster', {
    authorize: (input, ctx) => createChecks(input, ctx),
    async handle(input, ctx, tx) {
      const id = identifier('CacheClusterIdentifier', input.CacheClusterId, 50);
      if (input.ReplicationGroupId !== undefined) {
        throw invalidParameterCombination('iamd does not add cache clusters to an existing replication group; give the replication group its clusters with NumCacheClusters.');
      }
      const engine = engineOf(input.Engine);
      const nodeType = cacheNodeType(input.CacheNodeType);
      const count = input.NumCacheNodes ?? 1;
      if (engine.engine !== 'memcached' && count !== 1) {
        throw invalidParameterValue(`Cannot create a ${engine.engine === 'valkey' ? 'Valkey' : 'Redis'} cluster with a NumCacheNodes parameter greater than 1.`);
      }
      if (count < 1 || count > MAX_MEMCACHED_NODES) throw invalidParameterValue(`The parameter NumCacheNodes must be between 1 and ${MAX_MEMCACHED_NODES}.`);
      if (input.AuthToken !== undefined && input.TransitEncryptionEnabled !== true) {
        throw invalidParameterCombination('The AuthToken parameter requires TransitEncryptionEnabled to be true.');
      }
      if (input.SnapshotName !== undefined && engine.engine === 'memcached') {
        throw invalidParameterCombination('Snapshots are not supported for the memcached engine.');
      }
      const tags = tagsOf(input.Tags);
      if (await getResource(tx, ctx.account, ctx.region, CLUSTER, id)) throw cacheClusterAlreadyExists();

      const group = await subnetGroupFor(tx, ctx, input.CacheSubnetGroupName);
      // One preferred zone (or single-az mode) holds every node; a list of zones places them one by one.
      const singleZone = input.PreferredAvailabilityZone ?? (input.AZMode === 'single-az' ? placeNodes(group, 1, [])[0].availabilityZone : undefined);
      const preferred = input.PreferredAvailabilityZones ?? (singleZone !== undefined ? Array<string>(count).fill(singleZone) : []);
      const placements = placeNodes(group, count, preferred);
      const securityGroupIds = await securityGroupsFor(tx, ctx.account, ctx.region, group.VpcId, input.SecurityGroupIds);
      await ensureRole(host, ctx, tx, PRINCIPAL);

      const port = input.Port ?? engine.port;
      const doc = newClusterDoc({
        account: ctx.account,
        region: ctx.region,
        arn: elastiCacheArn(ctx.region, ctx.account, 'cluster', id),
        id,
        engine: engine.engine,
        engineVersion: input.EngineVersion ?? engine.version,
        nodeType,
        parameterGroup: input.CacheParameterGroupName ?? engine.parameterGroup,
        port,
        group,
        securityGroupIds,
        placements,
        snapshotRetentionLimit: input.SnapshotRetentionLimit ?? 0,
        snapshotWindow: engine.engine === 'memcached' ? undefined : (input.SnapshotWindow ?? '06:00-07:00'),
        maintenanceWindow: input.PreferredMaintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
        authToken: input.AuthToken !== undefined,
        transitEncryption: input.TransitEncryptionEnabled ?? false,
        atRestEncryption: false,
        tags,
        now: ctx.now,
      });
      if (engine.engine === 'memcached') doc.ConfigurationEndpoint = { Address: configurationAddress(ctx.account, ctx.region, id), Port: port };
      try {
        await insertResource(tx, ctx.account, ctx.region, CLUSTER, id, doc);
      } catch (error) {
        // Another request took the name since the check above (PostgreSQL, several nodes).
        if (error instanceof UniqueViolation) throw cacheClusterAlreadyExists();
        throw error;
      }
      await scheduleStep<StepPayload>(host, tx, {
        type: RESOURCE_JOB, account: ctx.account, payload: { region: ctx.region, target: 'cluster', name: id, step: 'create' },
      });
      return { CacheCluster: clusterView(doc, false) };
    },
  });

  interface DescribeInput extends PageInput {
    CacheClusterId?: string;
    ShowCacheNodeInfo?: boolean;
    ShowCacheClustersNotInReplicationGroups?: boolean;
  }

  const describe = operation<DescribeInput>('DescribeCacheClusters', {
    readOnly: true,
    authorize: (input, ctx) => [on(ctx, 'DescribeCacheClusters', 'cluster', input.CacheClusterId?.toLowerCase())],
    async handle(input, ctx, tx) {
      let clusters: ClusterDoc[];
      if (input.CacheClusterId !== undefined) {
        const doc = await getResource(tx, ctx.account, ctx.region, CLUSTER, input.CacheClusterId);
        if (!doc) throw cacheClusterNotFound(input.CacheClusterId.toLowerCase());
        clusters = [doc];
      } else {
        clusters = await listResources(tx, ctx.account, ctx.region, CLUSTER);
        if (input.ShowCacheClustersNotInReplicationGroups) clusters = clusters.filter((c) => c.ReplicationGroupId === undefined);
      }
      const { items, next } = page(clusters, (c) => c.CacheClusterId, input, { min: 20, max: 100 });
      return { CacheClusters: items.map((c) => clusterView(c, input.ShowCacheNodeInfo === true)), Marker: next };
    },
  });

  const remove = operation<{ CacheClusterId: string; FinalSnapshotIdentifier?: string }>('DeleteCacheCluster', {
    async authorize(input, ctx, tx) {
      const id = input.CacheClusterId.toLowerCase();
      const doc = await getResource(tx, ctx.account, ctx.region, CLUSTER, id);
      const checks = [onExisting(ctx, 'DeleteCacheCluster', 'cluster', id, doc?.Tags ?? [])];
      if (input.FinalSnapshotIdentifier !== undefined) checks.push(on(ctx, 'DeleteCacheCluster', 'snapshot', input.FinalSnapshotIdentifier));
      return checks;
    },
    async handle(input, ctx, tx) {
      const id = input.CacheClusterId.toLowerCase();
      const doc = await getResource(tx, ctx.account, ctx.region, CLUSTER, id);
      if (!doc) throw cacheClusterNotFound(id);
      if (doc.ReplicationGroupId !== undefined) {
        throw invalidCacheClusterState(`Cache cluster ${id} is a member of replication group ${doc.ReplicationGroupId}; delete the replication group instead.`);
      }
      if (doc.CacheClusterStatus !== 'available' && doc.CacheClusterStatus !== 'create-failed') {
        throw invalidCacheClusterState(`Cache cluster ${id} is not in available state.`);
      }
      if (input.FinalSnapshotIdentifier !== undefined) {
        if (doc.CacheClusterStatus !== 'available') throw invalidCacheClusterState(`Cache cluster ${id} is not in available state.`);
        await finalSnapshot(tx, ctx, input.FinalSnapshotIdentifier, { cluster: doc });
      }
      const deleting: ClusterDoc = { ...doc, CacheClusterStatus: 'deleting', CacheNodes: doc.CacheNodes.map((n) => ({ ...n, CacheNodeStatus: 'deleting' })) };
      await updateResource(tx, ctx.account, ctx.region, CLUSTER, id, deleting);
      await scheduleStep<StepPayload>(host, tx, {
        type: RESOURCE_JOB, account: ctx.account, payload: { region: ctx.region, target: 'cluster', name: id, step: 'delete' },
      });
      return { CacheCluster: clusterView(deleting, false) };
    },
  });

  return [create, describe, remove];
}

// CreateSnapshot, DescribeSnapshots, DeleteSnapshot. A snapshot is `creating`, then `available`; a
// deleted one is `deleting` until its job removes it. Snapshots need no call through the role: a
// snapshot alone does not use the service-linked role (usage.ts reports clusters only).

import type { CallContext, Operation } from '../../../common/call.ts';
import { scheduleStep, type LinkedHost } from '../../linked/index.ts';
import { memoryDbArn } from '../arn.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { memoryDbCheck } from '../authz.ts';
import { invalidClusterState, invalidParameterValue, invalidSnapshotState, snapshotExists, snapshotNotFound } from '../errors.ts';
import { getDoc, insertDoc, KIND, listDocs, saveDoc, type ClusterDoc, type SnapshotDoc, type Tag } from '../model.ts';
import { SNAPSHOT_JOB, type StepPayload } from '../lifecycle.ts';
import { operation, page } from '../operation.ts';
import { requireCluster } from '../lookups.ts';
import { checkName, checkTags } from '../validate.ts';
import { snapshotView } from '../views.ts';

/** A snapshot of `cluster` as it is now (its configuration is what a restore recreates). */
export function newSnapshot(ctx: CallContext, cluster: ClusterDoc, name: string, tags: Tag[], source: SnapshotDoc['Source'], kmsKeyId?: string): SnapshotDoc {
  const shards = [...new Set(cluster.nodes.map((n) => n.shard))];
  return {
    Name: name,
    ARN: memoryDbArn(ctx.region, ctx.account, 'snapshot', name),
    region: ctx.region,
    Status: 'creating',
    Source: source,
    KmsKeyId: kmsKeyId ?? cluster.KmsKeyId,
    DataTiering: cluster.DataTiering,
    ClusterConfiguration: {
      Name: cluster.Name,
      Description: cluster.Description,
      NodeType: cluster.NodeType,
      Engine: cluster.Engine,
      EngineVersion: cluster.EngineVersion,
      MaintenanceWindow: cluster.MaintenanceWindow,
      TopicArn: cluster.SnsTopicArn,
      Port: cluster.Port,
      ParameterGroupName: cluster.ParameterGroupName,
      SubnetGroupName: cluster.SubnetGroupName,
      SnapshotRetentionLimit: cluster.SnapshotRetentionLimit,
      SnapshotWindow: cluster.SnapshotWindow,
      NumShards: cluster.NumberOfShards,
      Shards: shards.map((shard) => ({
        Name: shard,
        Configuration: { Slots: '0-16383', ReplicaCount: cluster.NumReplicasPerShard },
        Size: '0 MB',
        SnapshotCreationTime: ctx.now,
      })),
    },
    Tags: tags,
    createdAt: ctx.now.toISOString(),
  };
}

const snapshotArn = (ctx: CallContext, name: string) => memoryDbArn(ctx.region, ctx.account, 'snapshot', name);

export function snapshotOperations(host: LinkedHost): Operation[] {
  const createSnapshot = operation<{ ClusterName: string; SnapshotName: string; KmsKeyId?: string; Tags?: Tag[] }>('CreateSnapshot', {
    authorize: (input, ctx) => [
      memoryDbCheck('CreateSnapshot', snapshotArn(ctx, input.SnapshotName), requestTagContext(input.Tags)),
      memoryDbCheck('CreateSnapshot', memoryDbArn(ctx.region, ctx.account, 'cluster', input.ClusterName)),
    ],
    async handle(input, ctx, tx) {
      checkName('Snapshot', input.SnapshotName, 255);
      const tags = checkTags(input.Tags);
      const cluster = await requireCluster(tx, ctx, input.ClusterName);
      if (cluster.Status !== 'available') throw invalidClusterState(cluster.Name, cluster.Status);
      if (await getDoc(tx, ctx.account, KIND.snapshot, ctx.region, input.SnapshotName)) throw snapshotExists(input.SnapshotName);
      const snapshot = newSnapshot(ctx, cluster, input.SnapshotName, tags, 'manual', input.KmsKeyId);
      await insertDoc(tx, ctx.account, KIND.snapshot, snapshot, snapshotExists);
      await scheduleStep<StepPayload>(host, tx, { type: SNAPSHOT_JOB, account: ctx.account, payload: { region: ctx.region, name: snapshot.Name } });
      return { Snapshot: snapshotView(snapshot) };
    },
  });

  const describeSnapshots = operation<{ ClusterName?: string; SnapshotName?: string; Source?: string; NextToken?: string; MaxResults?: number; ShowDetail?: boolean }>(
    'DescribeSnapshots',
    {
      readOnly: true,
      async authorize(input, ctx, tx) {
        if (input.SnapshotName === undefined) return [memoryDbCheck('DescribeSnapshots', snapshotArn(ctx, '*'))];
        const snapshot = await getDoc<SnapshotDoc>(tx, ctx.account, KIND.snapshot, ctx.region, input.SnapshotName);
        return [memoryDbCheck('DescribeSnapshots', snapshotArn(ctx, input.SnapshotName), resourceTagContext(snapshot?.Tags))];
      },
      async handle(input, ctx, tx) {
        if (input.Source !== undefined && !['manual', 'automated'].includes(input.Source)) {
          throw invalidParameterValue(`Invalid source: ${input.Source}. Valid values are manual and automated.`);
        }
        let snapshots = await listDocs<SnapshotDoc>(tx, ctx.account, KIND.snapshot, ctx.region);
        if (input.SnapshotName !== undefined) {
          snapshots = snapshots.filter((s) => s.Name === input.SnapshotName);
          if (snapshots.length === 0) throw snapshotNotFound(input.SnapshotName);
        }
        if (input.ClusterName !== undefined) snapshots = snapshots.filter((s) => s.ClusterConfiguration.Name === input.ClusterName);
        if (input.Source !== undefined) snapshots = snapshots.filter((s) => s.Source === input.Source);
        const { items, next } = page(snapshots, input);
        return { Snapshots: items.map((s) => snapshotView(s, input.ShowDetail === true)), NextToken: next };
      },
    },
  );

  const deleteSnapshot = operation<{ SnapshotName: string }>('DeleteSnapshot', {
    async authorize(input, ctx, tx) {
      const snapshot = await getDoc<SnapshotDoc>(tx, ctx.account, KIND.snapshot, ctx.region, input.SnapshotName);
      return [memoryDbCheck('DeleteSnapshot', snapshotArn(ctx, input.SnapshotName), resourceTagContext(snapshot?.Tags))];
    },
    async handle(input, ctx, tx) {
      const snapshot = await getDoc<SnapshotDoc>(tx, ctx.account, KIND.snapshot, ctx.region, input.SnapshotName);
      if (!snapshot) throw snapshotNotFound(input.SnapshotName);
      if (snapshot.Status !== 'available') throw invalidSnapshotState(snapshot.Name, snapshot.Status);
      const deleting: SnapshotDoc = { ...snapshot, Status: 'deleting' };
      await saveDoc(tx, ctx.account, KIND.snapshot, deleting);
      await scheduleStep<StepPayload>(host, tx, { type: SNAPSHOT_JOB, account: ctx.account, payload: { region: ctx.region, name: snapshot.Name } });
      return { Snapshot: snapshotView(deleting) };
    },
  });

  return [createSnapshot, describeSnapshots, deleteSnapshot];
}

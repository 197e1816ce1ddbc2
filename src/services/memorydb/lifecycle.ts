// The durable jobs behind MemoryDB's resources. A cluster job acts through the service-linked role:
//   creating / updating → each node's network interface (ec2:CreateNetworkInterface in its subnet,
//                         tagged AmazonMemoryDBManaged=true through TagSpecifications, so EC2 also
//                         checks ec2:CreateTags), retired nodes' interfaces deleted, the cluster's first
//                         metrics put in AWS/MemoryDB → `available`
//                         a refused call → `create-failed` (or back to `available` for an update), the
//                         refusal in an event (DescribeEvents)
//   deleting            → every node's interface deleted (ec2:DeleteNetworkInterface, allowed by the
//                         interface's AmazonMemoryDBManaged tag) → gone
// Each interface is recorded on its node as soon as it exists, so a step run again after a crash goes
// on from there. A snapshot job only moves a snapshot from `creating` to `available`, or removes it.

import { createHash } from 'node:crypto';
import type { JobHandler } from '../../jobs/runner.ts';
import { asService, refusalOf, type LinkedHost, type ServiceSession } from '../linked/index.ts';
import { addEvent, deleteDoc, getDoc, KIND, saveDoc, type ClusterDoc, type ClusterStatus, type NodeDoc, type SnapshotDoc } from './model.ts';
import { MANAGED_TAG, PRINCIPAL } from './role.ts';

export const CLUSTER_JOB = 'memorydb:cluster';
export const SNAPSHOT_JOB = 'memorydb:snapshot';

const METRIC_NAMESPACE = 'AWS/MemoryDB';

/** What a step of either job names: the resource, by region and name. */
export interface StepPayload {
  region: string;
  name: string;
}

/** The job handlers by type, for the service's descriptor. */
export function jobs(host: LinkedHost): Record<string, JobHandler> {
  return { [CLUSTER_JOB]: clusterJob(host), [SNAPSHOT_JOB]: snapshotJob(host) };
}

/** An interface that is already gone is not an obstacle to deleting it. */
const alreadyGone = (error: unknown): boolean => refusalOf(error)?.startsWith('InvalidNetworkInterfaceID.NotFound') === true;

function clusterJob(host: LinkedHost): JobHandler {
  const load = (account: string, { region, name }: StepPayload) =>
    host.store.read((tx) => getDoc<ClusterDoc>(tx, account, KIND.cluster, region, name));

  /** Applies `change` to the stored cluster if it is still in `status` (nothing else moves it meanwhile). */
  const settle = (account: string, cluster: ClusterDoc, status: ClusterStatus, change: (c: ClusterDoc) => ClusterDoc | undefined, message?: string) =>
    host.store.transaction(async (tx) => {
      const current = await getDoc<ClusterDoc>(tx, account, KIND.cluster, cluster.region, cluster.Name);
      if (!current || current.Status !== status) return;
      const next = change(current);
      if (next) await saveDoc(tx, account, KIND.cluster, next);
      else await deleteDoc(tx, account, KIND.cluster, cluster.region, cluster.Name);
      if (message) await addEvent(tx, account, cluster.region, { SourceName: cluster.Name, SourceType: 'cluster', Message: message });
    });

  const recordInterface = (account: string, cluster: ClusterDoc, node: string, eni: { id?: string; address?: string }) =>
    settle(account, cluster, cluster.Status, (c) => ({
      ...c,
      nodes: c.nodes.map((n) => (n.Name === node ? { ...n, eniId: eni.id, address: eni.address } : n)),
      retired: eni.id === undefined ? c.retired.filter((n) => n.Name !== node) : c.retired,
    }));

  async function createInterface(session: ServiceSession, account: string, cluster: ClusterDoc, node: NodeDoc): Promise<void> {
    const out = await session.call<{ NetworkInterface: { NetworkInterfaceId: string; PrivateIpAddress: string } }>('ec2', 'CreateNetworkInterface', {
      SubnetId: node.subnetId,
      Groups: cluster.SecurityGroupIds,
      Description: `MemoryDB node ${cluster.Name}-${node.Name}`,
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: MANAGED_TAG, Value: 'true' }] }],
      // The same node asks with the same token, so a step re-run after a crash finds the interface it
      // made instead of making a second one.
      ClientToken: createHash('sha256').update(`${cluster.ARN}|${node.Name}|${node.CreateTime}`).digest('hex').slice(0, 40),
    });
    await recordInterface(account, cluster, node.Name, { id: out.NetworkInterface.NetworkInterfaceId, address: out.NetworkInterface.PrivateIpAddress });
  }

  async function deleteInterface(session: ServiceSession, eniId: string): Promise<void> {
    try {
      await session.call('ec2', 'DeleteNetworkInterface', { NetworkInterfaceId: eniId });
    } catch (error) {
      if (!alreadyGone(error)) throw error;
    }
  }

  async function build(account: string, cluster: ClusterDoc): Promise<void> {
    const status = cluster.Status;
    try {
      await asService(host, account, PRINCIPAL, cluster.region, async (session) => {
        for (const node of cluster.nodes) if (!node.eniId) await createInterface(session, account, cluster, node);
        for (const node of cluster.retired) {
          if (node.eniId) await deleteInterface(session, node.eniId);
          await recordInterface(account, cluster, node.Name, {});
        }
        await session.call('cloudwatch', 'PutMetricData', {
          Namespace: METRIC_NAMESPACE,
          MetricData: [
            { MetricName: 'CurrConnections', Dimensions: [{ Name: 'ClusterName', Value: cluster.Name }], Value: 0, Unit: 'Count' },
            { MetricName: 'EngineCPUUtilization', Dimensions: [{ Name: 'ClusterName', Value: cluster.Name }], Value: 0, Unit: 'Percent' },
          ],
        });
      });
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === undefined) throw error; // not a verdict: the job runs again
      const failed: ClusterStatus = status === 'creating' ? 'create-failed' : 'available';
      const what = status === 'creating' ? 'create' : 'update';
      await settle(account, cluster, status, (c) => ({ ...c, Status: failed }), `Failed to ${what} cluster ${cluster.Name}: ${refusal}`);
      return;
    }
    await settle(account, cluster, status, (c) => ({ ...c, Status: 'available' }), status === 'creating' ? `Cluster ${cluster.Name} created` : `Cluster ${cluster.Name} updated`);
  }

  async function tearDown(account: string, cluster: ClusterDoc): Promise<void> {
    const interfaces = [...cluster.nodes, ...cluster.retired].filter((n) => n.eniId !== undefined);
    const problems: string[] = [];
    if (interfaces.length > 0) {
      try {
        await asService(host, account, PRINCIPAL, cluster.region, async (session) => {
          for (const node of interfaces) {
            try {
              await deleteInterface(session, node.eniId!);
            } catch (error) {
              const refusal = refusalOf(error);
              if (refusal === undefined) throw error;
              problems.push(`network interface ${node.eniId} was not deleted: ${refusal}`);
            }
          }
        });
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        problems.push(`network interfaces were not deleted: ${refusal}`);
      }
    }
    // A cluster that is being deleted goes, whatever its interfaces' fate; the events say what was left behind.
    const message = problems.length === 0 ? `Cluster ${cluster.Name} deleted` : `Cluster ${cluster.Name} deleted; ${problems.join('; ')}`;
    await settle(account, cluster, 'deleting', () => undefined, message);
  }

  return async (job) => {
    const payload = job.payload as StepPayload;
    const cluster = await load(job.account, payload);
    if (!cluster) return { done: true };
    if (cluster.Status === 'creating' || cluster.Status === 'updating') await build(job.account, cluster);
    else if (cluster.Status === 'deleting') await tearDown(job.account, cluster);
    return { done: true };
  };
}

function snapshotJob(host: LinkedHost): JobHandler {
  return (job) =>
    host.store.transaction(async (tx) => {
      const { region, name } = job.payload as StepPayload;
      const snapshot = await getDoc<SnapshotDoc>(tx, job.account, KIND.snapshot, region, name);
      if (snapshot?.Status === 'creating') await saveDoc(tx, job.account, KIND.snapshot, { ...snapshot, Status: 'available' });
      if (snapshot?.Status === 'deleting') await deleteDoc(tx, job.account, KIND.snapshot, region, name);
      return { done: true };
    });
}

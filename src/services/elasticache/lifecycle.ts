// The lifecycle of ElastiCache's resources, as durable jobs: a new cluster or replication group is
// `creating` until the service — acting through its service-linked role — has made a network
// interface in the customer's subnet for every cache node and started publishing the nodes' metrics in
// `AWS/ElastiCache`; then it is `available`. Deleting removes those interfaces, again through the
// role, then the resource. A call the role's policy refuses fails the creation (`create-failed`, and an
// event carrying the refusal), as a real cluster fails.
//
// Each step can run again after a crash: the interfaces a cluster already has are found in EC2 by
// their description (`ElastiCache <cluster>`), so none is made twice and none is forgotten.

import type { JobHandler, JobOutcome } from '../../jobs/runner.ts';
import type { Tx } from '../../store/types.ts';
import { asService, refusalOf, type LinkedHost, type ServiceSession } from '../linked/index.ts';
import {
  CLUSTER, deleteResource, getResource, recordEvent, REPLICATION_GROUP, SNAPSHOT, updateResource,
  type ClusterDoc, type ReplicationGroupDoc,
} from './model.ts';
import { PRINCIPAL } from './role.ts';

/** One job type for every resource: the payload says which and which step. */
export const RESOURCE_JOB = 'elasticache:lifecycle';

export interface StepPayload {
  region: string;
  target: 'cluster' | 'replication-group' | 'snapshot';
  /** The resource's (lower-cased) name. */
  name: string;
  step: 'create' | 'delete';
}

/** A deletion the role was refused is tried again after this long (the resource stays `deleting`). */
const DELETE_RETRY_MS = 60_000;

/** The job handlers by type, for the service's descriptor. */
export function jobs(host: LinkedHost): Record<string, JobHandler> {
  return { [RESOURCE_JOB]: resourceJob(host) };
}

const interfaceDescription = (clusterId: string) => `ElastiCache ${clusterId}`;

interface InterfaceList {
  NetworkInterfaces?: { NetworkInterfaceId: string }[];
}

async function interfacesOf(session: ServiceSession, clusterId: string): Promise<string[]> {
  const out = await session.call<InterfaceList>('ec2', 'DescribeNetworkInterfaces', {
    Filters: [{ Name: 'description', Values: [interfaceDescription(clusterId)] }],
  });
  return (out.NetworkInterfaces ?? []).map((n) => n.NetworkInterfaceId);
}

/** One interface per cache node (those that exist already are kept), then the nodes' first metrics. */
async function provision(session: ServiceSession, clusters: ClusterDoc[]): Promise<Map<string, string[]>> {
  const made = new Map<string, string[]>();
  for (const cluster of clusters) {
    const ids = await interfacesOf(session, cluster.CacheClusterId);
    for (const placement of cluster.internal.placements.slice(ids.length)) {
      const out = await session.call<{ NetworkInterface: { NetworkInterfaceId: string } }>('ec2', 'CreateNetworkInterface', {
        SubnetId: placement.subnetId,
        Groups: cluster.internal.securityGroupIds,
        Description: interfaceDescription(cluster.CacheClusterId),
      });
      ids.push(out.NetworkInterface.NetworkInterfaceId);
    }
    made.set(cluster.CacheClusterId, ids);
  }
  const now = new Date();
  await session.call('cloudwatch', 'PutMetricData', {
    Namespace: 'AWS/ElastiCache',
    MetricData: clusters.flatMap((c) =>
      c.CacheNodes.map((node) => ({
        MetricName: 'CurrConnections',
        Dimensions: [{ Name: 'CacheClusterId', Value: c.CacheClusterId }, { Name: 'CacheNodeId', Value: node.CacheNodeId }],
        Timestamp: now,
        Value: 0,
        Unit: 'Count',
      })),
    ),
  });
  return made;
}

async function removeInterfaces(session: ServiceSession, clusters: ClusterDoc[]): Promise<void> {
  for (const cluster of clusters) {
    for (const id of await interfacesOf(session, cluster.CacheClusterId)) {
      await session.call('ec2', 'DeleteNetworkInterface', { NetworkInterfaceId: id });
    }
  }
}

/** The clusters a step works on and how to write the outcome back. */
interface Subject {
  clusters: ClusterDoc[];
  status: string;
  sourceType: 'cache-cluster' | 'replication-group';
  id: string;
  noun: string;
}

async function subjectOf(tx: Tx, account: string, p: StepPayload): Promise<Subject | undefined> {
  if (p.target === 'cluster') {
    const cluster = await getResource(tx, account, p.region, CLUSTER, p.name);
    return cluster && { clusters: [cluster], status: cluster.CacheClusterStatus, sourceType: 'cache-cluster', id: cluster.CacheClusterId, noun: 'Cache cluster' };
  }
  const group = await getResource(tx, account, p.region, REPLICATION_GROUP, p.name);
  if (!group) return undefined;
  const members: ClusterDoc[] = [];
  for (const id of group.MemberClusters) {
    const member = await getResource(tx, account, p.region, CLUSTER, id);
    if (member) members.push(member);
  }
  return { clusters: members, status: group.Status, sourceType: 'replication-group', id: group.ReplicationGroupId, noun: 'Replication group' };
}

type Outcome = { kind: 'created'; interfaces: Map<string, string[]> } | { kind: 'failed'; refusal: string };

async function settleCreation(tx: Tx, account: string, p: StepPayload, outcome: Outcome, at: Date): Promise<void> {
  const subject = await subjectOf(tx, account, p);
  if (!subject || subject.status !== 'creating') return;
  const status = outcome.kind === 'created' ? 'available' : 'create-failed';
  for (const cluster of subject.clusters) {
    const updated: ClusterDoc = {
      ...cluster,
      CacheClusterStatus: status,
      CacheNodes: cluster.CacheNodes.map((n) => ({ ...n, CacheNodeStatus: status === 'available' ? 'available' : 'create-failed' })),
      internal: {
        ...cluster.internal,
        networkInterfaces: outcome.kind === 'created'
          ? (outcome.interfaces.get(cluster.CacheClusterId) ?? []).map((id, i) => ({ node: cluster.internal.placements[i]?.node ?? '', networkInterfaceId: id }))
          : [],
        failure: outcome.kind === 'failed' ? outcome.refusal : undefined,
      },
    };
    await updateResource(tx, account, p.region, CLUSTER, cluster.CacheClusterId, updated);
  }
  if (p.target === 'replication-group') {
    const group = (await getResource(tx, account, p.region, REPLICATION_GROUP, p.name))!;
    const updated: ReplicationGroupDoc = {
      ...group,
      Status: status,
      NodeGroups: group.NodeGroups.map((g) => ({ ...g, Status: status })),
      internal: { ...group.internal, failure: outcome.kind === 'failed' ? outcome.refusal : undefined },
    };
    await updateResource(tx, account, p.region, REPLICATION_GROUP, p.name, updated);
  }
  const message = outcome.kind === 'created'
    ? `${subject.noun} created`
    : `Failed to create ${subject.noun.toLowerCase()} ${subject.id}: ${outcome.refusal}`;
  await recordEvent(tx, account, p.region, { SourceIdentifier: subject.id, SourceType: subject.sourceType, Message: message }, at);
}

async function create(host: LinkedHost, account: string, p: StepPayload): Promise<JobOutcome> {
  const subject = await host.store.read((tx) => subjectOf(tx, account, p));
  if (!subject || subject.status !== 'creating') return { done: true };
  let outcome: Outcome;
  try {
    outcome = await asService(host, account, PRINCIPAL, p.region, async (session) => {
      try {
        return { kind: 'created', interfaces: await provision(session, subject.clusters) } as const;
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        // A failed cluster keeps nothing in the customer's network; if even that is refused, what is
        // left is the customer's to remove, as on AWS.
        await removeInterfaces(session, subject.clusters).catch(() => undefined);
        return { kind: 'failed', refusal } as const;
      }
    });
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    outcome = { kind: 'failed', refusal };
  }
  await host.store.transaction((tx) => settleCreation(tx, account, p, outcome, new Date()));
  return { done: true };
}

async function remove(host: LinkedHost, account: string, p: StepPayload): Promise<JobOutcome> {
  const subject = await host.store.read((tx) => subjectOf(tx, account, p));
  if (!subject || subject.status !== 'deleting') return { done: true };
  let refusal: string | undefined;
  try {
    await asService(host, account, PRINCIPAL, p.region, (session) => removeInterfaces(session, subject.clusters));
  } catch (error) {
    refusal = refusalOf(error);
    if (refusal === undefined) throw error;
  }
  const at = new Date();
  return host.store.transaction(async (tx) => {
    if (refusal !== undefined) {
      const message = `Failed to delete ${subject.noun.toLowerCase()} ${subject.id}: ${refusal}`;
      await recordEvent(tx, account, p.region, { SourceIdentifier: subject.id, SourceType: subject.sourceType, Message: message }, at);
      return { done: false, runAt: at.getTime() + DELETE_RETRY_MS };
    }
    for (const cluster of subject.clusters) await deleteResource(tx, account, p.region, CLUSTER, cluster.CacheClusterId);
    if (p.target === 'replication-group') await deleteResource(tx, account, p.region, REPLICATION_GROUP, p.name);
    await recordEvent(tx, account, p.region, { SourceIdentifier: subject.id, SourceType: subject.sourceType, Message: `${subject.noun} deleted` }, at);
    return { done: true };
  });
}

/** Snapshots need nothing from the role: they are `creating` for one step, then `available`. */
async function completeSnapshot(host: LinkedHost, account: string, p: StepPayload): Promise<JobOutcome> {
  await host.store.transaction(async (tx) => {
    const snapshot = await getResource(tx, account, p.region, SNAPSHOT, p.name);
    if (snapshot?.SnapshotStatus === 'creating') {
      await updateResource(tx, account, p.region, SNAPSHOT, p.name, { ...snapshot, SnapshotStatus: 'available' });
    }
  });
  return { done: true };
}

function resourceJob(host: LinkedHost): JobHandler {
  return (job) => {
    const p = job.payload as StepPayload;
    if (p.target === 'snapshot') return completeSnapshot(host, job.account, p);
    return p.step === 'create' ? create(host, job.account, p) : remove(host, job.account, p);
  };
}

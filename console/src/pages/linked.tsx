// The linked services' resources — MemoryDB clusters, ElastiCache clusters and replication groups,
// Amazon MQ brokers — with their status re-read while any of them is changing, and the network
// interfaces each made through its service-linked role (EC2 DescribeNetworkInterfaces). A resource
// named by a failed deletion's RoleUsageList is the page's focus (#/linked/<its ARN>).

import type { VNode } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { json, query, rest } from '../aws/client.ts';
import { list, many } from '../aws/xml.ts';
import { useAsync, useInterval } from '../ui/async.ts';
import { Badge, ErrorBox, Show, statusKind } from '../ui/components.tsx';

interface Resource {
  service: 'MemoryDB' | 'ElastiCache' | 'Amazon MQ';
  kind: string;
  name: string;
  arn: string;
  status: string;
  /** How the console deletes it, through the service's own API. */
  remove: () => Promise<unknown>;
}

interface NetworkInterface {
  networkInterfaceId: string;
  description: string;
  status: string;
  privateIpAddress: string;
  subnetId: string;
}

async function memorydbClusters(): Promise<Resource[]> {
  const r = await json<{ Clusters?: { Name: string; ARN: string; Status: string }[] }>('memorydb', 'DescribeClusters', {});
  return (r.Clusters ?? []).map((c) => ({
    service: 'MemoryDB',
    kind: 'cluster',
    name: c.Name,
    arn: c.ARN,
    status: c.Status,
    remove: () => json('memorydb', 'DeleteCluster', { ClusterName: c.Name }),
  }));
}

async function elasticacheResources(): Promise<Resource[]> {
  const clusters = await query<{ CacheClusters?: { CacheCluster?: unknown } }>('elasticache', 'DescribeCacheClusters', {});
  const groups = await query<{ ReplicationGroups?: { ReplicationGroup?: unknown } }>('elasticache', 'DescribeReplicationGroups', {});
  type C = { CacheClusterId: string; ARN: string; CacheClusterStatus: string; ReplicationGroupId?: string };
  type G = { ReplicationGroupId: string; ARN: string; Status: string };
  const cs = many(clusters.CacheClusters?.CacheCluster as C | C[] | undefined);
  const gs = many(groups.ReplicationGroups?.ReplicationGroup as G | G[] | undefined);
  return [
    ...gs.map((g): Resource => ({
      service: 'ElastiCache',
      kind: 'replication group',
      name: g.ReplicationGroupId,
      arn: g.ARN,
      status: g.Status,
      remove: () => query('elasticache', 'DeleteReplicationGroup', { ReplicationGroupId: g.ReplicationGroupId }),
    })),
    ...cs
      .filter((c) => !c.ReplicationGroupId)
      .map((c): Resource => ({
        service: 'ElastiCache',
        kind: 'cache cluster',
        name: c.CacheClusterId,
        arn: c.ARN,
        status: c.CacheClusterStatus,
        remove: () => query('elasticache', 'DeleteCacheCluster', { CacheClusterId: c.CacheClusterId }),
      })),
  ];
}

async function mqBrokers(): Promise<Resource[]> {
  const r = await rest<{ brokerSummaries?: { brokerName: string; brokerId: string; brokerArn: string; brokerState: string }[] }>('mq', 'GET', '/v1/brokers');
  return (r.brokerSummaries ?? []).map((b) => ({
    service: 'Amazon MQ',
    kind: 'broker',
    name: b.brokerName,
    arn: b.brokerArn,
    status: b.brokerState,
    remove: () => rest('mq', 'DELETE', `/v1/brokers/${encodeURIComponent(b.brokerId)}`),
  }));
}

async function networkInterfaces(): Promise<NetworkInterface[]> {
  const r = await query<{ networkInterfaceSet?: NetworkInterface[] | string }>('ec2', 'DescribeNetworkInterfaces', {});
  return list(r.networkInterfaceSet);
}

const SETTLED = new Set(['available', 'running', 'active', 'in-use', 'creation_failed', 'create-failed', 'failed', 'incompatible-network']);

/** One service's resources; AWS's error in place of its table when the caller may not list them. */
function ServiceSection({ title, load, focus, enis }: { title: string; load: () => Promise<Resource[]>; focus?: string; enis: NetworkInterface[] }): VNode {
  const [resources, reload] = useAsync(load, []);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const busy = resources.state === 'done' && resources.value.some((r) => !SETTLED.has(r.status.toLowerCase()));
  const refresh = useCallback(() => reload(), [reload]);
  useInterval(refresh, 1000, busy);
  const remove = async (r: Resource) => {
    try {
      await r.remove();
      setErrors((e) => ({ ...e, [r.arn]: undefined }));
      reload();
    } catch (error) {
      setErrors((e) => ({ ...e, [r.arn]: error }));
    }
  };
  return (
    <section class="linked" aria-label={title}>
      <h2>{title}</h2>
      <Show value={resources}>
        {(rs) =>
          rs.length === 0 ? (
            <p class="empty">None.</p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Kind</th>
                  <th>Status</th>
                  <th>Network interfaces</th>
                  <th>
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rs.map((r) => (
                  <tr data-resource={r.name} class={focus === r.arn ? 'focus' : ''} id={focus === r.arn ? 'focused' : undefined}>
                    <td>
                      <strong>{r.name}</strong>
                      <div class="mono hint">{r.arn}</div>
                    </td>
                    <td>{r.kind}</td>
                    <td>
                      <Badge kind={statusKind(r.status)}>{r.status}</Badge>
                    </td>
                    <td class="mono">
                      {enis
                        .filter((n) => n.description.includes(r.name))
                        .map((n) => (
                          <div title={n.description}>
                            {n.networkInterfaceId} {n.privateIpAddress}
                          </div>
                        ))}
                    </td>
                    <td>
                      <button type="button" class="danger" onClick={() => remove(r)} aria-label={`Delete ${r.kind} ${r.name}`}>
                        Delete
                      </button>
                      {errors[r.arn] !== undefined && <ErrorBox error={errors[r.arn]} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

export function LinkedServices({ focus }: { focus?: string }): VNode {
  const [enis, reloadEnis] = useAsync(networkInterfaces, []);
  useInterval(reloadEnis, 3000, true);
  useEffect(() => {
    if (focus) setTimeout(() => document.getElementById('focused')?.scrollIntoView({ block: 'center' }), 300);
  }, [focus]);
  const known = enis.state === 'done' ? enis.value : [];
  return (
    <div>
      <h1>Linked services</h1>
      {focus && (
        <p class="hint">
          Showing <span class="mono">{focus}</span>
        </p>
      )}
      <ServiceSection title="MemoryDB clusters" load={memorydbClusters} focus={focus} enis={known} />
      <ServiceSection title="ElastiCache" load={elasticacheResources} focus={focus} enis={known} />
      <ServiceSection title="Amazon MQ brokers" load={mqBrokers} focus={focus} enis={known} />
      <section aria-label="Network interfaces">
        <h2>Network interfaces</h2>
        <Show value={enis}>
          {(ns) => (
            <table class="grid compact">
              <thead>
                <tr>
                  <th>ID</th>
                  <th>Description</th>
                  <th>Status</th>
                  <th>Address</th>
                  <th>Subnet</th>
                </tr>
              </thead>
              <tbody>
                {ns.map((n) => (
                  <tr>
                    <td class="mono">{n.networkInterfaceId}</td>
                    <td>{n.description}</td>
                    <td>{n.status}</td>
                    <td class="mono">{n.privateIpAddress}</td>
                    <td class="mono">{n.subnetId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </section>
    </div>
  );
}

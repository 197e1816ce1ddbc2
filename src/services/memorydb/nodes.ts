// Which nodes a cluster has: NumberOfShards shards of one primary and NumReplicasPerShard replicas,
// spread over the subnet group's subnets (and so its availability zones) so that a shard's replicas
// are not in its primary's zone when the group has more than one.

import type { NodeDoc, SubnetGroupDoc } from './model.ts';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function plannedNodes(
  shards: number,
  replicas: number,
  subnets: SubnetGroupDoc['Subnets'],
  existing: readonly NodeDoc[],
  now: Date,
): { nodes: NodeDoc[]; retired: NodeDoc[] } {
  const byName = new Map(existing.map((n) => [n.Name, n]));
  const nodes: NodeDoc[] = [];
  for (let s = 1; s <= shards; s++) {
    for (let r = 1; r <= replicas + 1; r++) {
      const name = `${pad(s, 4)}-${pad(r, 3)}`;
      const kept = byName.get(name);
      if (kept) {
        nodes.push(kept);
        continue;
      }
      const subnet = subnets[(s - 1 + r - 1) % subnets.length];
      nodes.push({ Name: name, shard: pad(s, 4), subnetId: subnet.Identifier, AvailabilityZone: subnet.AvailabilityZone, CreateTime: now.toISOString() });
    }
  }
  const wanted = new Set(nodes.map((n) => n.Name));
  return { nodes, retired: existing.filter((n) => !wanted.has(n.Name)) };
}

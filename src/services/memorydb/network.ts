// What MemoryDB reads of the customer's network in EC2: subnets and security groups. Subnet groups
// name subnets of the region's VPC; iamd's EC2 has exactly the default VPC of every (account, region),
// so a subnet group's subnets are default subnets, and the `default` subnet group — present in every
// region, as on AWS — has all of them. It is stored the first time it is written to (tags); until then
// it is derived from EC2's default network.

import type { CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { ensureDefaults } from '../ec2/index.ts';
import { listResources, SECURITY_GROUP, SUBNET } from '../ec2/model.ts';
import { memoryDbArn } from './arn.ts';
import { invalidParameterValue, invalidSubnet, subnetGroupNotFound } from './errors.ts';
import { getDoc, KIND, listDocs, type SubnetGroupDoc } from './model.ts';

export const DEFAULT_SUBNET_GROUP = 'default';

async function defaultNetwork(tx: Tx, account: string, region: string): Promise<{ vpcId: string; subnets: { Identifier: string; AvailabilityZone: string }[] }> {
  const defaults = await ensureDefaults(tx, account, region);
  const subnets = (await listResources(tx, account, region, SUBNET))
    .filter((s) => s.VpcId === defaults.vpcId)
    .map((s) => ({ Identifier: s.SubnetId, AvailabilityZone: s.AvailabilityZone }))
    .sort((a, b) => (a.AvailabilityZone < b.AvailabilityZone ? -1 : 1));
  return { vpcId: defaults.vpcId, subnets };
}

function defaultGroup(account: string, region: string, network: { vpcId: string; subnets: SubnetGroupDoc['Subnets'] }): SubnetGroupDoc {
  return {
    Name: DEFAULT_SUBNET_GROUP,
    ARN: memoryDbArn(region, account, 'subnetgroup', DEFAULT_SUBNET_GROUP),
    region,
    Description: 'Default subnet group',
    VpcId: network.vpcId,
    Subnets: network.subnets,
    Tags: [],
  };
}

export async function findSubnetGroup(tx: Tx, account: string, region: string, name: string): Promise<SubnetGroupDoc | undefined> {
  const stored = await getDoc<SubnetGroupDoc>(tx, account, KIND.subnetGroup, region, name);
  if (stored || name !== DEFAULT_SUBNET_GROUP) return stored;
  return defaultGroup(account, region, await defaultNetwork(tx, account, region));
}

export async function requireSubnetGroup(tx: Tx, account: string, region: string, name: string): Promise<SubnetGroupDoc> {
  const group = await findSubnetGroup(tx, account, region, name);
  if (!group) throw subnetGroupNotFound(name);
  return group;
}

/** Every subnet group of the region, `default` included, by name. */
export async function allSubnetGroups(tx: Tx, account: string, region: string): Promise<SubnetGroupDoc[]> {
  const stored = await listDocs<SubnetGroupDoc>(tx, account, KIND.subnetGroup, region);
  if (!stored.some((g) => g.Name === DEFAULT_SUBNET_GROUP)) stored.push(defaultGroup(account, region, await defaultNetwork(tx, account, region)));
  return stored.sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

/** The subnets a new group names, each an existing subnet of the region's VPC. */
export async function resolveSubnets(tx: Tx, account: string, region: string, ids: string[]): Promise<{ vpcId: string; subnets: SubnetGroupDoc['Subnets'] }> {
  const network = await defaultNetwork(tx, account, region);
  const subnets: SubnetGroupDoc['Subnets'] = [];
  for (const id of new Set(ids)) {
    const subnet = network.subnets.find((s) => s.Identifier === id);
    if (!subnet) throw invalidSubnet(id);
    subnets.push(subnet);
  }
  return { vpcId: network.vpcId, subnets };
}

/** The security groups a cluster's interfaces get: those named (each must exist), or the VPC's default group. */
export async function checkSecurityGroups(tx: Tx, ctx: CallContext, ids: string[] | undefined): Promise<string[]> {
  const defaults = await ensureDefaults(tx, ctx.account, ctx.region);
  if (ids === undefined || ids.length === 0) return [defaults.securityGroupId];
  const known = new Set((await listResources(tx, ctx.account, ctx.region, SECURITY_GROUP)).map((g) => g.GroupId));
  for (const id of ids) if (!known.has(id)) throw invalidParameterValue(`Security group ${id} does not exist in the VPC`);
  return [...new Set(ids)];
}

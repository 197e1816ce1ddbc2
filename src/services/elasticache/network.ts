// What ElastiCache reads of the customer's network while answering a request: the subnets a cache
// subnet group names (their VPC and zone) and the default VPC's subnets for the `default` group.
// This is a read inside the request's own transaction — the calls that change EC2 (network
// interfaces) are made later, through the service-linked role, by the lifecycle jobs.

import type { Tx } from '../../store/types.ts';
import { ensureDefaults } from '../ec2/index.ts';
import { listResources, SECURITY_GROUP, SUBNET, type SubnetDoc } from '../ec2/model.ts';
import { invalidParameterValue } from './errors.ts';

export interface SubnetInfo {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
}

const infoOf = (s: SubnetDoc): SubnetInfo => ({ subnetId: s.SubnetId, vpcId: s.VpcId, availabilityZone: s.AvailabilityZone });

/** The region's subnets by id (the default network is created if this is the region's first use). */
export async function subnetsOf(tx: Tx, account: string, region: string): Promise<Map<string, SubnetInfo>> {
  await ensureDefaults(tx, account, region);
  const subnets = await listResources(tx, account, region, SUBNET);
  return new Map(subnets.map((s) => [s.SubnetId, infoOf(s)]));
}

/** The default VPC's subnets, one per zone, in zone order. */
export async function defaultSubnets(tx: Tx, account: string, region: string): Promise<SubnetInfo[]> {
  const { vpcId } = await ensureDefaults(tx, account, region);
  const subnets = (await listResources(tx, account, region, SUBNET)).filter((s) => s.VpcId === vpcId && s.DefaultForAz);
  return subnets.map(infoOf).sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone));
}

/**
 * The security groups a cluster's interfaces get: those named (each must exist in the VPC), or the
 * VPC's `default` group, as EC2 would choose.
 */
export async function securityGroupsFor(tx: Tx, account: string, region: string, vpcId: string, ids: string[] | undefined): Promise<string[]> {
  const groups = (await listResources(tx, account, region, SECURITY_GROUP)).filter((g) => g.VpcId === vpcId);
  const wanted = [...new Set(ids ?? [])];
  if (wanted.length === 0) {
    const fallback = groups.find((g) => g.GroupName === 'default');
    return fallback ? [fallback.GroupId] : [];
  }
  for (const id of wanted) {
    if (!groups.some((g) => g.GroupId === id)) throw invalidParameterValue(`Some security group Id not recognized by EC2: ${id}`);
  }
  return wanted;
}

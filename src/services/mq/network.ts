// Where a new broker goes in the customer's network: the subnets and security groups CreateBroker
// names, checked to exist (as MQ checks them when the broker is created), or the region's default
// subnets — one per availability zone, as many as the deployment mode takes — and default group.
// Read through EC2's own store functions; nothing here writes EC2 state except the default network,
// which EC2 itself creates on first use.

import type { Tx } from '../../store/types.ts';
import { ensureDefaults } from '../ec2/index.ts';
import { getResource, listResources, SECURITY_GROUP, SUBNET } from '../ec2/model.ts';
import { badRequest } from './errors.ts';

export interface BrokerNetwork {
  vpcId: string;
  subnetIds: string[];
  securityGroups: string[];
}

export async function placeBroker(
  tx: Tx,
  account: string,
  region: string,
  request: { subnetIds?: string[]; securityGroups?: string[]; subnetCount: number },
): Promise<BrokerNetwork> {
  const defaults = await ensureDefaults(tx, account, region);
  let vpcId = defaults.vpcId;
  let subnetIds: string[];
  if (request.subnetIds && request.subnetIds.length > 0) {
    const zones = new Set<string>();
    const vpcs = new Set<string>();
    for (const id of request.subnetIds) {
      const subnet = await getResource(tx, account, region, SUBNET, id);
      if (!subnet) throw badRequest('subnetIds', `The subnet ID '${id}' does not exist.`);
      if (zones.has(subnet.AvailabilityZone)) {
        throw badRequest('subnetIds', `Subnets must be in different availability zones; two are in ${subnet.AvailabilityZone}.`);
      }
      zones.add(subnet.AvailabilityZone);
      vpcs.add(subnet.VpcId);
      vpcId = subnet.VpcId;
    }
    if (vpcs.size > 1) throw badRequest('subnetIds', 'Subnets must all be in the same VPC.');
    subnetIds = [...request.subnetIds];
  } else {
    const defaultsForAz = (await listResources(tx, account, region, SUBNET))
      .filter((s) => s.DefaultForAz)
      .sort((a, b) => a.AvailabilityZone.localeCompare(b.AvailabilityZone));
    subnetIds = defaultsForAz.slice(0, request.subnetCount).map((s) => s.SubnetId);
  }
  let securityGroups: string[];
  if (request.securityGroups && request.securityGroups.length > 0) {
    for (const id of request.securityGroups) {
      const group = await getResource(tx, account, region, SECURITY_GROUP, id);
      if (!group) throw badRequest('securityGroups', `The security group '${id}' does not exist.`);
      if (group.VpcId !== vpcId) throw badRequest('securityGroups', `The security group '${id}' is not in the VPC of the broker's subnets.`);
    }
    securityGroups = [...new Set(request.securityGroups)];
  } else {
    securityGroups = [defaults.securityGroupId];
  }
  return { vpcId, subnetIds, securityGroups };
}

// Every (account, region) has, as on AWS, a default VPC (172.31.0.0/16), one default /20 subnet per
// availability zone and the VPC's default security group. They are created on first use, inside the
// transaction of the call that needs them, with ids derived from (account, region): whichever call
// comes first, on whichever node, the result is the same.
//
// Deviation: AWS's default VPC has no IPv6 block. iamd gives it an Amazon-style /56 (and each default
// subnet a /64) so that linked services can create dual-stack resources without CreateVpc/CreateSubnet,
// which iamd does not implement.

import { createHash } from 'node:crypto';
import type { Tx } from '../../store/types.ts';
import { ec2Arn } from './arn.ts';
import { FIRST_USABLE_HOST, usableAddressCount } from './addresses.ts';
import { stableResourceId } from './ids.ts';
import {
  getDefaults, insertResource, putDefaults, SECURITY_GROUP, SUBNET, VPC,
  type DefaultsDoc, type SecurityGroupDoc, type SubnetDoc, type VpcDoc,
} from './model.ts';
import { availabilityZones } from './zones.ts';

export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
export const DEFAULT_GROUP_NAME = 'default';

function ipv6Block56(account: string, region: string): string {
  const h = createHash('sha256').update(`${account}/${region}/ipv6`).digest('hex');
  return `2600:1f${h.slice(0, 2)}:${h.slice(2, 6)}:${h.slice(6, 8)}00::/56`;
}

function buildDefaults(account: string, region: string): { vpc: VpcDoc; subnets: SubnetDoc[]; group: SecurityGroupDoc } {
  const id = (prefix: string, ...parts: string[]) => stableResourceId(prefix, account, region, ...parts);
  const vpcId = id('vpc', 'default');
  const v6 = ipv6Block56(account, region);
  const v6Head = v6.slice(0, v6.indexOf('00::/56'));
  const vpc: VpcDoc = {
    VpcId: vpcId,
    OwnerId: account,
    CidrBlock: DEFAULT_VPC_CIDR,
    State: 'available',
    DhcpOptionsId: id('dopt', 'default'),
    InstanceTenancy: 'default',
    IsDefault: true,
    CidrBlockAssociationSet: [{ AssociationId: id('vpc-cidr-assoc', 'v4'), CidrBlock: DEFAULT_VPC_CIDR, CidrBlockState: { State: 'associated' } }],
    Ipv6CidrBlockAssociationSet: [{
      AssociationId: id('vpc-cidr-assoc', 'v6'), Ipv6CidrBlock: v6, Ipv6CidrBlockState: { State: 'associated' },
      NetworkBorderGroup: region, Ipv6Pool: 'Amazon',
    }],
    Tags: [],
  };
  const subnets = availabilityZones(region).map((zone, i): SubnetDoc => {
    const subnetId = id('subnet', zone.ZoneName);
    const cidr = `172.31.${i * 16}.0/20`;
    return {
      SubnetId: subnetId,
      SubnetArn: ec2Arn(region, account, 'subnet', subnetId),
      VpcId: vpcId,
      OwnerId: account,
      State: 'available',
      CidrBlock: cidr,
      AvailabilityZone: zone.ZoneName,
      AvailabilityZoneId: zone.ZoneId,
      AvailableIpAddressCount: usableAddressCount(cidr),
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      AssignIpv6AddressOnCreation: false,
      Ipv6Native: false,
      Ipv6CidrBlockAssociationSet: [{
        AssociationId: id('subnet-cidr-assoc', zone.ZoneName),
        Ipv6CidrBlock: `${v6Head}${(i + 1).toString(16).padStart(2, '0')}::/64`,
        Ipv6CidrBlockState: { State: 'associated' },
      }],
      Tags: [],
      nextHost: FIRST_USABLE_HOST,
    };
  });
  const groupId = id('sg', 'default');
  const group: SecurityGroupDoc = {
    GroupId: groupId,
    GroupName: DEFAULT_GROUP_NAME,
    Description: 'default VPC security group',
    VpcId: vpcId,
    OwnerId: account,
    Tags: [],
    rules: [
      { SecurityGroupRuleId: id('sgr', 'default-in'), IsEgress: false, IpProtocol: '-1', ReferencedGroupId: groupId, Tags: [] },
      { SecurityGroupRuleId: id('sgr', 'default-out'), IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0', Tags: [] },
    ],
  };
  return { vpc, subnets, group };
}

/** The region's defaults, created now if this is the first EC2 call there. */
export async function ensureDefaults(tx: Tx, account: string, region: string): Promise<DefaultsDoc> {
  const existing = await getDefaults(tx, account, region);
  if (existing) return existing;
  const { vpc, subnets, group } = buildDefaults(account, region);
  const doc: DefaultsDoc = { vpcId: vpc.VpcId, securityGroupId: group.GroupId };
  // The marker goes in first: it is the key this transaction read, so a concurrent first call on
  // PostgreSQL fails as a serialization conflict (and is retried), not as a duplicate VPC.
  await putDefaults(tx, account, region, doc);
  await insertResource(tx, account, region, VPC, vpc);
  for (const subnet of subnets) await insertResource(tx, account, region, SUBNET, subnet);
  await insertResource(tx, account, region, SECURITY_GROUP, group);
  return doc;
}

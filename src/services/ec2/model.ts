// What EC2 keeps in the store, per (account, region): documents shaped like the API's own output
// (member names as in the model), so describing is mostly reading. Keys are `<region>/<id>`, so one
// region's resources are one key range.

import type { Tx } from '../../store/types.ts';
import type { Ec2ResourceType } from './arn.ts';

export interface Tag {
  Key: string;
  Value: string;
}

export interface VpcDoc {
  VpcId: string;
  OwnerId: string;
  CidrBlock: string;
  State: 'available';
  DhcpOptionsId: string;
  InstanceTenancy: 'default';
  IsDefault: boolean;
  CidrBlockAssociationSet: { AssociationId: string; CidrBlock: string; CidrBlockState: { State: 'associated' } }[];
  Ipv6CidrBlockAssociationSet: { AssociationId: string; Ipv6CidrBlock: string; Ipv6CidrBlockState: { State: 'associated' }; NetworkBorderGroup: string; Ipv6Pool: string }[];
  Tags: Tag[];
}

export interface SubnetDoc {
  SubnetId: string;
  SubnetArn: string;
  VpcId: string;
  OwnerId: string;
  State: 'available';
  CidrBlock: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  AvailableIpAddressCount: number;
  DefaultForAz: boolean;
  MapPublicIpOnLaunch: boolean;
  AssignIpv6AddressOnCreation: boolean;
  Ipv6Native: boolean;
  Ipv6CidrBlockAssociationSet: { AssociationId: string; Ipv6CidrBlock: string; Ipv6CidrBlockState: { State: 'associated' } }[];
  Tags: Tag[];
  /** The next host number to hand out in CidrBlock (iamd's allocator, not part of the API). */
  nextHost: number;
}

/** One rule: one protocol and port range, one peer (a CIDR or a group). */
export interface RuleDoc {
  SecurityGroupRuleId: string;
  IsEgress: boolean;
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIpv4?: string;
  CidrIpv6?: string;
  ReferencedGroupId?: string;
  Description?: string;
  Tags: Tag[];
}

export interface SecurityGroupDoc {
  GroupId: string;
  GroupName: string;
  Description: string;
  VpcId: string;
  OwnerId: string;
  Tags: Tag[];
  rules: RuleDoc[];
}

export interface NetworkInterfaceDoc {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  AvailabilityZoneId: string;
  Description: string;
  Groups: { GroupId: string; GroupName: string }[];
  InterfaceType: string;
  Ipv6Addresses: { Ipv6Address: string; IsPrimaryIpv6: boolean }[];
  MacAddress: string;
  OwnerId: string;
  PrivateDnsName: string;
  PrivateIpAddress: string;
  PrivateIpAddresses: { Primary: boolean; PrivateDnsName: string; PrivateIpAddress: string }[];
  RequesterId?: string;
  RequesterManaged: boolean;
  SourceDestCheck: boolean;
  Status: 'available' | 'in-use';
  TagSet: Tag[];
  /** The VPC endpoint that owns this interface, if any (it cannot be deleted on its own). */
  ownedBy?: string;
}

export interface VpcEndpointDoc {
  VpcEndpointId: string;
  VpcEndpointType: string;
  VpcId: string;
  ServiceName: string;
  State: 'available';
  PolicyDocument?: string;
  RouteTableIds: string[];
  SubnetIds: string[];
  Groups: { GroupId: string; GroupName: string }[];
  IpAddressType: string;
  PrivateDnsEnabled: boolean;
  RequesterManaged: boolean;
  NetworkInterfaceIds: string[];
  DnsEntries: { DnsName: string; HostedZoneId: string }[];
  CreationTimestamp: string;
  Tags: Tag[];
  OwnerId: string;
}

/** Per region: the default VPC's id, once its defaults exist. */
export interface DefaultsDoc {
  vpcId: string;
  securityGroupId: string;
}

export interface ResourceKind<D> {
  kind: string;
  type: Ec2ResourceType;
  prefix: string;
  idOf(doc: D): string;
  tagsOf(doc: D): Tag[];
  withTags(doc: D, tags: Tag[]): D;
}

export const VPC: ResourceKind<VpcDoc> = {
  kind: 'ec2-vpc', type: 'vpc', prefix: 'vpc-',
  idOf: (d) => d.VpcId, tagsOf: (d) => d.Tags, withTags: (d, Tags) => ({ ...d, Tags }),
};
export const SUBNET: ResourceKind<SubnetDoc> = {
  kind: 'ec2-subnet', type: 'subnet', prefix: 'subnet-',
  idOf: (d) => d.SubnetId, tagsOf: (d) => d.Tags, withTags: (d, Tags) => ({ ...d, Tags }),
};
export const SECURITY_GROUP: ResourceKind<SecurityGroupDoc> = {
  kind: 'ec2-security-group', type: 'security-group', prefix: 'sg-',
  idOf: (d) => d.GroupId, tagsOf: (d) => d.Tags, withTags: (d, Tags) => ({ ...d, Tags }),
};
export const NETWORK_INTERFACE: ResourceKind<NetworkInterfaceDoc> = {
  kind: 'ec2-network-interface', type: 'network-interface', prefix: 'eni-',
  idOf: (d) => d.NetworkInterfaceId, tagsOf: (d) => d.TagSet, withTags: (d, TagSet) => ({ ...d, TagSet }),
};
export const VPC_ENDPOINT: ResourceKind<VpcEndpointDoc> = {
  kind: 'ec2-vpc-endpoint', type: 'vpc-endpoint', prefix: 'vpce-',
  idOf: (d) => d.VpcEndpointId, tagsOf: (d) => d.Tags, withTags: (d, Tags) => ({ ...d, Tags }),
};
export const DEFAULTS_KIND = 'ec2-defaults';

/** Every taggable kind, longest prefix first (`vpce-` before `vpc-`). */
export const TAGGABLE: ResourceKind<unknown>[] = [
  VPC_ENDPOINT, VPC, SUBNET, SECURITY_GROUP, NETWORK_INTERFACE,
] as ResourceKind<unknown>[];

export function kindOfId(id: string): ResourceKind<unknown> | undefined {
  return TAGGABLE.find((k) => id.startsWith(k.prefix));
}

const key = (region: string, id: string) => `${region}/${id}`;

export async function getResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, id: string): Promise<D | undefined> {
  return (await tx.get<D>(account, kind.kind, key(region, id)))?.doc;
}

export async function listResources<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>): Promise<D[]> {
  return (await tx.list<D>(account, kind.kind, { keyPrefix: `${region}/` })).map((e) => e.doc);
}

export async function insertResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, doc: D): Promise<void> {
  await tx.insert(account, kind.kind, key(region, kind.idOf(doc)), doc);
}

export async function updateResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, doc: D): Promise<void> {
  await tx.update(account, kind.kind, key(region, kind.idOf(doc)), doc);
}

export async function deleteResource<D>(tx: Tx, account: string, region: string, kind: ResourceKind<D>, id: string): Promise<boolean> {
  return tx.delete(account, kind.kind, key(region, id));
}

export async function getDefaults(tx: Tx, account: string, region: string): Promise<DefaultsDoc | undefined> {
  return (await tx.get<DefaultsDoc>(account, DEFAULTS_KIND, region))?.doc;
}

export async function putDefaults(tx: Tx, account: string, region: string, doc: DefaultsDoc): Promise<void> {
  await tx.insert(account, DEFAULTS_KIND, region, doc);
}

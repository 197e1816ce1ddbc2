// Network interfaces: what a linked service creates in a customer's subnet to put its nodes there.
// Authorization follows EC2: CreateNetworkInterface on the new `network-interface/*` (with the request's
// tags), on the subnet and on each security group; `ec2:CreateTags` with `ec2:CreateAction` for tags
// given at creation; everything else on the interface itself, with its tags.

import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import { ApiError } from '../../../common/errors.ts';
import { ipv4Block, ipv4InBlock, ipv6Prefix64, numberToIpv4, privateDnsName } from '../addresses.ts';
import { onNetworkInterface, onNewResource, onSecurityGroup, onSubnet, tagOnCreate } from '../authz.ts';
import { ec2Arn } from '../arn.ts';
import { interfaceInUse, invalidParameterCombination, invalidParameterValue, missingParameter } from '../errors.ts';
import { newIpv6InterfaceId, newMacAddress, newResourceId } from '../ids.ts';
import {
  deleteResource, getResource, insertResource, listResources, NETWORK_INTERFACE, SUBNET, updateResource,
  type NetworkInterfaceDoc, type SecurityGroupDoc, type SubnetDoc,
} from '../model.ts';
import { ec2Operation } from '../operation.ts';
import { requireGroup, requireNetworkInterface, requireSubnet, unique, type Region } from '../region.ts';
import { tagsForCreate, type TagSpecification } from '../tags.ts';
import { networkInterfaceView } from '../views.ts';

interface CreateInput {
  DryRun?: boolean;
  SubnetId: string;
  Description?: string;
  Groups?: string[];
  PrivateIpAddress?: string;
  PrivateIpAddresses?: { PrivateIpAddress?: string; Primary?: boolean }[];
  SecondaryPrivateIpAddressCount?: number;
  Ipv6Addresses?: { Ipv6Address?: string }[];
  Ipv6AddressCount?: number;
  InterfaceType?: string;
  TagSpecifications?: TagSpecification[];
  ClientToken?: string;
}

const addressInUse = () => new ApiError('InvalidIPAddress.InUse', `The specified address is already in use.`, 400);
const subnetFull = (id: string) =>
  new ApiError('InsufficientFreeAddressesInSubnet', `The specified subnet ${id} does not have enough free addresses to satisfy the request.`, 400);

/** The security groups a new interface gets: those named, or its VPC's default group; all in the subnet's VPC. */
async function groupsFor(r: Region, subnet: SubnetDoc, ids: string[] | undefined): Promise<SecurityGroupDoc[]> {
  const wanted = unique(ids);
  const groups: SecurityGroupDoc[] = [];
  for (const id of wanted.length > 0 ? wanted : [r.defaults.securityGroupId]) {
    const group = await requireGroup(r, id);
    if (group.VpcId !== subnet.VpcId) {
      throw invalidParameterValue(`Security group ${group.GroupId} and subnet ${subnet.SubnetId} belong to different networks.`);
    }
    groups.push(group);
  }
  return groups;
}

async function interfacesIn(r: Region, subnetId: string): Promise<NetworkInterfaceDoc[]> {
  return (await listResources(r.tx, r.account, r.region, NETWORK_INTERFACE)).filter((e) => e.SubnetId === subnetId);
}

/** Picks `count` free IPv4 addresses after the requested ones, scanning from the subnet's allocator position. */
function allocateIpv4(subnet: SubnetDoc, used: Set<string>, requested: string[], count: number): string[] {
  for (const ip of requested) {
    if (!ipv4InBlock(ip, subnet.CidrBlock)) {
      throw invalidParameterValue(`Address ${ip} does not fall within the subnet's address range`);
    }
    if (used.has(ip)) throw addressInUse();
    used.add(ip);
  }
  const { base, size } = ipv4Block(subnet.CidrBlock);
  const out = [...requested];
  let host = subnet.nextHost;
  for (let scanned = 0; out.length < requested.length + count; scanned++) {
    if (scanned >= size) throw subnetFull(subnet.SubnetId);
    if (host >= size - 1) host = 4;
    const ip = numberToIpv4(base + host);
    host++;
    if (used.has(ip)) continue;
    used.add(ip);
    out.push(ip);
  }
  subnet.nextHost = host;
  return out;
}

function allocateIpv6(subnet: SubnetDoc, used: Set<string>, requested: string[], count: number): string[] {
  const block = subnet.Ipv6CidrBlockAssociationSet[0]?.Ipv6CidrBlock;
  if (!block) throw invalidParameterValue(`Subnet ${subnet.SubnetId} does not have an IPv6 CIDR block.`);
  const prefix = ipv6Prefix64(block);
  const out: string[] = [];
  for (const ip of requested) {
    if (!ip.toLowerCase().startsWith(`${prefix}:`)) throw invalidParameterValue(`Address ${ip} does not fall within the subnet's address range`);
    if (used.has(ip.toLowerCase())) throw addressInUse();
    used.add(ip.toLowerCase());
    out.push(ip.toLowerCase());
  }
  while (out.length < requested.length + count) {
    const ip = `${prefix}:${newIpv6InterfaceId()}`;
    if (used.has(ip)) continue;
    used.add(ip);
    out.push(ip);
  }
  return out;
}

async function usedAddresses(r: Region, subnetId: string): Promise<{ v4: Set<string>; v6: Set<string> }> {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  for (const eni of await interfacesIn(r, subnetId)) {
    for (const a of eni.PrivateIpAddresses) v4.add(a.PrivateIpAddress);
    for (const a of eni.Ipv6Addresses) v6.add(a.Ipv6Address);
  }
  return { v4, v6 };
}

/** Builds, stores and returns a new interface; also used by VPC endpoints for their own interfaces. */
export async function createInterface(
  r: Region,
  ctx: CallContext,
  spec: {
    subnet: SubnetDoc;
    groups: SecurityGroupDoc[];
    description: string;
    requestedIpv4?: string[];
    secondaryCount?: number;
    requestedIpv6?: string[];
    ipv6Count?: number;
    interfaceType?: string;
    tags: NetworkInterfaceDoc['TagSet'];
    ownedBy?: string;
  },
): Promise<NetworkInterfaceDoc> {
  const { subnet } = spec;
  const used = await usedAddresses(r, subnet.SubnetId);
  const requested = spec.requestedIpv4 ?? [];
  const ipv4 = allocateIpv4(subnet, used.v4, requested, (requested.length === 0 ? 1 : 0) + (spec.secondaryCount ?? 0));
  const ipv6 = spec.requestedIpv6?.length || spec.ipv6Count ? allocateIpv6(subnet, used.v6, spec.requestedIpv6 ?? [], spec.ipv6Count ?? 0) : [];
  const id = newResourceId('eni');
  const doc: NetworkInterfaceDoc = {
    NetworkInterfaceId: id,
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    AvailabilityZoneId: subnet.AvailabilityZoneId,
    Description: spec.description,
    Groups: spec.groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
    InterfaceType: spec.interfaceType ?? 'interface',
    Ipv6Addresses: ipv6.map((a) => ({ Ipv6Address: a, IsPrimaryIpv6: false })),
    MacAddress: newMacAddress(),
    OwnerId: r.account,
    PrivateDnsName: privateDnsName(ipv4[0], r.region),
    PrivateIpAddress: ipv4[0],
    PrivateIpAddresses: ipv4.map((ip, i) => ({ Primary: i === 0, PrivateDnsName: privateDnsName(ip, r.region), PrivateIpAddress: ip })),
    // A role session (a linked service acting through its role) is recorded as the requester, as on EC2.
    RequesterId: ctx.caller.session ? ctx.caller.userId : undefined,
    RequesterManaged: spec.ownedBy !== undefined,
    SourceDestCheck: true,
    Status: spec.ownedBy !== undefined ? 'in-use' : 'available',
    TagSet: spec.tags,
    ownedBy: spec.ownedBy,
  };
  subnet.AvailableIpAddressCount -= ipv4.length;
  await updateResource(r.tx, r.account, r.region, SUBNET, subnet);
  await insertResource(r.tx, r.account, r.region, NETWORK_INTERFACE, doc);
  return doc;
}

/** Removes an interface and gives its addresses back to the subnet. */
export async function deleteInterface(r: Region, eni: NetworkInterfaceDoc): Promise<void> {
  await deleteResource(r.tx, r.account, r.region, NETWORK_INTERFACE, eni.NetworkInterfaceId);
  const subnet = await requireSubnet(r, eni.SubnetId);
  subnet.AvailableIpAddressCount += eni.PrivateIpAddresses.length;
  await updateResource(r.tx, r.account, r.region, SUBNET, subnet);
}

/** Address counts must be positive and within what one interface can hold (AWS: 50 IPv4 addresses on the largest types). */
const MAX_ADDRESSES = 50;

function checkCount(value: number | undefined, parameter: string): void {
  if (value === undefined) return;
  if (value < 1 || value > MAX_ADDRESSES) {
    throw invalidParameterValue(`Value (${value}) for parameter ${parameter} is invalid. Expected a number between 1 and ${MAX_ADDRESSES}.`);
  }
}

function requestedIpv4(input: CreateInput): string[] {
  const listed = (input.PrivateIpAddresses ?? []).filter((a) => a.PrivateIpAddress !== undefined);
  if (input.PrivateIpAddress !== undefined && listed.some((a) => a.Primary)) {
    throw invalidParameterCombination('Only one primary private IP address can be specified.');
  }
  const primary = input.PrivateIpAddress ?? listed.find((a) => a.Primary)?.PrivateIpAddress;
  const others = listed.filter((a) => a.PrivateIpAddress !== primary).map((a) => a.PrivateIpAddress!);
  return primary !== undefined ? [primary, ...others] : others;
}

/** ClientToken → the resource its first request created. */
const CLIENT_TOKEN_KIND = 'ec2-client-token';

const createNetworkInterface = ec2Operation<CreateInput>({
  name: 'CreateNetworkInterface',
  async authorize(input, r) {
    const subnet = await requireSubnet(r, input.SubnetId);
    const groups = await groupsFor(r, subnet, input.Groups);
    const tags = tagsForCreate(input.TagSpecifications, 'network-interface');
    const checks: AuthzCheck[] = [
      onNewResource(r, 'CreateNetworkInterface', 'network-interface', tags, {
        'ec2:Subnet': subnet.SubnetArn,
        'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', subnet.VpcId),
        'ec2:AvailabilityZone': subnet.AvailabilityZone,
      }),
      onSubnet(r, 'CreateNetworkInterface', subnet),
      ...groups.map((g) => onSecurityGroup(r, 'CreateNetworkInterface', g)),
      ...tagOnCreate(r, 'CreateNetworkInterface', 'network-interface', tags),
    ];
    return checks;
  },
  async handle(input, r, ctx) {
    checkCount(input.SecondaryPrivateIpAddressCount, 'secondaryPrivateIpAddressCount');
    checkCount(input.Ipv6AddressCount, 'ipv6AddressCount');
    // A retried request with the same ClientToken gets the interface the first one made (EC2's
    // idempotency), so a caller that crashed after creating one does not make a second.
    const tokenKey = input.ClientToken ? `${r.region}/CreateNetworkInterface/${input.ClientToken}` : undefined;
    if (tokenKey) {
      const made = (await r.tx.get<{ id: string }>(r.account, CLIENT_TOKEN_KIND, tokenKey))?.doc;
      const existing = made && (await getResource(r.tx, r.account, r.region, NETWORK_INTERFACE, made.id));
      if (existing) return { NetworkInterface: networkInterfaceView(existing), ClientToken: input.ClientToken };
    }
    const subnet = await requireSubnet(r, input.SubnetId);
    const groups = await groupsFor(r, subnet, input.Groups);
    const eni = await createInterface(r, ctx, {
      subnet,
      groups,
      description: input.Description ?? '',
      requestedIpv4: requestedIpv4(input),
      secondaryCount: input.SecondaryPrivateIpAddressCount,
      requestedIpv6: (input.Ipv6Addresses ?? []).map((a) => a.Ipv6Address ?? ''),
      ipv6Count: input.Ipv6AddressCount,
      interfaceType: input.InterfaceType,
      tags: tagsForCreate(input.TagSpecifications, 'network-interface'),
    });
    if (tokenKey) {
      await r.tx.delete(r.account, CLIENT_TOKEN_KIND, tokenKey);
      await r.tx.insert(r.account, CLIENT_TOKEN_KIND, tokenKey, { id: eni.NetworkInterfaceId });
    }
    return { NetworkInterface: networkInterfaceView(eni), ClientToken: input.ClientToken };
  },
});

interface InterfaceInput {
  DryRun?: boolean;
  NetworkInterfaceId: string;
}

const deleteNetworkInterface = ec2Operation<InterfaceInput>({
  name: 'DeleteNetworkInterface',
  async authorize(input, r) {
    return [onNetworkInterface(r, 'DeleteNetworkInterface', await requireNetworkInterface(r, input.NetworkInterfaceId))];
  },
  async handle(input, r) {
    const eni = await requireNetworkInterface(r, input.NetworkInterfaceId);
    if (eni.ownedBy !== undefined) throw interfaceInUse(eni.NetworkInterfaceId);
    await deleteInterface(r, eni);
  },
});

interface ModifyInput extends InterfaceInput {
  Description?: { Value?: string };
  SourceDestCheck?: { Value?: boolean };
  Groups?: string[];
  Attachment?: unknown;
  AssociatePublicIpAddress?: boolean;
  EnaSrdSpecification?: unknown;
  ConnectionTrackingSpecification?: unknown;
  EnablePrimaryIpv6?: boolean;
  AssociatedSubnetIds?: string[];
}

const SUPPORTED_ATTRIBUTES = ['Description', 'SourceDestCheck', 'Groups'] as const;
const OTHER_ATTRIBUTES = ['Attachment', 'AssociatePublicIpAddress', 'EnaSrdSpecification', 'ConnectionTrackingSpecification', 'EnablePrimaryIpv6', 'AssociatedSubnetIds'] as const;

function attributeOf(input: ModifyInput): (typeof SUPPORTED_ATTRIBUTES)[number] {
  const given = [...SUPPORTED_ATTRIBUTES, ...OTHER_ATTRIBUTES].filter((a) => input[a] !== undefined);
  if (given.length === 0) throw missingParameter('Description, SourceDestCheck or SecurityGroupId');
  if (given.length > 1) throw invalidParameterCombination(`Fields for multiple attribute types specified: ${given.join(', ')}`);
  const [attribute] = given;
  if (!(SUPPORTED_ATTRIBUTES as readonly string[]).includes(attribute)) {
    throw invalidParameterValue(`iamd does not support modifying the ${attribute} attribute of a network interface.`);
  }
  return attribute as (typeof SUPPORTED_ATTRIBUTES)[number];
}

const modifyNetworkInterfaceAttribute = ec2Operation<ModifyInput>({
  name: 'ModifyNetworkInterfaceAttribute',
  async authorize(input, r) {
    const eni = await requireNetworkInterface(r, input.NetworkInterfaceId);
    const checks = [onNetworkInterface(r, 'ModifyNetworkInterfaceAttribute', eni)];
    if (attributeOf(input) === 'Groups') {
      const subnet = await requireSubnet(r, eni.SubnetId);
      for (const g of await groupsFor(r, subnet, input.Groups)) checks.push(onSecurityGroup(r, 'ModifyNetworkInterfaceAttribute', g));
    }
    return checks;
  },
  async handle(input, r) {
    const eni = await requireNetworkInterface(r, input.NetworkInterfaceId);
    switch (attributeOf(input)) {
      case 'Description':
        eni.Description = input.Description?.Value ?? '';
        break;
      case 'SourceDestCheck':
        eni.SourceDestCheck = input.SourceDestCheck?.Value ?? true;
        break;
      case 'Groups': {
        const subnet = await requireSubnet(r, eni.SubnetId);
        eni.Groups = (await groupsFor(r, subnet, input.Groups)).map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName }));
        break;
      }
    }
    await updateResource(r.tx, r.account, r.region, NETWORK_INTERFACE, eni);
  },
});

interface AssignInput extends InterfaceInput {
  Ipv6Addresses?: string[];
  Ipv6AddressCount?: number;
  Ipv6Prefixes?: string[];
  Ipv6PrefixCount?: number;
}

const assignIpv6Addresses = ec2Operation<AssignInput>({
  name: 'AssignIpv6Addresses',
  async authorize(input, r) {
    return [onNetworkInterface(r, 'AssignIpv6Addresses', await requireNetworkInterface(r, input.NetworkInterfaceId))];
  },
  async handle(input, r) {
    if (input.Ipv6Prefixes?.length || input.Ipv6PrefixCount) throw invalidParameterValue('iamd does not support IPv6 prefix delegation.');
    const requested = input.Ipv6Addresses ?? [];
    checkCount(input.Ipv6AddressCount, 'ipv6AddressCount');
    if (requested.length === 0 && !input.Ipv6AddressCount) throw missingParameter('Ipv6AddressCount');
    if (requested.length > 0 && input.Ipv6AddressCount) {
      throw invalidParameterCombination('You may specify ipv6AddressCount or specific IPv6 addresses, but not both.');
    }
    const eni = await requireNetworkInterface(r, input.NetworkInterfaceId);
    const subnet = await requireSubnet(r, eni.SubnetId);
    const used = await usedAddresses(r, eni.SubnetId);
    const assigned = allocateIpv6(subnet, used.v6, requested, input.Ipv6AddressCount ?? 0);
    eni.Ipv6Addresses.push(...assigned.map((a) => ({ Ipv6Address: a, IsPrimaryIpv6: false })));
    await updateResource(r.tx, r.account, r.region, NETWORK_INTERFACE, eni);
    return { NetworkInterfaceId: eni.NetworkInterfaceId, AssignedIpv6Addresses: assigned };
  },
});

interface UnassignInput extends InterfaceInput {
  Ipv6Addresses?: string[];
  Ipv6Prefixes?: string[];
}

const unassignIpv6Addresses = ec2Operation<UnassignInput>({
  name: 'UnassignIpv6Addresses',
  async authorize(input, r) {
    return [onNetworkInterface(r, 'UnassignIpv6Addresses', await requireNetworkInterface(r, input.NetworkInterfaceId))];
  },
  async handle(input, r) {
    if (input.Ipv6Prefixes?.length) throw invalidParameterValue('iamd does not support IPv6 prefix delegation.');
    const eni = await requireNetworkInterface(r, input.NetworkInterfaceId);
    const remove = unique((input.Ipv6Addresses ?? []).map((a) => a.toLowerCase()));
    if (remove.some((a) => !eni.Ipv6Addresses.some((x) => x.Ipv6Address === a))) {
      throw invalidParameterValue(`Some of the specified addresses are not assigned to interface ${eni.NetworkInterfaceId}`);
    }
    eni.Ipv6Addresses = eni.Ipv6Addresses.filter((a) => !remove.includes(a.Ipv6Address));
    await updateResource(r.tx, r.account, r.region, NETWORK_INTERFACE, eni);
    return { NetworkInterfaceId: eni.NetworkInterfaceId, UnassignedIpv6Addresses: remove };
  },
});

export const networkInterfaceOperations: Operation[] = [
  createNetworkInterface, deleteNetworkInterface, modifyNetworkInterfaceAttribute, assignIpv6Addresses, unassignIpv6Addresses,
];

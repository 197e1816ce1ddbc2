// The Describe* operations: ids (each must exist), filters, pagination. None supports resource-level
// permissions, so each authorizes on `*`.

import type { Operation } from '../../../common/call.ts';
import { nonEmptyBase64urlKeys, pageAfterKey, type KeyPaging } from '../../../common/paging.ts';
import { describeCheck } from '../authz.ts';
import { groupNameNotFound, invalidNextToken, invalidParameterValue, invalidZone } from '../errors.ts';
import { applyFilters, type Filter, type FilterFields } from '../filters.ts';
import {
  listResources, NETWORK_INTERFACE, SECURITY_GROUP, SUBNET, TAGGABLE, VPC, VPC_ENDPOINT,
  type NetworkInterfaceDoc, type ResourceKind, type SecurityGroupDoc, type SubnetDoc, type Tag, type VpcDoc, type VpcEndpointDoc,
} from '../model.ts';
import { ec2Operation } from '../operation.ts';
import {
  requireGroup, requireNetworkInterface, requireSubnet, requireVpc, requireVpcEndpoint, unique, type Region,
} from '../region.ts';
import { networkInterfaceView, securityGroupView, subnetView, vpcEndpointView, vpcView } from '../views.ts';
import { availabilityZones } from '../zones.ts';

/**
 * A NextToken is the base64url of the last id handed out; without MaxResults the rest of the list comes
 * in one page (MaxResults' bounds, where it has any, are the model's).
 */
const PAGING: KeyPaging = { tokens: nonEmptyBase64urlKeys(invalidNextToken), size: { default: Infinity } };

/** EC2's page sizes: fewer than 5 is refused (recorded for DescribeInstances); more than 1000 gives pages of 1000. */
const MIN_RESULTS = 5;
const MAX_RESULTS = 1000;
function maxResults(requested: number | undefined): number | undefined {
  if (requested === undefined) return undefined;
  if (requested < MIN_RESULTS) throw invalidParameterValue(`Value ( ${requested} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_RESULTS}.`);
  return Math.min(requested, MAX_RESULTS);
}

interface DescribeInput {
  DryRun?: boolean;
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

const VPC_FILTERS: FilterFields<VpcDoc> = {
  'vpc-id': (d) => d.VpcId,
  'cidr': (d) => d.CidrBlock,
  'cidr-block-association.cidr-block': (d) => d.CidrBlockAssociationSet.map((a) => a.CidrBlock),
  'ipv6-cidr-block-association.ipv6-cidr-block': (d) => d.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlock),
  'dhcp-options-id': (d) => d.DhcpOptionsId,
  'is-default': (d) => d.IsDefault,
  'owner-id': (d) => d.OwnerId,
  'state': (d) => d.State,
};

const SUBNET_FILTERS: FilterFields<SubnetDoc> = {
  'subnet-id': (d) => d.SubnetId,
  'subnet-arn': (d) => d.SubnetArn,
  'vpc-id': (d) => d.VpcId,
  'availability-zone': (d) => d.AvailabilityZone,
  'availability-zone-id': (d) => d.AvailabilityZoneId,
  'cidr-block': (d) => d.CidrBlock,
  'cidr': (d) => d.CidrBlock,
  'cidrBlock': (d) => d.CidrBlock,
  'ipv6-cidr-block-association.ipv6-cidr-block': (d) => d.Ipv6CidrBlockAssociationSet.map((a) => a.Ipv6CidrBlock),
  'default-for-az': (d) => d.DefaultForAz,
  'map-public-ip-on-launch': (d) => d.MapPublicIpOnLaunch,
  'owner-id': (d) => d.OwnerId,
  'state': (d) => d.State,
};

const GROUP_FILTERS: FilterFields<SecurityGroupDoc> = {
  'group-id': (d) => d.GroupId,
  'group-name': (d) => d.GroupName,
  'description': (d) => d.Description,
  'vpc-id': (d) => d.VpcId,
  'owner-id': (d) => d.OwnerId,
  'ip-permission.protocol': (d) => d.rules.filter((r) => !r.IsEgress).map((r) => r.IpProtocol),
  'ip-permission.cidr': (d) => d.rules.filter((r) => !r.IsEgress).map((r) => r.CidrIpv4),
  'ip-permission.group-id': (d) => d.rules.filter((r) => !r.IsEgress).map((r) => r.ReferencedGroupId),
  'egress.ip-permission.cidr': (d) => d.rules.filter((r) => r.IsEgress).map((r) => r.CidrIpv4),
};

const INTERFACE_FILTERS: FilterFields<NetworkInterfaceDoc> = {
  'network-interface-id': (d) => d.NetworkInterfaceId,
  'subnet-id': (d) => d.SubnetId,
  'vpc-id': (d) => d.VpcId,
  'availability-zone': (d) => d.AvailabilityZone,
  'description': (d) => d.Description,
  'group-id': (d) => d.Groups.map((g) => g.GroupId),
  'group-name': (d) => d.Groups.map((g) => g.GroupName),
  'interface-type': (d) => d.InterfaceType,
  'mac-address': (d) => d.MacAddress,
  'owner-id': (d) => d.OwnerId,
  'private-ip-address': (d) => d.PrivateIpAddresses.map((a) => a.PrivateIpAddress),
  'addresses.private-ip-address': (d) => d.PrivateIpAddresses.map((a) => a.PrivateIpAddress),
  'private-dns-name': (d) => d.PrivateDnsName,
  'ipv6-addresses.ipv6-address': (d) => d.Ipv6Addresses.map((a) => a.Ipv6Address),
  'requester-id': (d) => d.RequesterId,
  'requester-managed': (d) => d.RequesterManaged,
  'source-dest-check': (d) => d.SourceDestCheck,
  'status': (d) => d.Status,
};

const ENDPOINT_FILTERS: FilterFields<VpcEndpointDoc> = {
  'vpc-endpoint-id': (d) => d.VpcEndpointId,
  'vpc-id': (d) => d.VpcId,
  'service-name': (d) => d.ServiceName,
  'vpc-endpoint-state': (d) => d.State,
  'vpc-endpoint-type': (d) => d.VpcEndpointType,
  'ip-address-type': (d) => d.IpAddressType,
};

async function byIds<D>(ids: string[], find: (id: string) => Promise<D>, all: () => Promise<D[]>): Promise<D[]> {
  if (ids.length === 0) return all();
  const found: D[] = [];
  for (const id of ids) found.push(await find(id));
  return found;
}

function describe<D, I extends DescribeInput>(options: {
  name: string;
  kind: ResourceKind<D>;
  ids: (input: I) => string[] | undefined;
  find: (r: Region, id: string) => Promise<D>;
  fields: FilterFields<D>;
  outputKey: string;
  view: (doc: D, r: Region) => Record<string, unknown>;
  select?: (input: I, r: Region, docs: D[]) => Promise<D[]> | D[];
}): Operation {
  return ec2Operation<I>({
    name: options.name,
    authorize: () => [describeCheck(options.name)],
    async handle(input, r) {
      let docs = await byIds(unique(options.ids(input)), (id) => options.find(r, id), () => listResources(r.tx, r.account, r.region, options.kind));
      if (options.select) docs = await options.select(input, r, docs);
      const matching = applyFilters(docs, input.Filters, options.fields, (d) => options.kind.tagsOf(d));
      const { items, next } = pageAfterKey(matching, (d) => options.kind.idOf(d), { token: input.NextToken, size: maxResults(input.MaxResults) }, PAGING);
      return { [options.outputKey]: items.map((d) => options.view(d, r)), NextToken: next };
    },
  });
}

const describeVpcs = describe<VpcDoc, DescribeInput & { VpcIds?: string[] }>({
  name: 'DescribeVpcs', kind: VPC, ids: (i) => i.VpcIds, find: requireVpc, fields: VPC_FILTERS, outputKey: 'Vpcs', view: vpcView,
});

const describeSubnets = describe<SubnetDoc, DescribeInput & { SubnetIds?: string[] }>({
  name: 'DescribeSubnets', kind: SUBNET, ids: (i) => i.SubnetIds, find: requireSubnet, fields: SUBNET_FILTERS, outputKey: 'Subnets', view: subnetView,
});

const describeSecurityGroups = describe<SecurityGroupDoc, DescribeInput & { GroupIds?: string[]; GroupNames?: string[] }>({
  name: 'DescribeSecurityGroups', kind: SECURITY_GROUP, ids: (i) => i.GroupIds, find: requireGroup, fields: GROUP_FILTERS,
  outputKey: 'SecurityGroups', view: (d, r) => securityGroupView(d, r.region),
  // Group names name groups of the default VPC only, as on EC2.
  select(input, r, docs) {
    const names = unique(input.GroupNames);
    if (names.length === 0) return docs;
    return names.map((name) => {
      const found = docs.find((g) => g.VpcId === r.defaults.vpcId && g.GroupName === name);
      if (!found) throw groupNameNotFound(name, r.defaults.vpcId);
      return found;
    });
  },
});

const describeNetworkInterfaces = describe<NetworkInterfaceDoc, DescribeInput & { NetworkInterfaceIds?: string[] }>({
  name: 'DescribeNetworkInterfaces', kind: NETWORK_INTERFACE, ids: (i) => i.NetworkInterfaceIds, find: requireNetworkInterface,
  fields: INTERFACE_FILTERS, outputKey: 'NetworkInterfaces', view: networkInterfaceView,
});

const describeVpcEndpoints = describe<VpcEndpointDoc, DescribeInput & { VpcEndpointIds?: string[] }>({
  name: 'DescribeVpcEndpoints', kind: VPC_ENDPOINT, ids: (i) => i.VpcEndpointIds, find: requireVpcEndpoint,
  fields: ENDPOINT_FILTERS, outputKey: 'VpcEndpoints', view: vpcEndpointView,
});

interface ZoneView {
  ZoneName: string;
  ZoneId: string;
  RegionName: string;
  State: string;
  OptInStatus: string;
  Messages: never[];
  GroupName: string;
  NetworkBorderGroup: string;
  ZoneType: string;
}

const ZONE_FILTERS: FilterFields<ZoneView> = {
  'zone-name': (z) => z.ZoneName,
  'zone-id': (z) => z.ZoneId,
  'region-name': (z) => z.RegionName,
  'state': (z) => z.State,
  'opt-in-status': (z) => z.OptInStatus,
  'group-name': (z) => z.GroupName,
  'network-border-group': (z) => z.NetworkBorderGroup,
  'zone-type': (z) => z.ZoneType,
};

const describeAvailabilityZones = ec2Operation<DescribeInput & { ZoneNames?: string[]; ZoneIds?: string[] }>({
  name: 'DescribeAvailabilityZones',
  authorize: () => [describeCheck('DescribeAvailabilityZones')],
  async handle(input, r) {
    const zones: ZoneView[] = availabilityZones(r.region).map((z) => ({
      ...z, RegionName: r.region, State: 'available', OptInStatus: 'opt-in-not-required', Messages: [],
      GroupName: r.region, NetworkBorderGroup: r.region, ZoneType: 'availability-zone',
    }));
    let selected = zones;
    const names = unique(input.ZoneNames);
    const ids = unique(input.ZoneIds);
    if (names.length > 0 || ids.length > 0) {
      for (const n of names) if (!zones.some((z) => z.ZoneName === n)) throw invalidZone(n);
      for (const id of ids) if (!zones.some((z) => z.ZoneId === id)) throw invalidZone(id);
      selected = zones.filter((z) => names.includes(z.ZoneName) || ids.includes(z.ZoneId));
    }
    return { AvailabilityZones: applyFilters(selected, input.Filters, ZONE_FILTERS, () => []) };
  },
});

interface TagDescription extends Tag {
  ResourceId: string;
  ResourceType: string;
}

const TAG_FILTERS: FilterFields<TagDescription> = {
  'key': (t) => t.Key,
  'value': (t) => t.Value,
  'resource-id': (t) => t.ResourceId,
  'resource-type': (t) => t.ResourceType,
};

const describeTags = ec2Operation<DescribeInput>({
  name: 'DescribeTags',
  authorize: () => [describeCheck('DescribeTags')],
  async handle(input, r) {
    const all: TagDescription[] = [];
    for (const kind of TAGGABLE) {
      for (const doc of await listResources(r.tx, r.account, r.region, kind)) {
        for (const tag of kind.tagsOf(doc)) all.push({ ResourceId: kind.idOf(doc), ResourceType: kind.type, Key: tag.Key, Value: tag.Value });
      }
    }
    const tagKey = (t: TagDescription) => `${t.ResourceId}\n${t.Key}`;
    all.sort((a, b) => (tagKey(a) < tagKey(b) ? -1 : tagKey(a) > tagKey(b) ? 1 : 0));
    // `tag:<key>` filters here read the described tag itself.
    const matching = applyFilters(all, input.Filters, TAG_FILTERS, (t) => [{ Key: t.Key, Value: t.Value }]);
    const { items, next } = pageAfterKey(matching, tagKey, { token: input.NextToken, size: maxResults(input.MaxResults) }, PAGING);
    return { Tags: items, NextToken: next };
  },
});

export const describeOperations: Operation[] = [
  describeVpcs, describeSubnets, describeSecurityGroups, describeNetworkInterfaces, describeVpcEndpoints,
  describeAvailabilityZones, describeTags,
];

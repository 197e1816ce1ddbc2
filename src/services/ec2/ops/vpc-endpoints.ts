// VPC endpoints: Interface endpoints put one requester-managed network interface in each of their
// subnets; Gateway endpoints (S3, DynamoDB) attach to route tables, which iamd does not model, so they
// take none. Authorization: CreateVpcEndpoint on the new `vpc-endpoint/*` (request tags,
// `ec2:VpceServiceName`), on the VPC, each subnet and each security group; `ec2:CreateTags` with
// `ec2:CreateAction` for tags given at creation.

import { createHash, randomBytes } from 'node:crypto';
import type { AuthzCheck, Operation } from '../../../common/call.ts';
import { ApiError } from '../../../common/errors.ts';
import { ec2Arn } from '../arn.ts';
import { onNewResource, onSecurityGroup, onSubnet, onVpc, onVpcEndpoint, tagOnCreate } from '../authz.ts';
import { invalidParameterValue, invalidServiceName, missingParameter, routeTableNotFound, vpcEndpointNotFound } from '../errors.ts';
import { newResourceId } from '../ids.ts';
import { deleteResource, getResource, insertResource, NETWORK_INTERFACE, VPC_ENDPOINT, type SecurityGroupDoc, type SubnetDoc, type VpcDoc, type VpcEndpointDoc } from '../model.ts';
import { ec2Operation } from '../operation.ts';
import { findVpcEndpoint, requireGroup, requireSubnet, requireVpc, unique, type Region } from '../region.ts';
import { tagsForCreate, type TagSpecification } from '../tags.ts';
import { vpcEndpointView } from '../views.ts';
import { createInterface, deleteInterface } from './network-interfaces.ts';

/** The endpoint policy EC2 gives an endpoint created without one: full access. */
const FULL_ACCESS_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

const invalidParameter = (message: string) => new ApiError('InvalidParameter', message, 400);

interface CreateInput {
  DryRun?: boolean;
  VpcEndpointType?: string;
  VpcId: string;
  ServiceName?: string;
  PolicyDocument?: string;
  RouteTableIds?: string[];
  SubnetIds?: string[];
  SecurityGroupIds?: string[];
  IpAddressType?: string;
  PrivateDnsEnabled?: boolean;
  TagSpecifications?: TagSpecification[];
  ClientToken?: string;
}

interface Plan {
  type: 'Interface' | 'Gateway';
  vpc: VpcDoc;
  serviceName: string;
  subnets: SubnetDoc[];
  groups: SecurityGroupDoc[];
  tags: ReturnType<typeof tagsForCreate>;
}

/** Everything a CreateVpcEndpoint request refers to, checked the way EC2 checks it. */
async function plan(r: Region, input: CreateInput): Promise<Plan> {
  const type = input.VpcEndpointType ?? 'Gateway';
  if (type !== 'Interface' && type !== 'Gateway') {
    throw invalidParameterValue(`iamd does not support VPC endpoints of type ${type}.`);
  }
  const vpc = await requireVpc(r, input.VpcId);
  if (input.ServiceName === undefined) throw missingParameter('ServiceName');
  if (!/^com\.amazonaws\.[a-z0-9.-]+$/.test(input.ServiceName)) throw invalidServiceName(input.ServiceName);
  const subnetIds = unique(input.SubnetIds);
  const groupIds = unique(input.SecurityGroupIds);
  const routeTables = unique(input.RouteTableIds);
  if (type === 'Gateway') {
    if (subnetIds.length > 0) throw invalidParameter('Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.');
    if (groupIds.length > 0) throw invalidParameter('Security group IDs are only supported for Interface type VPC Endpoints.');
  } else if (routeTables.length > 0) {
    throw invalidParameter('Route table IDs are only supported for Gateway type VPC Endpoints.');
  }
  // iamd has no route tables, so any id given names one that does not exist.
  if (routeTables.length > 0) throw routeTableNotFound(routeTables[0]);
  const subnets: SubnetDoc[] = [];
  for (const id of subnetIds) {
    const subnet = await requireSubnet(r, id);
    if (subnet.VpcId !== vpc.VpcId) throw invalidParameter(`The subnet ID '${id}' does not belong to VPC '${vpc.VpcId}'.`);
    if (subnets.some((s) => s.AvailabilityZone === subnet.AvailabilityZone)) {
      throw invalidParameter(`Found another VPC endpoint subnet in the availability zone of ${id}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`);
    }
    subnets.push(subnet);
  }
  const groups: SecurityGroupDoc[] = [];
  if (type === 'Interface') {
    for (const id of groupIds.length > 0 ? groupIds : [r.defaults.securityGroupId]) {
      const group = await requireGroup(r, id);
      if (group.VpcId !== vpc.VpcId) throw invalidParameter(`The security group '${id}' does not belong to VPC '${vpc.VpcId}'.`);
      groups.push(group);
    }
  }
  return { type, vpc, serviceName: input.ServiceName, subnets, groups, tags: tagsForCreate(input.TagSpecifications, 'vpc-endpoint') };
}

function dnsEntries(r: Region, id: string, serviceName: string, subnets: SubnetDoc[]): VpcEndpointDoc['DnsEntries'] {
  const service = serviceName.split('.').filter((part) => part !== 'com' && part !== 'amazonaws' && part !== r.region).join('.');
  const suffix = randomBytes(4).toString('hex');
  const zone = `Z${createHash('sha256').update(`${r.region}/vpce`).digest('hex').slice(0, 12).toUpperCase()}`;
  const base = `${id}-${suffix}.${service}.${r.region}.vpce.amazonaws.com`;
  return [
    { DnsName: base, HostedZoneId: zone },
    ...subnets.map((s) => ({ DnsName: `${id}-${suffix}-${s.AvailabilityZone}.${service}.${r.region}.vpce.amazonaws.com`, HostedZoneId: zone })),
  ];
}

const createVpcEndpoint = ec2Operation<CreateInput>({
  name: 'CreateVpcEndpoint',
  async authorize(input, r) {
    const p = await plan(r, input);
    const checks: AuthzCheck[] = [
      onNewResource(r, 'CreateVpcEndpoint', 'vpc-endpoint', p.tags, {
        'ec2:VpceServiceName': p.serviceName,
        'ec2:VpceServiceOwner': 'amazon',
        'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', p.vpc.VpcId),
      }),
      onVpc(r, 'CreateVpcEndpoint', p.vpc),
      ...p.subnets.map((s) => onSubnet(r, 'CreateVpcEndpoint', s)),
      ...p.groups.map((g) => onSecurityGroup(r, 'CreateVpcEndpoint', g)),
      ...tagOnCreate(r, 'CreateVpcEndpoint', 'vpc-endpoint', p.tags),
    ];
    return checks;
  },
  async handle(input, r, ctx) {
    const p = await plan(r, input);
    const id = newResourceId('vpce');
    const interfaces: string[] = [];
    for (const subnet of p.subnets) {
      const eni = await createInterface(r, ctx, {
        subnet, groups: p.groups, description: `VPC Endpoint Interface ${id}`, interfaceType: 'vpc_endpoint', tags: [], ownedBy: id,
      });
      interfaces.push(eni.NetworkInterfaceId);
    }
    const endpoint: VpcEndpointDoc = {
      VpcEndpointId: id,
      VpcEndpointType: p.type,
      VpcId: p.vpc.VpcId,
      ServiceName: p.serviceName,
      State: 'available',
      PolicyDocument: input.PolicyDocument ?? FULL_ACCESS_POLICY,
      RouteTableIds: [],
      SubnetIds: p.subnets.map((s) => s.SubnetId),
      Groups: p.groups.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName })),
      IpAddressType: input.IpAddressType ?? 'ipv4',
      PrivateDnsEnabled: p.type === 'Interface' ? (input.PrivateDnsEnabled ?? true) : false,
      RequesterManaged: false,
      NetworkInterfaceIds: interfaces,
      DnsEntries: p.type === 'Interface' ? dnsEntries(r, id, p.serviceName, p.subnets) : [],
      CreationTimestamp: ctx.now.toISOString(),
      Tags: p.tags,
      OwnerId: r.account,
    };
    await insertResource(r.tx, r.account, r.region, VPC_ENDPOINT, endpoint);
    return { VpcEndpoint: vpcEndpointView(endpoint), ClientToken: input.ClientToken };
  },
});

const deleteVpcEndpoints = ec2Operation<{ DryRun?: boolean; VpcEndpointIds: string[] }>({
  name: 'DeleteVpcEndpoints',
  async authorize(input, r) {
    const checks: AuthzCheck[] = [];
    for (const id of unique(input.VpcEndpointIds)) {
      const endpoint = await findVpcEndpoint(r, id);
      if (endpoint) checks.push(onVpcEndpoint(r, 'DeleteVpcEndpoints', endpoint));
    }
    return checks;
  },
  // A bulk call: ids that do not exist are reported in `Unsuccessful`, the others deleted.
  async handle(input, r) {
    const unsuccessful: { ResourceId: string; Error: { Code: string; Message: string } }[] = [];
    for (const id of unique(input.VpcEndpointIds)) {
      const endpoint = await findVpcEndpoint(r, id);
      if (!endpoint) {
        const error = vpcEndpointNotFound(id);
        unsuccessful.push({ ResourceId: id, Error: { Code: error.code, Message: error.message } });
        continue;
      }
      for (const eniId of endpoint.NetworkInterfaceIds) {
        const eni = await getResource(r.tx, r.account, r.region, NETWORK_INTERFACE, eniId);
        if (eni) await deleteInterface(r, eni);
      }
      await deleteResource(r.tx, r.account, r.region, VPC_ENDPOINT, id);
    }
    return { Unsuccessful: unsuccessful };
  },
});

export const vpcEndpointOperations: Operation[] = [createVpcEndpoint, deleteVpcEndpoints];

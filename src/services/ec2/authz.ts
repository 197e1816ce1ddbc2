// How EC2 authorizes (Service Authorization Reference, "Actions defined by Amazon EC2"): a create
// action is checked on the new resource (`TYPE/*`, with the request's tags) and on every existing
// resource it uses (subnet, security groups, VPC, with their tags); tagging on create is a second
// action, `ec2:CreateTags`, with `ec2:CreateAction` naming the create call; an action on an existing
// resource carries that resource's tags as `ec2:ResourceTag/…` and `aws:ResourceTag/…`.

import type { AuthzCheck } from '../../common/call.ts';
import type { ContextValues } from '../../policy/types.ts';
import { ec2Arn, type Ec2ResourceType } from './arn.ts';
import type { NetworkInterfaceDoc, SecurityGroupDoc, SubnetDoc, Tag, VpcDoc, VpcEndpointDoc } from './model.ts';
import type { Region } from './region.ts';
import { requestTagContext, resourceTagContext } from './tags.ts';

const action = (name: string) => `ec2:${name}`;

function regionKeys(r: Region): ContextValues {
  return { 'ec2:Region': r.region };
}

/** The action on the resource it is about to create (`TYPE/*`). */
export function onNewResource(r: Region, name: string, type: Ec2ResourceType, tags: readonly Tag[], context: ContextValues = {}): AuthzCheck {
  return { action: action(name), resource: ec2Arn(r.region, r.account, type), context: { ...regionKeys(r), ...requestTagContext(tags), ...context } };
}

/** `ec2:CreateTags` for tags given at creation; nothing when there are none. */
export function tagOnCreate(r: Region, createAction: string, type: Ec2ResourceType, tags: readonly Tag[]): AuthzCheck[] {
  if (tags.length === 0) return [];
  return [{
    action: action('CreateTags'),
    resource: ec2Arn(r.region, r.account, type),
    context: { ...regionKeys(r), ...requestTagContext(tags), 'ec2:CreateAction': createAction },
  }];
}

export function onVpc(r: Region, name: string, vpc: VpcDoc): AuthzCheck {
  const arn = ec2Arn(r.region, r.account, 'vpc', vpc.VpcId);
  return { action: action(name), resource: arn, context: { ...regionKeys(r), ...resourceTagContext(vpc.Tags), 'ec2:VpcID': vpc.VpcId } };
}

export function onSubnet(r: Region, name: string, subnet: SubnetDoc): AuthzCheck {
  return {
    action: action(name),
    resource: subnet.SubnetArn,
    context: {
      ...regionKeys(r),
      ...resourceTagContext(subnet.Tags),
      'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', subnet.VpcId),
      'ec2:AvailabilityZone': subnet.AvailabilityZone,
      'ec2:SubnetID': subnet.SubnetId,
    },
  };
}

export function onSecurityGroup(r: Region, name: string, group: SecurityGroupDoc): AuthzCheck {
  return {
    action: action(name),
    resource: ec2Arn(r.region, r.account, 'security-group', group.GroupId),
    context: {
      ...regionKeys(r),
      ...resourceTagContext(group.Tags),
      'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', group.VpcId),
      'ec2:SecurityGroupID': group.GroupId,
    },
  };
}

export function onNetworkInterface(r: Region, name: string, eni: NetworkInterfaceDoc, extra: ContextValues = {}): AuthzCheck {
  return {
    action: action(name),
    resource: ec2Arn(r.region, r.account, 'network-interface', eni.NetworkInterfaceId),
    context: {
      ...regionKeys(r),
      ...resourceTagContext(eni.TagSet),
      'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', eni.VpcId),
      'ec2:Subnet': ec2Arn(r.region, r.account, 'subnet', eni.SubnetId),
      'ec2:AvailabilityZone': eni.AvailabilityZone,
      'ec2:NetworkInterfaceID': eni.NetworkInterfaceId,
      ...extra,
    },
  };
}

export function onVpcEndpoint(r: Region, name: string, endpoint: VpcEndpointDoc): AuthzCheck {
  return {
    action: action(name),
    resource: ec2Arn(r.region, r.account, 'vpc-endpoint', endpoint.VpcEndpointId),
    context: {
      ...regionKeys(r),
      ...resourceTagContext(endpoint.Tags),
      'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', endpoint.VpcId),
      'ec2:VpceServiceName': endpoint.ServiceName,
      'ec2:VpceServiceOwner': 'amazon',
    },
  };
}

/** Tagging an existing resource (CreateTags/DeleteTags): its ARN and current tags. */
export function onTaggedResource(r: Region, name: string, type: Ec2ResourceType, id: string, current: readonly Tag[], context: ContextValues): AuthzCheck {
  return { action: action(name), resource: ec2Arn(r.region, r.account, type, id), context: { ...regionKeys(r), ...resourceTagContext(current), ...context } };
}

/** Describe* actions support no resource-level permissions. */
export function describeCheck(name: string): AuthzCheck {
  return { action: action(name), resource: '*' };
}

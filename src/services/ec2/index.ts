// A minimal EC2 for the linked services to act on: the default network of every (account, region),
// network interfaces, security groups, VPC endpoints and tags — served on the ec2Query protocol and
// authorized as EC2 authorizes, with denials as UnauthorizedOperation.
//
import type { ServiceDescriptor } from '../descriptor.ts';
import { describeOperations } from './ops/describe.ts';
import { networkInterfaceOperations } from './ops/network-interfaces.ts';
import { securityGroupOperations } from './ops/security-groups.ts';
import { tagOperations } from './ops/tags.ts';
import { vpcEndpointOperations } from './ops/vpc-endpoints.ts';

import { unauthorizedOperation } from './unauthorized.ts';

export const service: ServiceDescriptor = {
  name: 'ec2',
  wire: {
    source: {
      file: 'ec2-2016-11-15',
      operations: [
        'DescribeVpcs', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeNetworkInterfaces',
        'DescribeVpcEndpoints', 'DescribeAvailabilityZones', 'DescribeTags', 'CreateNetworkInterface',
        'DeleteNetworkInterface', 'ModifyNetworkInterfaceAttribute', 'AssignIpv6Addresses',
        'UnassignIpv6Addresses', 'CreateTags', 'DeleteTags', 'CreateVpcEndpoint', 'DeleteVpcEndpoints',
        'CreateSecurityGroup', 'DeleteSecurityGroup', 'AuthorizeSecurityGroupIngress',
        'RevokeSecurityGroupIngress',
      ],
    },
    protocol: 'ec2',
    validation: { code: 'InvalidParameterValue', quoteValue: true, listEnumValues: true, ec2: true },
    auditTitle: 'EC2',
  },
  operations: () => [...describeOperations, ...networkInterfaceOperations, ...securityGroupOperations, ...vpcEndpointOperations, ...tagOperations],
  accessDenied: unauthorizedOperation,
};

export { unauthorizedOperation } from './unauthorized.ts';
export { ec2Arn, partitionOf, type Ec2ResourceType } from './arn.ts';
export { ensureDefaults, DEFAULT_VPC_CIDR } from './defaults.ts';
export { availabilityZones } from './zones.ts';

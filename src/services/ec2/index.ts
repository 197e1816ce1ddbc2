// A minimal EC2 for the linked services to act on: the default network of every (account, region),
// network interfaces, security groups, VPC endpoints and tags — served on the ec2Query protocol and
// authorized as EC2 authorizes, with denials as UnauthorizedOperation.
//
//   dispatcher.register(ec2Operations(), { accessDenied: unauthorizedOperation });

import type { Operation } from '../../common/call.ts';
import { describeOperations } from './ops/describe.ts';
import { networkInterfaceOperations } from './ops/network-interfaces.ts';
import { securityGroupOperations } from './ops/security-groups.ts';
import { tagOperations } from './ops/tags.ts';
import { vpcEndpointOperations } from './ops/vpc-endpoints.ts';

/** Nothing to configure yet; the parameter keeps the shape every service's factory has. */
export type Ec2Deps = Record<string, never>;

export function ec2Operations(_deps: Ec2Deps = {}): Operation[] {
  return [
    ...describeOperations,
    ...networkInterfaceOperations,
    ...securityGroupOperations,
    ...vpcEndpointOperations,
    ...tagOperations,
  ];
}

export { unauthorizedOperation, decodeAuthorizationFailure, type AuthorizationFailure } from './unauthorized.ts';
export { ec2Arn, partitionOf, type Ec2ResourceType } from './arn.ts';
export { ensureDefaults, DEFAULT_VPC_CIDR } from './defaults.ts';
export { availabilityZones } from './zones.ts';

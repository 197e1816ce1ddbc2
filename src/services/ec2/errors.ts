// EC2's errors: dotted codes with no model behind them (ec2-protocol.md § 3), worded as EC2 words
// them. Texts come from real EC2 answers quoted in public issues and SDK test fixtures.

import { ApiError } from '../../common/errors.ts';

const bad = (code: string, message: string) => new ApiError(code, message, 400);

export const subnetNotFound = (id: string) => bad('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
export const vpcNotFound = (id: string) => bad('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
export const networkInterfaceNotFound = (id: string) =>
  bad('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
export const networkInterfaceMalformed = (id: string) =>
  bad('InvalidNetworkInterfaceId.Malformed', `Invalid id: "${id}" (expecting "eni-...")`);
export const groupNotFound = (id: string) => bad('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
export const groupNameNotFound = (name: string, defaultVpcId: string) =>
  bad('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpcId}'`);
export const groupIdMalformed = (id: string) => bad('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
export const groupDuplicate = (name: string, vpcId: string) =>
  bad('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
export const vpcEndpointNotFound = (id: string) => bad('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);
export const routeTableNotFound = (id: string) => bad('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
export const invalidId = (id: string) => bad('InvalidID', `The ID '${id}' is not valid`);
export const invalidParameterValue = (message: string) => bad('InvalidParameterValue', message);
export const invalidParameterCombination = (message: string) => bad('InvalidParameterCombination', message);
export const missingParameter = (name: string) => bad('MissingParameter', `The request must contain the parameter ${name}`);
export const invalidFilter = (name: string) => bad('InvalidParameterValue', `The filter '${name}' is invalid`);
export const dependencyViolation = (id: string) => bad('DependencyViolation', `resource ${id} has a dependent object`);
export const cannotDeleteDefaultGroup = (id: string) =>
  bad('CannotDelete', `the specified group: "${id}" name: "default" cannot be deleted by a user`);
export const interfaceInUse = (id: string) => bad('InvalidParameterValue', `Network interface '${id}' is currently in use.`);
export const permissionDuplicate = (rule: string) => bad('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);
export const permissionNotFound = () =>
  bad('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
export const ruleIdNotFound = (id: string) =>
  bad('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
export const invalidServiceName = (name: string) => bad('InvalidServiceName', `The Vpc Endpoint Service '${name}' does not exist`);
export const invalidZone = (name: string) => bad('InvalidParameterValue', `Invalid availability zone: [${name}]`);
export const invalidNextToken = (token: string) => bad('InvalidNextToken', `The token '${token}' is invalid.`);

/** A request with `DryRun=true` whose authorization passed. */
export const dryRunOperation = () =>
  new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);

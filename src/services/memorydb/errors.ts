// MemoryDB's refusals. Codes and statuses come from the model (modelError); the texts are iamd's —
// AWS's are not recorded for these — in the short style MemoryDB uses ("Cluster c9 not found").

import { ApiError } from '../../common/errors.ts';
import { modelError } from '../../protocol/index.ts';

const fault = (shape: string, message: string): ApiError => modelError('memorydb', shape, message);

export const clusterNotFound = (name: string) => fault('ClusterNotFoundFault', `Cluster ${name} not found`);
export const clusterExists = (name: string) => fault('ClusterAlreadyExistsFault', `Cluster ${name} already exists`);
export const invalidClusterState = (name: string, status: string) =>
  fault('InvalidClusterStateFault', `Cluster ${name} is not in available state (it is ${status})`);
export const snapshotNotFound = (name: string) => fault('SnapshotNotFoundFault', `Snapshot ${name} not found`);
export const snapshotExists = (name: string) => fault('SnapshotAlreadyExistsFault', `Snapshot ${name} already exists`);
export const invalidSnapshotState = (name: string, status: string) =>
  fault('InvalidSnapshotStateFault', `Snapshot ${name} is not in available state (it is ${status})`);
export const subnetGroupNotFound = (name: string) => fault('SubnetGroupNotFoundFault', `Subnet group ${name} not found`);
export const subnetGroupExists = (name: string) => fault('SubnetGroupAlreadyExistsFault', `Subnet group ${name} already exists`);
export const subnetGroupInUse = (name: string) => fault('SubnetGroupInUseFault', `Subnet group ${name} is in use by one or more clusters`);
export const invalidSubnet = (id: string) => fault('InvalidSubnet', `Subnet ${id} does not exist`);
export const aclNotFound = (name: string) => fault('ACLNotFoundFault', `ACL ${name} not found`);
export const parameterGroupNotFound = (name: string) => fault('ParameterGroupNotFoundFault', `Parameter group ${name} not found`);
export const invalidArn = (arn: string) => fault('InvalidARNFault', `Invalid ARN: ${arn}`);
export const tagQuota = () => fault('TagQuotaPerResourceExceeded', 'A resource can have at most 50 tags');
export const tagNotFound = (key: string) => fault('TagNotFoundFault', `Tag ${key} not found`);
export const noOperation = () => fault('NoOperationFault', 'No modifications were requested');
export const invalidParameterValue = (message: string) => fault('InvalidParameterValueException', message);
export const invalidParameterCombination = (message: string) => fault('InvalidParameterCombinationException', message);
export const invalidNextToken = () => invalidParameterValue('Invalid NextToken.');

/**
 * MemoryDB answers a denial — its caller's, or IAM's when the caller may not create the service's
 * role — as AccessDeniedException with HTTP 400 (the common error of AWS's JSON APIs), IAM's text kept.
 */
export function accessDenied(denial: ApiError): ApiError {
  return new ApiError('AccessDeniedException', denial.message, 400);
}

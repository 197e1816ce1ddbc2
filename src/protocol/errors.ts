// Errors the protocol layer itself answers with, before any operation runs: an action the service
// does not have, a body that does not parse, a body that is too large. Messages are AWS's where
// they are known (see the report in the module's commit history for which ones are not recorded).

import { ApiError } from '../common/errors.ts';
import { serviceModel, type ServiceName } from './model.ts';

/**
 * awsQuery services (IAM, STS, ElastiCache, CloudWatch): an unknown Action, or a Version the service
 * does not have. AWS prints `NO_VERSION_SPECIFIED` when Version is absent and the raw (possibly empty)
 * value otherwise.
 */
export const invalidQueryAction = (action: string, version: string | undefined): ApiError =>
  new ApiError('InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, 400);

/** EC2's wording for an unknown Action. */
export const invalidEc2Action = (action: string): ApiError =>
  new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);

export const missingAction = (): ApiError =>
  new ApiError('MissingAction', 'The request must contain the parameter Action.', 400);

/** awsJson: an X-Amz-Target that names no operation of the service. */
export const unknownOperation = (): ApiError => new ApiError('UnknownOperationException', 'Unknown operation', 400);

/** restJson1: no operation has this method + path. */
export const noRoute = (method: string, path: string): ApiError =>
  new ApiError('UnknownOperationException', `No operation matches ${method} ${path}`, 404);

/** A JSON body (or a value in it) that cannot be read as the operation's input. */
export const serializationError = (detail: string): ApiError => new ApiError('SerializationException', detail, 400);

/** Request bodies larger than this are refused before they are read in full. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export const bodyTooLarge = (limit: number = MAX_BODY_BYTES): ApiError =>
  new ApiError('RequestEntityTooLarge', `Request body must be at most ${limit} bytes.`, 413);

/**
 * The ApiError a service should throw for one of its modeled errors, by shape name (or wire code):
 * `modelError('elasticache', 'CacheClusterNotFoundFault', '…')` → Code `CacheClusterNotFound`, 404.
 * Keeps codes and statuses in one place, the model.
 */
export function modelError(service: ServiceName, shapeOrCode: string, message: string): ApiError {
  const model = serviceModel(service);
  const shape = model.errorsByShape.get(shapeOrCode) ?? model.errorsByCode.get(shapeOrCode);
  if (!shape?.error) throw new Error(`${service} has no modeled error ${shapeOrCode}`);
  return new ApiError(shape.error.code, message, shape.error.status, shape.error.fault);
}

// Errors the protocol layer itself answers with, before any operation runs: an action the service
// does not have, a body that does not parse, a body that is too large. Messages are AWS's where
// they are known (see the report in the module's commit history for which ones are not recorded).

import { ApiError } from '../common/errors.ts';
import { serviceModel, type ServiceName } from './model.ts';
// The target's shape, not services.ts's type: services.ts routes by rest.ts, which reports with these errors.
import type { WireProtocol } from './wire.ts';

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
 * A request over the caller's rate, in the words of the service it was meant for, each a code the AWS
 * SDKs' standard retry treats as throttling (so they back off and try again): the Query services'
 * `Throttling` (CloudWatch's JSON carries that Query code too), EC2's `RequestLimitExceeded` (503, as
 * botocore's EC2 retry rule expects it), the JSON services' `ThrottlingException` (modeled by Logs and
 * CloudTrail; MemoryDB's and MQ's wording is not recorded, so they get the same).
 */
export function throttled(target: { service: ServiceName; protocol: WireProtocol }): ApiError {
  switch (target.protocol) {
    case 'query':
      return new ApiError('Throttling', 'Rate exceeded', 400);
    case 'ec2':
      return new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 'json':
      return serviceModel(target.service).metadata.awsQueryCompatible
        ? new ApiError('Throttling', 'Rate exceeded', 400)
        : new ApiError('ThrottlingException', 'Rate exceeded', 400);
    case 'rest-json':
      return new ApiError('ThrottlingException', 'Rate exceeded', 400);
  }
}

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

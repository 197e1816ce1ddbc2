// CloudWatch Logs' errors (awsJson 1.1: the shape name is the code), worded as Logs words them.

import { ApiError } from '../../common/errors.ts';

export const groupExists = () => new ApiError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
export const streamExists = () => new ApiError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
export const groupNotFound = () => new ApiError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
export const streamNotFound = () => new ApiError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
export const invalidParameter = (message: string) => new ApiError('InvalidParameterException', message, 400);

/** Logs answers a denial as AccessDeniedException, with HTTP 400 like its other client errors. */
export function logsAccessDenied(denial: ApiError): ApiError {
  return new ApiError('AccessDeniedException', denial.message, 400);
}

// Access Analyzer's errors (restJson1): the shape name is the code (`x-amzn-ErrorType`), the status
// the model's; `ValidationException` carries a `reason`, the not-found and conflict errors name the
// resource (`resourceId`, `resourceType`) beside the message.

import { ApiError } from '../../common/errors.ts';
import { modelError } from '../../protocol/errors.ts';

function withMembers(shape: string, message: string, members: Record<string, string>): ApiError {
  const base = modelError('accessanalyzer', shape, message);
  return new ApiError(base.code, message, base.status, base.fault, members);
}

/**
 * The model's reasons; AWS's recorded answers show the wire value spelled in capitals
 * (`FIELD_VALIDATION_FAILED`) where one is known, and that spelling is kept there.
 */
export type ValidationReason = 'unknownOperation' | 'cannotParse' | 'fieldValidationFailed' | 'other' | 'notSupported' | 'FIELD_VALIDATION_FAILED';

export const validation = (message: string, reason: ValidationReason = 'other'): ApiError => withMembers('ValidationException', message, { reason });

export const notFound = (resourceType: string, resourceId: string, message: string): ApiError =>
  withMembers('ResourceNotFoundException', message, { resourceId, resourceType });

export const conflict = (resourceType: string, resourceId: string, message: string): ApiError =>
  withMembers('ConflictException', message, { resourceId, resourceType });

export const quotaExceeded = (resourceType: string, resourceId: string, message: string): ApiError =>
  withMembers('ServiceQuotaExceededException', message, { resourceId, resourceType });

export const invalidParameter = (message: string): ApiError => modelError('accessanalyzer', 'InvalidParameterException', message);

/** Access Analyzer answers a denial as AccessDeniedException (403), keeping IAM's message. */
export function accessDenied(denial: ApiError): ApiError {
  return modelError('accessanalyzer', 'AccessDeniedException', denial.message);
}

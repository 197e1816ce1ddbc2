// CloudTrail's LookupEvents errors. The codes and statuses are the model's; AWS's message texts for
// these are not recorded in the reference data, so they are written to say exactly what is wrong.

import { ApiError } from '../../common/errors.ts';
import { modelError } from '../../protocol/errors.ts';

export const invalidLookupAttributes = (message: string): ApiError =>
  modelError('cloudtrail', 'InvalidLookupAttributesException', message);

export const tooManyLookupAttributes = (): ApiError =>
  invalidLookupAttributes('LookupAttributes can contain only one lookup attribute.');

export const invalidTimeRange = (): ApiError =>
  modelError('cloudtrail', 'InvalidTimeRangeException', 'StartTime must not be later than EndTime.');

export const invalidNextToken = (): ApiError =>
  modelError('cloudtrail', 'InvalidNextTokenException', 'The NextToken is not valid, or was issued for a request with different parameters.');

/**
 * CloudTrail's denials: `AccessDeniedException` (400, the model's status for an error without a
 * trait) and no resource named — `User: ARN is not authorized to perform: cloudtrail:LookupEvents
 * because no identity-based policy allows the cloudtrail:LookupEvents action`, as AWS answers.
 */
export function cloudTrailAccessDenied(denial: ApiError): ApiError {
  return modelError('cloudtrail', 'AccessDeniedException', denial.message.replace(' on resource: * ', ' '));
}

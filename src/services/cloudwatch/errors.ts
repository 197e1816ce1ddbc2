// CloudWatch's errors, by their Query codes (the JSON protocol sends the shape in `__type` and this
// code in `x-amzn-query-error`; the protocol layer maps one to the other).

import { ApiError } from '../../common/errors.ts';

export const invalidParameterValue = (message: string) => new ApiError('InvalidParameterValue', message, 400);
export const invalidParameterCombination = (message: string) => new ApiError('InvalidParameterCombination', message, 400);
export const missingParameter = (message: string) => new ApiError('MissingParameter', message, 400);
export const invalidNextToken = () => new ApiError('InvalidNextToken', 'The service cannot process the NextToken.', 400);

/** CloudWatch's actions take no resource, and its denials name none. */
export function cloudWatchAccessDenied(denial: ApiError): ApiError {
  return new ApiError('AccessDenied', denial.message.replace(' on resource: * ', ' '), 403);
}

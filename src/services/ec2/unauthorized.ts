// EC2 words an authorization failure as UnauthorizedOperation (HTTP 403): a fixed sentence, the
// usual "User: … is not authorized to perform: …" explanation, and an encoded authorization failure
// message that `sts decode-authorization-message` expands (src/authz/authorization-message.ts).

import { ApiError } from '../../common/errors.ts';
import { encodeAuthorizationFailure, parseDenial } from '../../authz/authorization-message.ts';

/** Describe* actions authorize on `*`, which EC2 leaves out of the sentence. */
function withoutWildcardResource(message: string): string {
  return message.replace(' on resource: * ', ' ');
}

/** The dispatcher's `accessDenied` mapper for EC2. */
export function unauthorizedOperation(denial: ApiError): ApiError {
  const explanation = withoutWildcardResource(denial.message);
  const failure = parseDenial(denial.message);
  const encoded = failure ? ` Encoded authorization failure message: ${encodeAuthorizationFailure(failure)}` : '';
  return new ApiError('UnauthorizedOperation', `You are not authorized to perform this operation. ${explanation}.${encoded}`, 403);
}

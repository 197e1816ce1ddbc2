// EC2 words an authorization failure as UnauthorizedOperation (HTTP 403): a fixed sentence, the
// usual "User: … is not authorized to perform: …" explanation, and an encoded authorization failure
// message that `sts decode-authorization-message` would expand. AWS encrypts that message; iamd
// encodes the same facts (who, what, on which resource, why) as base64url JSON, so it stays opaque
// to SDKs and readable to anyone who wants it.

import { ApiError } from '../../common/errors.ts';

const DENIAL = /^User: (\S+) is not authorized to perform: (\S+)(?: on resource: (\S+))?(?: because | with )?(.*)$/;

export interface AuthorizationFailure {
  allowed: false;
  explicitDeny: boolean;
  principal: string;
  action: string;
  resource: string;
  reason: string;
}

/** Reads the authorizer's AccessDenied text back into its parts (undefined for any other text). */
export function parseDenial(message: string): AuthorizationFailure | undefined {
  const m = DENIAL.exec(message);
  if (!m) return undefined;
  const [, principal, action, resource = '*', reason] = m;
  return { allowed: false, explicitDeny: reason.includes('explicit deny'), principal, action, resource, reason };
}

export function encodeAuthorizationFailure(failure: AuthorizationFailure): string {
  return Buffer.from(JSON.stringify(failure)).toString('base64url');
}

export function decodeAuthorizationFailure(encoded: string): AuthorizationFailure | undefined {
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as AuthorizationFailure;
    return value && value.allowed === false ? value : undefined;
  } catch {
    return undefined;
  }
}

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

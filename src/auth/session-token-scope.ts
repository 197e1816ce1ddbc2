// What GetSessionToken's and GetFederationToken's credentials may call. AWS's API reference: a
// GetSessionToken session without MFA authentication information cannot call any IAM operation, and
// of STS only AssumeRole and GetCallerIdentity; a federated user cannot call IAM at all, and of STS
// only GetCallerIdentity. Without these rules a user's session token would act as the user on IAM — a
// way around the MFA that such policies are written to demand. A session proved with MFA may call IAM.

import type { Caller } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { MESSAGES } from './errors.ts';

const STS_CALLS_ALLOWED = new Set(['AssumeRole', 'GetCallerIdentity']);
const FEDERATED_STS_CALLS_ALLOWED = new Set(['GetCallerIdentity']);

/** Throws the answer AWS gives when `caller`'s credentials may not call `service:operation`. */
export function assertSessionTokenScope(caller: Caller, service: string, operation: string): void {
  if (caller.federation !== undefined) {
    if (service === 'iam') throw new ApiError('InvalidClientTokenId', MESSAGES.invalidToken, 403);
    if (service === 'sts' && !FEDERATED_STS_CALLS_ALLOWED.has(operation)) {
      throw new ApiError('AccessDenied', `Cannot call ${operation} with session credentials`, 403);
    }
    return;
  }
  if (caller.sessionToken === undefined) return;
  // IAM does not accept the token at all, as it does not accept one it never issued.
  if (service === 'iam' && caller.mfaAuthenticatedAt === undefined) throw new ApiError('InvalidClientTokenId', MESSAGES.invalidToken, 403);
  if (service === 'sts' && !STS_CALLS_ALLOWED.has(operation)) {
    throw new ApiError('AccessDenied', `Cannot call ${operation} with session credentials`, 403);
  }
}

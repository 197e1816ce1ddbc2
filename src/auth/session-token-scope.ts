// What GetSessionToken's credentials may call. AWS's API reference: without MFA authentication
// information they cannot call any IAM operation, and of STS only AssumeRole and GetCallerIdentity.
// Without this rule a user's session token would act as the user on IAM — a way around the MFA that
// such policies are written to demand. A session authenticated with an MFA code may call IAM.

import type { Caller } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { MESSAGES } from './errors.ts';

const STS_CALLS_ALLOWED = new Set(['AssumeRole', 'GetCallerIdentity']);

/** Throws the answer AWS gives when `caller`'s credentials may not call `service:operation`. */
export function assertSessionTokenScope(caller: Caller, service: string, operation: string): void {
  if (caller.sessionToken === undefined) return;
  // IAM does not accept the token at all, as it does not accept one it never issued.
  if (service === 'iam' && caller.mfaAuthenticatedAt === undefined) throw new ApiError('InvalidClientTokenId', MESSAGES.invalidToken, 403);
  if (service === 'sts' && !STS_CALLS_ALLOWED.has(operation)) {
    throw new ApiError('AccessDenied', `Cannot call ${operation} with session credentials`, 403);
  }
}

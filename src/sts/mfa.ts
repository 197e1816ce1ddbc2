// MFA on STS's calls: GetSessionToken and AssumeRole take `SerialNumber` + `TokenCode`, and a good
// code makes the new session an MFA session (aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge from
// now on). A bad one is refused with AWS's texts, whatever the policies say. Without a code, a caller
// that already holds an MFA session passes its MFA on, counted from when it was proved (role chaining
// after an MFA GetSessionToken is how AWS's CLI reaches MFA-guarded roles).

import type { CallContext, Caller } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { Tx } from '../store/types.ts';

export interface MfaVerifier {
  verifyMfa(tx: Tx, caller: Caller, serial: string, code: string, now: Date): Promise<'ok' | 'no-device' | 'bad-code'>;
}

// AWS's texts, as clients report them (the first ends with a space, and the second has two after "code.").
const badCode = () => new ApiError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
const noDevice = () =>
  new ApiError(
    'AccessDenied',
    'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
    403,
  );

/** When the new session's MFA was proved: now (a good code), the caller's own (none given), or never. */
export async function mfaAuthentication(deps: MfaVerifier, tx: Tx, ctx: CallContext, input: Record<string, unknown>): Promise<number | undefined> {
  const serial = input.SerialNumber as string | undefined;
  const code = input.TokenCode as string | undefined;
  if (serial === undefined && code === undefined) return ctx.caller.mfaAuthenticatedAt;
  if (serial === undefined || code === undefined) throw noDevice();
  const verdict = await deps.verifyMfa(tx, ctx.caller, serial, code, ctx.now);
  if (verdict === 'no-device') throw noDevice();
  if (verdict === 'bad-code') throw badCode();
  return ctx.now.getTime();
}

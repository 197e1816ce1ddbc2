// Virtual MFA devices' one-time codes: RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps), the
// parameters every authenticator app assumes for an `otpauth://` URI without them. The `otpauth`
// library computes the codes and writes the URI; what is ours is which time steps a code may match.

import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const STEP_SECONDS = 30;
const DIGITS = 6;
/** AWS's seeds are 64 base32 characters: 40 random bytes. */
const SEED_BYTES = 40;
/** The issuer authenticator apps show beside the device, as in AWS's QR codes. */
const ISSUER = 'Amazon Web Services';

/** A new random seed, base32 as Base32StringSeed returns it. */
export const newSeed = (): string => new Secret({ size: SEED_BYTES }).base32;

/** The time step a moment falls in (RFC 6238's T). */
export const stepAt = (epochMs: number): number => Math.floor(epochMs / 1000 / STEP_SECONDS);

/** The code a device with `seed` shows during time step `step`. */
export const codeAt = (seed: string, step: number): string =>
  HOTP.generate({ secret: Secret.fromBase32(seed), counter: step, algorithm: 'SHA1', digits: DIGITS });

/** The `otpauth://totp/…` URI an authenticator app scans (QRCodePNG encodes it). */
export const provisioningUri = (seed: string, label: string): string =>
  new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: DIGITS, period: STEP_SECONDS }).toString();

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The first step in `steps` whose code is `code`, or undefined. */
export function matchStep(seed: string, code: string, steps: Iterable<number>): number | undefined {
  for (const step of steps) if (same(codeAt(seed, step), code)) return step;
  return undefined;
}

/** The first step `s` in `steps` where `first` is the code of `s` and `second` the code of `s + 1`. */
export function matchConsecutive(seed: string, first: string, second: string, steps: Iterable<number>): number | undefined {
  for (const step of steps) if (same(codeAt(seed, step), first) && same(codeAt(seed, step + 1), second)) return step;
  return undefined;
}

/** The integers from `from` to `to`, both included. */
export function* range(from: number, to: number): Generator<number> {
  for (let s = from; s <= to; s++) yield s;
}

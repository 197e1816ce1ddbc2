// RFC 6238 written out by hand (HMAC-SHA-1 over the big-endian step counter, dynamic truncation, six
// digits), so the tests check iamd's codes — made with the otpauth library — against the RFC itself.

import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/=+$/, '')) {
    const index = BASE32.indexOf(ch.toUpperCase());
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 30-second step `epochMs` falls in. */
export const stepAt = (epochMs: number): number => Math.floor(epochMs / 30_000);

/** The six-digit code of `seed` (base32) at time step `step`. */
export function totp(seed: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(seed)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/** The codes a device shows now: the previous step's and the current one's (what EnableMFADevice takes), and the next. */
export function currentCodes(seed: string): { previous: string; current: string; next: string; step: number } {
  const step = stepAt(Date.now());
  return { previous: totp(seed, step - 1), current: totp(seed, step), next: totp(seed, step + 1), step };
}

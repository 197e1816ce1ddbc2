// Access key ids as AWS shapes them. After the four-letter prefix an id is base32, and its first six
// bytes hold the account shifted left by seven bits: GetAccessKeyInfo reads the account from the id
// alone, for any key, even one long gone. iamd's session keys carry their account the same way, so
// the answer holds after an expired session is purged (src/sts/session-purge.ts).

import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + `length − prefix.length` random uppercase base32 characters. */
export function awsId(prefix: string, length: number): string {
  let id = prefix;
  for (const b of randomBytes(length - prefix.length)) id += BASE32[b & 31];
  return id;
}

/** A 20-character key id of `prefix` that encodes `account` (12 digits) as AWS's ids do. */
export function keyIdOfAccount(prefix: string, account: string): string {
  const [low] = randomBytes(1);
  // Ten characters are fifty bits: the six bytes (the account over seven random low bits), then two random bits.
  const sixBytes = (BigInt(account) << 7n) | BigInt(low! & 0x7f);
  let bits = (sixBytes << 2n) | BigInt(low! >> 7);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = BASE32[Number(bits & 31n)] + head;
    bits >>= 5n;
  }
  return awsId(prefix + head, 20);
}

/** The account encoded in a key id; undefined for an id that is not base32. */
export function accountEncodedIn(accessKeyId: string): string | undefined {
  const body = accessKeyId.slice(4).toUpperCase();
  if (body.length < 10) return undefined;
  let bits = 0n;
  for (const ch of body.slice(0, 10)) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return undefined;
    bits = (bits << 5n) | BigInt(v);
  }
  // Ten characters are fifty bits; the first six bytes are their top forty-eight.
  const sixBytes = bits >> 2n;
  const account = (sixBytes & 0x7fffffffff80n) >> 7n;
  return account.toString().padStart(12, '0');
}

// A session token that still says, once its session is purged, that it was this key's and has expired.
//
// iamd keeps a token only as its hash (src/secrets/token.ts), so after an expired session is deleted
// (src/sts/session-purge.ts) nothing stored could tell its token from one never issued: AWS answers the
// first ExpiredToken and the second InvalidClientTokenId, whatever the token's age, because its tokens
// are sealed blobs it can read back. So each token iamd issues carries a stamp: the session's expiry
// and a MAC over it and the access key id, under a key kept sealed in the store (GLOBAL
// `sts-token-key/current`, re-sealed by a master key rotation like every secret). Nothing else is read
// from a stamp: a session that exists is judged by its record.
//
// A token is `IQoJb3JpZ2luX2VjE` (AWS's own tokens' first characters) + the base64 of 96 bytes: a
// version byte, the expiry in epoch seconds (6 bytes), 57 random bytes and the 32-byte HMAC-SHA256.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sealed, SealContext, SecretHolder, Secrets } from '../secrets/index.ts';
import { GLOBAL, UniqueViolation, type Tx } from '../store/types.ts';

export const TOKEN_KEY_KIND = 'sts-token-key';
const KEY_AT: SealContext = { kind: TOKEN_KEY_KIND, key: 'current', field: 'key' };

export const tokenKeySecrets: SecretHolder = {
  kind: TOKEN_KEY_KIND,
  sealedFields: ['key'],
  fromPlaintext: (doc, seal) => ({ ...doc, key: seal('key', String(doc.key)) }),
};

const PREFIX = 'IQoJb3JpZ2luX2VjE';
const VERSION = 1;
const RANDOM_BYTES = 57;
const MAC_BYTES = 32;
const STAMPED_BYTES = 1 + 6 + RANDOM_BYTES;

/** The stamping key, made on first use (by whichever node or request comes first). */
export async function tokenKey(tx: Tx, secrets: Secrets): Promise<Buffer> {
  return (await storedTokenKey(tx, secrets)) ?? makeTokenKey(tx, secrets);
}

async function storedTokenKey(tx: Tx, secrets: Secrets): Promise<Buffer | undefined> {
  const stored = await tx.get<{ key: Sealed }>(GLOBAL, TOKEN_KEY_KIND, KEY_AT.key);
  return stored && Buffer.from(secrets.open(stored.doc.key, KEY_AT), 'base64');
}

async function makeTokenKey(tx: Tx, secrets: Secrets): Promise<Buffer> {
  const key = randomBytes(32);
  try {
    await tx.insert(GLOBAL, TOKEN_KEY_KIND, KEY_AT.key, { key: await secrets.seal(tx, key.toString('base64'), KEY_AT) });
    return key;
  } catch (e) {
    if (!(e instanceof UniqueViolation)) throw e;
    return (await storedTokenKey(tx, secrets))!;
  }
}

const macOf = (key: Buffer, accessKeyId: string, stamped: Buffer): Buffer =>
  createHmac('sha256', key).update(accessKeyId).update('\n').update(stamped).digest();

/** A new token for the session of `accessKeyId` that expires at `expiresAt` (epoch ms). */
export function stampedToken(key: Buffer, accessKeyId: string, expiresAt: number): string {
  const stamped = Buffer.alloc(STAMPED_BYTES);
  stamped.writeUInt8(VERSION, 0);
  stamped.writeUIntBE(Math.ceil(expiresAt / 1000), 1, 6);
  randomBytes(RANDOM_BYTES).copy(stamped, 7);
  return PREFIX + Buffer.concat([stamped, macOf(key, accessKeyId, stamped)]).toString('base64');
}

/**
 * The expiry (epoch ms) a token iamd stamped for `accessKeyId` carries; undefined for any other text:
 * a token of another key, one altered, one stamped under another key, or one issued before stamps.
 */
export function stampedExpiry(key: Buffer, accessKeyId: string, token: string): number | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const bytes = Buffer.from(token.slice(PREFIX.length), 'base64');
  if (bytes.length !== STAMPED_BYTES + MAC_BYTES || bytes[0] !== VERSION) return undefined;
  const stamped = bytes.subarray(0, STAMPED_BYTES);
  if (!timingSafeEqual(bytes.subarray(STAMPED_BYTES), macOf(key, accessKeyId, stamped))) return undefined;
  return stamped.readUIntBE(1, 6) * 1000;
}

/** Whether `token` is one iamd stamped for `accessKeyId` and its expiry has passed at `now` (epoch ms). */
export async function expiredSessionToken(tx: Tx, secrets: Secrets, accessKeyId: string, token: string, now: number): Promise<boolean> {
  const key = await storedTokenKey(tx, secrets);
  const expiry = key && stampedExpiry(key, accessKeyId, token);
  return expiry !== undefined && expiry <= now;
}

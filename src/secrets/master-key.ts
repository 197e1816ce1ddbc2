// The master key every secret at rest is sealed under: 32 random bytes, given as IAMD_MASTER_KEY
// (base64 or hex) or kept in a key file in the data folder. Its id — a keyed hash of the key, never
// the key — is written beside every sealed value, so a value names the key it needs and a wrong key
// is recognised before anything is decrypted with it.

import { createHmac, randomBytes } from 'node:crypto';

export const MASTER_KEY_BYTES = 32;

export interface MasterKey {
  /** 16 hex digits: HMAC-SHA256(key, label), truncated. Reveals nothing of the key. */
  readonly id: string;
  readonly bytes: Buffer;
}

/** A key that cannot be used; the message never contains the key text. */
export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

export function masterKeyOf(bytes: Buffer): MasterKey {
  if (bytes.length !== MASTER_KEY_BYTES) throw new MasterKeyError(`a master key is ${MASTER_KEY_BYTES} bytes, got ${bytes.length}`);
  const id = createHmac('sha256', bytes).update('iamd master key id').digest('hex').slice(0, 16);
  return { id, bytes: Buffer.from(bytes) };
}

/** Reads a key written as 64 hex digits or as base64 (standard or URL-safe) of 32 bytes. */
export function parseMasterKey(text: string, origin: string): MasterKey {
  const t = text.trim();
  if (HEX.test(t)) return masterKeyOf(Buffer.from(t, 'hex'));
  if (BASE64.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === MASTER_KEY_BYTES) return masterKeyOf(bytes);
  }
  throw new MasterKeyError(
    `${origin} must be ${MASTER_KEY_BYTES} bytes written as base64 (44 characters) or hex (64 characters), ` +
      `got ${t.length} characters (make one with: openssl rand -base64 32)`,
  );
}

export const generateMasterKey = (): MasterKey => masterKeyOf(randomBytes(MASTER_KEY_BYTES));

/** How a key is written to a key file or handed to an operator. */
export const formatMasterKey = (key: MasterKey): string => key.bytes.toString('base64');

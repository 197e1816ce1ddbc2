// The one place that knows the cipher. A secret is sealed with AES-256-GCM under the master key into
// text that says how to open it:
//
//   v1:<master key id>:<base64url of 12-byte IV ‖ ciphertext ‖ 16-byte tag>
//
// `v1` is the format (the cipher and its layout), so a later format can be read beside this one; the
// key id names the master key, so a value sealed under another key is refused by name rather than
// failing as a bad tag, and rotation knows what it is re-sealing. The associated data binds a value to
// where it is kept (its entity and field): a sealed secret copied into another access key's record
// does not open there, so whoever can write the database still cannot make a key that signs.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { MasterKey } from './master-key.ts';

/** A sealed value as stored. Only `SecretBox.seal` makes one. */
export type Sealed = string & { readonly __sealed: unique symbol };

/** Where a sealed value lives: its entity's kind and key, and the field holding it. */
export interface SealContext {
  kind: string;
  key: string;
  field: string;
}

/** A value that cannot be opened: not sealed, sealed under another key, or altered. */
export class SealError extends Error {
  override name = 'SealError';
}

const FORMAT = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1:([0-9a-f]{16}):([A-Za-z0-9_-]+)$/;

const associatedData = (keyId: string, at: SealContext): Buffer =>
  Buffer.from(`${FORMAT}:${keyId}\u0000${at.kind}\u0000${at.key}\u0000${at.field}`, 'utf8');

const where = (at: SealContext): string => `${at.kind} ${at.key} (${at.field})`;

/** The id of the master key a sealed value needs; undefined when the text is not a sealed value. */
export function sealedKeyId(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

export class SecretBox {
  constructor(private readonly key: MasterKey) {}

  get keyId(): string {
    return this.key.id;
  }

  seal(plaintext: string, at: SealContext): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key.bytes, iv);
    cipher.setAAD(associatedData(this.key.id, at));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}:${this.key.id}:${body.toString('base64url')}` as Sealed;
  }

  open(sealed: Sealed, at: SealContext): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new SealError(`${where(at)} holds no sealed value`);
    const [, keyId, text] = match;
    if (keyId !== this.key.id) {
      throw new SealError(`${where(at)} is sealed under master key ${keyId}, but this iamd holds master key ${this.key.id}`);
    }
    const body = Buffer.from(text, 'base64url');
    if (body.length < IV_BYTES + TAG_BYTES) throw new SealError(`${where(at)} is not a whole sealed value`);
    const decipher = createDecipheriv('aes-256-gcm', this.key.bytes, body.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId, at));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealError(`${where(at)} does not open: altered, or moved from another record`);
    }
  }
}

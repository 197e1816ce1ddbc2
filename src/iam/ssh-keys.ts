// Reading SSH public keys as IAM takes them: OpenSSH's one-line form (`ssh-rsa AAAA… comment`) or a
// PEM public key. The OpenSSH blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) is read field by
// field and the key handed to node:crypto through its JWK form, which checks the numbers (an EC
// point must lie on its curve); what comes back is the key's canonical blob, its MD5 fingerprint as
// AWS shows it, and both encodings GetSSHPublicKey answers with.

import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { invalidPublicKey, unrecognizedPublicKeyEncoding } from './credential-errors.ts';

const MIN_RSA_BITS = 2048;

const CURVES: Record<string, { jwk: string; node: string; bytes: number }> = {
  nistp256: { jwk: 'P-256', node: 'prime256v1', bytes: 32 },
  nistp384: { jwk: 'P-384', node: 'secp384r1', bytes: 48 },
  nistp521: { jwk: 'P-521', node: 'secp521r1', bytes: 66 },
};

export interface SshPublicKey {
  /** The OpenSSH one-line form, without a comment. */
  ssh: string;
  /** SubjectPublicKeyInfo PEM. */
  pem: string;
  /** MD5 of the blob, colon-separated hex. */
  fingerprint: string;
  /** The blob, base64: what makes two uploads the same key. */
  blob: string;
}

/** Length-prefixed fields of an SSH blob; undefined when the blob ends early. */
class BlobReader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}
  field(): Buffer | undefined {
    if (this.at + 4 > this.bytes.length) return undefined;
    const length = this.bytes.readUInt32BE(this.at);
    const start = this.at + 4;
    if (start + length > this.bytes.length) return undefined;
    this.at = start + length;
    return this.bytes.subarray(start, start + length);
  }
  get done(): boolean {
    return this.at === this.bytes.length;
  }
}

const b64url = (bytes: Buffer): string => bytes.toString('base64url');
const unsigned = (mpint: Buffer): Buffer => (mpint[0] === 0 ? mpint.subarray(1) : mpint);
const lengthPrefixed = (parts: Buffer[]): Buffer =>
  Buffer.concat(parts.flatMap((p) => [Buffer.from([p.length >>> 24, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255]), p]));
/** An SSH mpint: big-endian, with a zero byte in front when the top bit is set (it is positive). */
const mpint = (bytes: Buffer): Buffer => (bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

/** The JWK of the key an OpenSSH blob of type `type` holds. */
function jwkOfBlob(type: string, blob: Buffer): JsonWebKey {
  const r = new BlobReader(blob);
  if (r.field()?.toString('latin1') !== type) throw invalidPublicKey('the key type inside the key does not match its name.');
  let jwk: JsonWebKey | undefined;
  if (type === 'ssh-rsa') {
    const e = r.field();
    const n = r.field();
    if (e && n && e.length > 0 && n.length > 0) jwk = { kty: 'RSA', e: b64url(unsigned(e)), n: b64url(unsigned(n)) };
  } else if (type === 'ssh-ed25519') {
    const x = r.field();
    if (x?.length === 32) jwk = { kty: 'OKP', crv: 'Ed25519', x: b64url(x) };
  } else if (type.startsWith('ecdsa-sha2-')) {
    const name = type.slice('ecdsa-sha2-'.length);
    const curve = CURVES[name];
    const declared = r.field()?.toString('latin1');
    const q = r.field();
    if (curve && declared === name && q?.length === 1 + 2 * curve.bytes && q[0] === 4) {
      jwk = { kty: 'EC', crv: curve.jwk, x: b64url(q.subarray(1, 1 + curve.bytes)), y: b64url(q.subarray(1 + curve.bytes)) };
    }
  } else {
    throw invalidPublicKey(`key type ${type} is not supported.`);
  }
  if (!jwk || !r.done) throw invalidPublicKey('the key data is malformed.');
  return jwk;
}

/** The OpenSSH type and blob of a key node:crypto holds; refuses kinds IAM does not take. */
function sshOfKey(key: KeyObject): { type: string; blob: Buffer } {
  const jwk = key.export({ format: 'jwk' });
  const bytes = (v: string | undefined) => Buffer.from(v ?? '', 'base64url');
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { type: 'ssh-rsa', blob: lengthPrefixed([Buffer.from('ssh-rsa'), mpint(bytes(jwk.e)), mpint(bytes(jwk.n))]) };
    case 'ed25519':
      return { type: 'ssh-ed25519', blob: lengthPrefixed([Buffer.from('ssh-ed25519'), bytes(jwk.x)]) };
    case 'ec': {
      const name = Object.keys(CURVES).find((n) => CURVES[n]!.node === key.asymmetricKeyDetails?.namedCurve);
      if (!name) throw invalidPublicKey(`curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'} is not supported.`);
      const type = `ecdsa-sha2-${name}`;
      const q = Buffer.concat([Buffer.from([4]), bytes(jwk.x), bytes(jwk.y)]);
      return { type, blob: lengthPrefixed([Buffer.from(type), Buffer.from(name), q]) };
    }
    default:
      throw invalidPublicKey(`key type ${key.asymmetricKeyType ?? 'unknown'} is not supported.`);
  }
}

// OpenSSH key types all start so (ssh-rsa, ssh-dss, ecdsa-sha2-…, sk-ssh-ed25519@openssh.com); anything else is not this encoding.
const SSH_LINE = /^((?:ssh|ecdsa|sk)-[a-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+.*)?$/s;

/** The key `body` holds, in every form IAM shows it; AWS's errors for anything else. */
export function parseSshPublicKey(body: string): SshPublicKey {
  const text = body.trim();
  let key: KeyObject;
  if (text.startsWith('-----BEGIN')) {
    try {
      key = createPublicKey(text);
    } catch {
      throw invalidPublicKey('the PEM text holds no public key.');
    }
  } else {
    const line = SSH_LINE.exec(text);
    if (!line) throw unrecognizedPublicKeyEncoding();
    const jwk = jwkOfBlob(line[1]!, Buffer.from(line[2]!, 'base64'));
    try {
      key = createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      throw invalidPublicKey('the key data is malformed.');
    }
  }
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw invalidPublicKey(`RSA keys must be at least ${MIN_RSA_BITS} bits.`);
  }
  const { type, blob } = sshOfKey(key);
  const fingerprint = createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
  return { ssh: `${type} ${blob.toString('base64')}`, pem: String(key.export({ type: 'spki', format: 'pem' })), fingerprint, blob: blob.toString('base64') };
}

// Passwords (login profiles) are kept only as salted scrypt hashes, in the PHC string format so the
// cost parameters travel with each hash and can be raised later without invalidating older ones:
//
//   $scrypt$ln=15,r=8,p=1$<salt, base64>$<hash, base64>
//
// scrypt because it is in node:crypto and memory-hard; ln=15, r=8 (32 MiB, about 0.1 s here) is a
// cost an interactive login pays once and an offline guesser pays per guess.

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LOG_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Stored hashes may ask for at most this cost, so a planted hash cannot make a check take forever. */
const MAX_LOG_N = 20;

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length: number): Promise<Buffer> {
  // Node refuses more than 32 MiB unless told; allow what these parameters need, with headroom.
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r * p };
  // NFKC (as NIST SP 800-63B asks): the same password typed on another system, with composed or
  // decomposed accents, is the same password.
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, LOG_N, BLOCK_SIZE, PARALLELISM, HASH_BYTES);
  return `$scrypt$ln=${LOG_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${b64(salt)}$${b64(hash)}`;
}

/** Whether `password` is the one `stored` was made from; false for anything that is not such a hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (!m) return false;
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (logN < 1 || logN > MAX_LOG_N || r < 1 || p < 1) return false;
  const expected = Buffer.from(m[5], 'base64');
  if (expected.length < 16) return false;
  const actual = await derive(password, Buffer.from(m[4], 'base64'), logN, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

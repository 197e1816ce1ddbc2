// `--tls-self-signed`: a certificate iamd makes for itself on first start and keeps in the data folder,
// so that clients told to trust it once (AWS_CA_BUNDLE) go on trusting it across restarts. It is made
// anew only when it no longer fits: unreadable, expired, or not naming the address iamd now serves on.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';

export interface SelfSigned {
  certFile: string;
  keyFile: string;
  /** True when this start made the certificate; false when an earlier one's was reused. */
  created: boolean;
}

/** Long enough not to get in the way; 825 days is the most Apple's TLS clients accept for a server certificate. */
const VALIDITY_DAYS = 825;
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** The names the certificate must carry: loopback always, and the address iamd is reached by. */
export function subjectNames(host: string): string[] {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  // A wildcard address is not one a client connects to; the machine's name is.
  const own = WILDCARD.has(host) ? hostname() : bare;
  return [...new Set(['localhost', '127.0.0.1', '::1', own])];
}

function covers(cert: X509Certificate, names: string[]): boolean {
  return names.every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
}

/** Whether the certificate and key kept in the folder still serve for `names` at `now`. */
function reusable(certFile: string, keyFile: string, names: string[], now: Date): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return false;
  try {
    const x509 = new X509Certificate(readFileSync(certFile));
    return x509.checkPrivateKey(createPrivateKey(readFileSync(keyFile))) && new Date(x509.validTo) > now && covers(x509, names);
  } catch {
    return false;
  }
}

/** Written beside the target and renamed over it, so a reader never sees half a file. */
function writeAtomically(file: string, text: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode });
  // `mode` is applied only when the file is created, and through the umask; say it outright.
  chmodSync(temporary, mode);
  renameSync(temporary, file);
}

export async function ensureSelfSigned(dir: string, host: string, now = new Date()): Promise<SelfSigned> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const names = subjectNames(host);
  if (reusable(certFile, keyFile, names, now)) return { certFile, keyFile, created: false };

  // Loaded only here: the library (and the polyfill it installs) is needed only to make a certificate.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'iamd' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALIDITY_DAYS * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name })) },
    ],
  });
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomically(keyFile, pems.private, 0o600);
  writeAtomically(certFile, pems.cert, 0o644);
  return { certFile, keyFile, created: true };
}

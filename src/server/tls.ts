// The certificate iamd serves HTTPS with: the operator's files, or the self-signed one kept in the data
// folder. Checked once at start (readable, a certificate, a key that belongs to it), so that a wrong
// file stops iamd with a clear message instead of failing every handshake later.

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TlsSetting } from './config.ts';
import { ensureSelfSigned } from './self-signed.ts';

export interface TlsMaterial {
  cert: string;
  key: string;
  certFile: string;
  /** SHA-256 fingerprint, as `openssl x509 -noout -fingerprint -sha256` prints it. */
  fingerprint: string;
  /** Set for `--tls-self-signed`: whether this start made the certificate or reused the kept one. */
  selfSigned?: { created: boolean };
}

export class TlsError extends Error {
  override name = 'TlsError';
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new TlsError(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
  }
}

function parse<T>(file: string, what: string, make: () => T): T {
  try {
    return make();
  } catch {
    throw new TlsError(`${file} holds no PEM ${what}`);
  }
}

function fromFiles(certFile: string, keyFile: string): TlsMaterial {
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  // The first certificate of the file is the server's; any that follow are its chain.
  const x509 = parse(certFile, 'certificate', () => new X509Certificate(cert));
  const privateKey: KeyObject = parse(keyFile, 'private key', () => createPrivateKey(key));
  if (!x509.checkPrivateKey(privateKey)) throw new TlsError(`the key in ${keyFile} does not belong to the certificate in ${certFile}`);
  return { cert, key, certFile, fingerprint: x509.fingerprint256 };
}

/** Reads (or, for a self-signed certificate, makes or reuses) what the HTTPS listener needs. */
export async function loadTls(setting: TlsSetting, host: string): Promise<TlsMaterial> {
  if (setting.kind === 'files') return fromFiles(setting.certFile, setting.keyFile);
  const made = await ensureSelfSigned(setting.dir, host);
  return { ...fromFiles(made.certFile, made.keyFile), selfSigned: { created: made.created } };
}

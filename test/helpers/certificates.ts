// X.509 certificates and key pairs for the certificate tests, made fresh by each run (selfsigned for
// the certificates, node:crypto for the keys), so no fixture key sits in the repository.

import { generate } from 'selfsigned';

export interface Pem {
  cert: string;
  key: string;
}

const DAY = 86_400_000;

export interface CertOptions {
  cn?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** The issuer; self-signed when absent. */
  ca?: Pem;
  isCa?: boolean;
}

/** A P-256 certificate and its private key (PKCS#8 PEM). */
export async function certificate(options: CertOptions = {}): Promise<Pem> {
  const now = Date.now();
  const made = await generate([{ name: 'commonName', value: options.cn ?? 'iamd-test' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: options.notBefore ?? new Date(now - DAY),
    notAfterDate: options.notAfter ?? new Date(now + 30 * DAY),
    extensions: [{ name: 'basicConstraints', cA: options.isCa ?? false, critical: true }],
    ...(options.ca ? { ca: { key: options.ca.key, cert: options.ca.cert } } : {}),
  });
  return { cert: made.cert, key: made.private };
}

/** A CA and a leaf it issued. */
export async function chainOfTwo(): Promise<{ ca: Pem; leaf: Pem }> {
  const ca = await certificate({ cn: 'iamd-test-ca', isCa: true });
  const leaf = await certificate({ cn: 'leaf.example.com', ca });
  return { ca, leaf };
}

/** The base64 body of a PEM block, without its armour: what would show up if the key were stored in the clear, even re-wrapped. */
export const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

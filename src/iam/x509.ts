// Reading the X.509 certificates IAM is handed (server certificates with their chain and private
// key, users' signing certificates) with node:crypto, so a certificate is checked the way TLS will
// read it: PEM only, within its validity, chain in order, private key matching.

import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { certificateOutOfValidity, invalidChain, keyPairMismatch, unparsableCertificate, unparsablePrivateKey } from './credential-errors.ts';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificate PEM blocks of `text`, each parsed; undefined when there is none or one does not parse. */
function pemCertificates(text: string): X509Certificate[] | undefined {
  const blocks = text.match(PEM_CERTIFICATE);
  if (!blocks) return undefined;
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    return undefined;
  }
}

/** The one certificate in `body` (PEM); undefined when it is not one. */
export function parseCertificate(body: string): X509Certificate | undefined {
  const certs = pemCertificates(body);
  return certs?.length === 1 ? certs[0] : undefined;
}

export const withinValidity = (cert: X509Certificate, now: Date): boolean =>
  new Date(cert.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(cert.validTo).getTime();

/** `issuer` issued and signed `cert`. */
const signedBy = (cert: X509Certificate, issuer: X509Certificate): boolean => cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

export interface ServerCertificateParts {
  certificate: X509Certificate;
  expiration: Date;
}

/**
 * UploadServerCertificate's checks, in AWS's order of concern: the body, its validity, the private
 * key and its match, then the chain (each certificate issued by the next; -1 names the body).
 */
export function checkServerCertificate(body: string, privateKey: string, chain: string | undefined, now: Date): ServerCertificateParts {
  const certificate = parseCertificate(body);
  if (!certificate) throw unparsableCertificate();
  if (!withinValidity(certificate, now)) throw certificateOutOfValidity();
  let key: KeyObject;
  try {
    if (!privateKey.includes('-----BEGIN')) throw new Error('not PEM');
    key = createPrivateKey(privateKey);
  } catch {
    throw unparsablePrivateKey();
  }
  if (!certificate.checkPrivateKey(key)) throw keyPairMismatch();
  if (chain !== undefined) {
    const links = pemCertificates(chain);
    if (!links) throw invalidChain(0);
    if (!signedBy(certificate, links[0]!)) throw invalidChain(-1);
    for (let i = 0; i + 1 < links.length; i++) if (!signedBy(links[i]!, links[i + 1]!)) throw invalidChain(i);
  }
  return { certificate, expiration: new Date(certificate.validTo) };
}

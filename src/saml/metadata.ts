// An identity provider's SAML 2.0 metadata, as CreateSAMLProvider and UpdateSAMLProvider take it:
// an EntityDescriptor with an IDPSSODescriptor and at least one signing certificate. What iamd keeps
// of it is what verifying an assertion needs — the issuer (entityID), the signing certificates — and
// its validUntil, which GetSAMLProvider answers.

import { X509Certificate } from 'node:crypto';
import { children, is, NS, parseXml, text } from './xml.ts';

export interface IdpMetadata {
  entityId: string;
  /** PEM certificates the IdP signs with (KeyDescriptor use="signing" or without a use). */
  signingCertificates: string[];
  /** ISO-8601, when the metadata says until when it is valid. */
  validUntil?: string;
}

export class MetadataError extends Error {}

const toPem = (base64: string): string => {
  const body = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
};

/** Reads metadata; throws MetadataError saying what is wrong (for iamd's log; AWS answers one text). */
export function readIdpMetadata(document: string): IdpMetadata {
  const doc = parseXml(document);
  if (!doc) throw new MetadataError('not well-formed XML');
  const root = doc.documentElement!;
  if (!is(root, NS.md, 'EntityDescriptor')) throw new MetadataError('the root is not an md:EntityDescriptor');
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '') throw new MetadataError('no entityID');
  const idp = children(root, NS.md, 'IDPSSODescriptor');
  if (idp.length === 0) throw new MetadataError('no IDPSSODescriptor');
  const signingCertificates: string[] = [];
  for (const sso of idp) {
    for (const kd of children(sso, NS.md, 'KeyDescriptor')) {
      const use = kd.getAttribute('use');
      if (use && use !== 'signing') continue;
      for (const info of children(kd, NS.ds, 'KeyInfo')) {
        for (const data of children(info, NS.ds, 'X509Data')) {
          for (const cert of children(data, NS.ds, 'X509Certificate')) {
            const pem = toPem(text(cert) ?? '');
            try {
              new X509Certificate(pem);
            } catch {
              throw new MetadataError('a signing certificate is not an X.509 certificate');
            }
            signingCertificates.push(pem);
          }
        }
      }
    }
  }
  if (signingCertificates.length === 0) throw new MetadataError('no signing certificate');
  const validUntilText = root.getAttribute('validUntil');
  let validUntil: string | undefined;
  if (validUntilText) {
    const t = Date.parse(validUntilText);
    if (Number.isNaN(t)) throw new MetadataError('validUntil is not a date');
    validUntil = new Date(t).toISOString();
  }
  return { entityId, signingCertificates, ...(validUntil ? { validUntil } : {}) };
}

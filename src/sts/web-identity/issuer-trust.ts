// Whether an identity provider's TLS server is who it says it is. A certificate the system's
// certificate authorities vouch for is trusted, as by any HTTPS client; otherwise the provider's
// thumbprints decide, as on AWS: the chain the server presents must lead, each certificate signed by
// the next and all of them in date, to a certificate whose SHA-1 thumbprint the provider lists
// (the top intermediate CA, or the server's own certificate when it is self-signed), and the server's
// certificate must name the host.

import { X509Certificate } from 'node:crypto';
import { checkServerIdentity, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';

const MAX_CHAIN = 10;

/** The thumbprint AWS's ThumbprintList holds for a certificate: lower-case hex SHA-1 of its DER. */
export const thumbprintOf = (cert: X509Certificate): string => cert.fingerprint.replace(/:/g, '').toLowerCase();

const inDate = (cert: X509Certificate, now: Date): boolean => new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);

export function peerTrusted(socket: TLSSocket, host: string, thumbprints: readonly string[], now: Date): boolean {
  // Node checked the chain against the CA store and the name against the host.
  if (socket.authorized) return true;
  if (thumbprints.length === 0) return false;
  const leaf = socket.getPeerCertificate(true);
  if (!leaf?.raw || checkServerIdentity(host, leaf) !== undefined) return false;
  const pinned = new Set(thumbprints.map((t) => t.toLowerCase()));
  let presented: DetailedPeerCertificate = leaf;
  let cert = new X509Certificate(leaf.raw);
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (!inDate(cert, now)) return false;
    if (pinned.has(thumbprintOf(cert))) return true;
    const parent = presented.issuerCertificate;
    if (!parent?.raw || parent.raw.equals(presented.raw)) return false;
    const issuer = new X509Certificate(parent.raw);
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) return false;
    presented = parent;
    cert = issuer;
  }
  return false;
}

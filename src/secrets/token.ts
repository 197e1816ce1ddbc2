// Session tokens are kept only as their SHA-256. The server never needs a token back — it only checks
// that a request carries the one it issued — so a hash is all it keeps: unlike an encrypted token, it
// cannot be recovered even by someone holding both the database and the master key (a copied data
// folder holds both), and without its token a session's secret signs nothing. A token holds 57 random
// bytes (src/sts/token-stamp.ts), so an unsalted fast hash is as good as any: there is nothing to guess.

import { createHash, timingSafeEqual } from 'node:crypto';

/** What is stored for a session token. */
export const tokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks presented tokens against a stored digest. The first match is remembered, so the requests
 * after it (the credential cache keeps this object while the account is unchanged) compare text as
 * before instead of hashing again; memory then holds the token, as it holds the session's secret.
 */
export class SessionTokenCheck {
  private verified: string | undefined;

  constructor(private readonly digest: string) {}

  matches(presented: string): boolean {
    if (this.verified !== undefined) return sameText(presented, this.verified);
    const expected = Buffer.from(this.digest, 'base64url');
    const actual = createHash('sha256').update(presented, 'utf8').digest();
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return false;
    this.verified = presented;
    return true;
  }
}

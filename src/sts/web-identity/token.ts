// Verifying a web identity token (an OpenID Connect ID token, a JWT) as STS does before any trust
// policy is read: its issuer must be an OpenID Connect provider of the role's account, its signature
// must verify with a key of that issuer (RS256/384/512 or ES256/384/512, what STS accepts), it must
// be within its lifetime (with a little clock skew), and its audience — `azp` when the token has one,
// else `aud` — must be one of the provider's client ids.

import { compactVerify, decodeJwt, decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import type { ApiError } from '../../common/errors.ts';
import { expired, idpUnreachable, incorrectAudience, missingClaim, noProviderFor, noVerificationKey, notAJwt, notValidated, notYetValid } from './errors.ts';
import { IssuerUnreachable } from './issuer-fetch.ts';
import type { IssuerKeys, KeyGetter } from './issuer-keys.ts';

export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
/** How far a token's times may be off the server's clock. */
export const CLOCK_SKEW_SECONDS = 60;

/** The OpenID Connect provider a token's issuer names (the IAM module finds it). */
export interface OidcIssuer {
  arn: string;
  /** The provider URL without `https://`: the prefix of its condition keys (`<id>:sub`). */
  id: string;
  clientIds: string[];
  thumbprints: string[];
}

export interface VerifiedToken {
  provider: OidcIssuer;
  claims: JWTPayload;
  subject: string;
  /** The client id the token was issued to: `azp`, else the `aud` value among the client ids. */
  audience: string;
  /** Every `aud` value. */
  audiences: string[];
}

export interface VerifyDeps {
  /** The provider of the role's account whose URL is the issuer, if any. */
  provider(iss: string): Promise<OidcIssuer | undefined>;
  keys: IssuerKeys;
  now: Date;
}

const keyError = (e: unknown): ApiError => (e instanceof IssuerUnreachable ? idpUnreachable() : noVerificationKey());

async function keysOf(deps: VerifyDeps, provider: OidcIssuer, iss: string, stale: boolean): Promise<KeyGetter> {
  try {
    return await deps.keys.keys(iss, provider.thumbprints, deps.now, stale);
  } catch (e) {
    throw keyError(e);
  }
}

/** Verifies the signature; a key id the cached set lacks fetches the set once more. */
async function verifySignature(token: string, deps: VerifyDeps, provider: OidcIssuer, iss: string): Promise<void> {
  for (const stale of [false, true]) {
    const getKey = await keysOf(deps, provider, iss, stale);
    try {
      await compactVerify(token, getKey, { algorithms: ALGORITHMS });
      return;
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey) {
        if (stale || deps.keys.isOffline(iss)) throw noVerificationKey();
        continue;
      }
      throw notValidated();
    }
  }
}

const integerClaim = (claims: JWTPayload, name: 'exp' | 'nbf' | 'iat'): number | undefined => {
  const value = claims[name];
  if (value === undefined) return undefined;
  // STS: "Timestamps in the token must be formatted as either an integer or a long integer."
  if (typeof value !== 'number' || !Number.isInteger(value)) throw notAJwt();
  return value;
};

export async function verifyWebIdentityToken(token: string, deps: VerifyDeps): Promise<VerifiedToken> {
  let claims: JWTPayload;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    throw notAJwt();
  }
  if (alg === undefined || !ALGORITHMS.includes(alg)) throw notAJwt();
  const iss = claims.iss;
  if (typeof iss !== 'string' || iss === '') throw missingClaim('iss');
  const provider = await deps.provider(iss);
  if (!provider) throw noProviderFor(iss);

  await verifySignature(token, deps, provider, iss);

  const now = Math.floor(deps.now.getTime() / 1000);
  const exp = integerClaim(claims, 'exp');
  if (exp === undefined) throw missingClaim('exp');
  if (now > exp + CLOCK_SKEW_SECONDS) throw expired(now, exp);
  const nbf = integerClaim(claims, 'nbf');
  if (nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS) throw notYetValid(now, 'nbf', nbf);
  const iat = integerClaim(claims, 'iat');
  if (iat !== undefined && iat > now + CLOCK_SKEW_SECONDS) throw notYetValid(now, 'iat', iat);

  if (typeof claims.sub !== 'string' || claims.sub === '') throw missingClaim('sub');
  const audiences = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const azp = typeof claims.azp === 'string' ? claims.azp : undefined;
  if (audiences.length === 0 && azp === undefined) throw missingClaim('aud');
  const audience = azp ?? audiences.find((a) => provider.clientIds.includes(a));
  if (audience === undefined || !provider.clientIds.includes(audience)) throw incorrectAudience();
  return { provider, claims, subject: claims.sub, audience, audiences };
}

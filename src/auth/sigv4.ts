// AWS Signature Version 4 verification — the first thing the server does with a request.
//
// `parseAuthorization` (cheap, no I/O) reads the credential scope so the server can route;
// `verify` checks the request time, looks the key up, checks the session token, recomputes the
// signature over the request exactly as received and compares in constant time. It hashes the
// body itself: the client's x-amz-content-sha256 header is never trusted (it is only a signed
// header like any other). Failures come back as an AuthError, never thrown; `authErrorFor`
// (errors.ts) words them for the caller's protocol.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalHeaderValue, canonicalPath, canonicalQuery, splitQuery } from './canonical.ts';
import { AuthError, MESSAGES } from './errors.ts';
import { ALGORITHM, formatBasicIso, parseAuthorization, type SignedRequestHeaders, type SigV4Parameters } from './parse.ts';
import { SigningKeyCache } from './signing-key.ts';

export { parseAuthorization, type SigV4Parameters, type SignedRequestHeaders } from './parse.ts';
export { AuthError, authErrorFor, isAuthError, type AuthReason, type ProtocolFamily } from './errors.ts';
export { SigningKeyCache } from './signing-key.ts';

/** AWS accepts a request whose time is within 15 minutes of its own clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface SignedRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query string. */
  path: string;
  /** The raw query string, without the '?' ('' when there is none). */
  query: string;
  /** Lower-cased names: Node's `req.headers` (duplicates joined) or `req.headersDistinct`. */
  headers: SignedRequestHeaders;
  body: Buffer;
}

/** What the credential store knows about an access key. */
export interface KeyCredentials {
  secretAccessKey: string;
  /**
   * Present for temporary credentials: the request must carry exactly the token it accepts. A check
   * rather than the token, because the store keeps only a token's hash.
   */
  sessionToken?: { matches(presented: string): boolean };
  /** Epoch milliseconds after which the credentials are expired. */
  expiresAt?: number;
}

/**
 * The credentials of a key; undefined for a key unknown; 'expired' for a key gone whose session token
 * (the request's) shows it was that key's and has expired.
 */
export type CredentialLookup<C extends KeyCredentials> = (accessKeyId: string, sessionToken: string | undefined) => Promise<C | 'expired' | undefined>;

export interface VerifiedRequest<C extends KeyCredentials = KeyCredentials> {
  accessKeyId: string;
  region: string;
  service: string;
  sessionToken?: string;
  form: 'header' | 'query';
  /** The time the client signed the request. */
  signedAt: Date;
  /** What the lookup returned, so the caller need not look the key up again. */
  credentials: C;
}

export interface VerifyOptions {
  /** When set, the credential scope must name this service (e.g. routed by host or X-Amz-Target). */
  expectedService?: string;
  /** Defaults to a process-wide cache. */
  keyCache?: SigningKeyCache;
}

const sharedKeyCache = new SigningKeyCache();

/** A SHA-256 never fed: each digest starts from a copy of it, cheaper than looking the algorithm up anew. */
const SHA256 = createHash('sha256');

function sha256Hex(data: string | Buffer): string {
  return SHA256.copy().update(data).digest('hex');
}

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** Checks the request time against the server clock, the credential scope and X-Amz-Expires. */
function checkTime(params: SigV4Parameters, nowMs: number): AuthError | undefined {
  const day = params.requestTime.slice(0, 8);
  if (params.scopeDate !== day) {
    return new AuthError(
      'InvalidCredentialScope',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${params.scopeDate}' != '${day}', from '${params.requestTime}'.`,
    );
  }
  // AWS prints the clock to the second.
  const now = Math.floor(nowMs / 1000) * 1000;
  if (params.requestTimeMs < now - MAX_CLOCK_SKEW_MS) {
    return new AuthError(
      'RequestTimeTooSkewed',
      `Signature expired: ${params.requestTime} is now earlier than ${formatBasicIso(now - MAX_CLOCK_SKEW_MS)} (${formatBasicIso(now)} - 15 min.)`,
    );
  }
  if (params.requestTimeMs > now + MAX_CLOCK_SKEW_MS) {
    return new AuthError(
      'RequestTimeTooSkewed',
      `Signature not yet current: ${params.requestTime} is still later than ${formatBasicIso(now + MAX_CLOCK_SKEW_MS)} (${formatBasicIso(now)} + 15 min.)`,
    );
  }
  if (params.expiresSeconds !== undefined && now > params.requestTimeMs + params.expiresSeconds * 1000) {
    return new AuthError('PresignedUrlExpired', MESSAGES.requestExpired);
  }
  return undefined;
}

function checkSessionToken(params: SigV4Parameters, credentials: KeyCredentials, nowMs: number): AuthError | undefined {
  if (credentials.sessionToken !== undefined) {
    if (params.sessionToken === undefined || !credentials.sessionToken.matches(params.sessionToken)) {
      return new AuthError('InvalidSessionToken', MESSAGES.invalidToken);
    }
  } else if (params.sessionToken !== undefined) {
    // A token sent with a long-term key belongs to nothing.
    return new AuthError('InvalidSessionToken', MESSAGES.invalidToken);
  }
  if (credentials.expiresAt !== undefined && credentials.expiresAt <= nowMs) {
    return new AuthError('ExpiredSessionToken', MESSAGES.expiredToken);
  }
  return undefined;
}

/** The SigV4 canonical request of `req` under the signed-header list and payload rule of `params`. */
export function canonicalRequest(req: SignedRequest, params: SigV4Parameters): string {
  let headers = '';
  for (const name of params.signedHeaders) headers += name + ':' + canonicalHeaderValue(req.headers[name]) + '\n';
  // UNSIGNED-PAYLOAD only where nothing goes unsigned: a presigned request without a body.
  const payloadHash =
    params.unsignedPayload && req.body.length === 0
      ? UNSIGNED_PAYLOAD
      : req.body.length === 0
        ? EMPTY_SHA256
        : sha256Hex(req.body);
  return (
    req.method + '\n' +
    canonicalPath(req.path) + '\n' +
    canonicalQuery(params.queryParams ?? splitQuery(req.query)) + '\n' +
    headers + '\n' +
    params.signedHeadersText + '\n' +
    payloadHash
  );
}

/** The signature a client holding `secretAccessKey` would have computed for `req`. */
export function expectedSignature(req: SignedRequest, params: SigV4Parameters, secretAccessKey: string, keyCache = sharedKeyCache): Buffer {
  const stringToSign =
    ALGORITHM + '\n' + params.requestTime + '\n' + params.credentialScope + '\n' + sha256Hex(canonicalRequest(req, params));
  const key = keyCache.get(secretAccessKey, params.scopeDate, params.region, params.service);
  return createHmac('sha256', key).update(stringToSign).digest();
}

/**
 * Verifies a SigV4-signed request (Authorization header or presigned query string) at time `now`.
 * Returns who signed it, or an AuthError saying why not. Errors of `lookup` itself propagate.
 */
export async function verify<C extends KeyCredentials>(
  req: SignedRequest,
  lookup: CredentialLookup<C>,
  now: Date,
  options: VerifyOptions = {},
): Promise<VerifiedRequest<C> | AuthError> {
  const params = parseAuthorization(req);
  if (params instanceof AuthError) return params;
  if (options.expectedService !== undefined && params.service !== options.expectedService) {
    return new AuthError('InvalidCredentialScope', `Credential should be scoped to correct service: '${options.expectedService}'. `);
  }
  const nowMs = now.getTime();
  const timeError = checkTime(params, nowMs);
  if (timeError) return timeError;

  const credentials = await lookup(params.accessKeyId, params.sessionToken);
  if (credentials === undefined) return new AuthError('UnknownAccessKey', MESSAGES.invalidToken);
  if (credentials === 'expired') return new AuthError('ExpiredSessionToken', MESSAGES.expiredToken);
  const tokenError = checkSessionToken(params, credentials, nowMs);
  if (tokenError) return tokenError;

  const expected = expectedSignature(req, params, credentials.secretAccessKey, options.keyCache);
  if (!HEX_SIGNATURE.test(params.signature) || !timingSafeEqual(expected, Buffer.from(params.signature, 'hex'))) {
    return new AuthError('SignatureMismatch', MESSAGES.signatureMismatch);
  }
  return {
    accessKeyId: params.accessKeyId,
    region: params.region,
    service: params.service,
    sessionToken: params.sessionToken,
    form: params.form,
    signedAt: new Date(params.requestTimeMs),
    credentials,
  };
}

// Reading the SigV4 parameters out of a request — the Authorization header or the presigned
// query string — without any I/O or cryptography, so the server can learn the credential scope
// (service, region) cheaply and route before it verifies anything.

import { AuthError, MESSAGES } from './errors.ts';
import { splitQuery, type HeaderValue, type RawParam } from './canonical.ts';
import { memoize } from './memo.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
/** SigV4 signing keys are valid for seven days, so no presigned URL may outlive that. */
export const MAX_PRESIGN_EXPIRES_SECONDS = 604_800;

export interface SignedRequestHeaders {
  [name: string]: HeaderValue;
}

export interface SigV4Parameters {
  /** Where the signature came from. */
  form: 'header' | 'query';
  accessKeyId: string;
  /** `yyyymmdd` from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  credentialScope: string;
  /** Lower-cased names, in the order the client listed them (shared between requests: never changed). */
  signedHeaders: readonly string[];
  /** The same joined with ';', as the canonical request lists them. */
  signedHeadersText: string;
  /** Hex, as sent. */
  signature: string;
  /** The request time in ISO 8601 basic format (`20261123T075852Z`), as the string to sign uses it. */
  requestTime: string;
  /** The same instant in epoch milliseconds. */
  requestTimeMs: number;
  /** Presigned only: X-Amz-Expires in seconds, when sent. */
  expiresSeconds?: number;
  /** Presigned only: `UNSIGNED-PAYLOAD` when X-Amz-Content-Sha256 says so. */
  unsignedPayload: boolean;
  sessionToken?: string;
  /** The query string split once, reused by the verifier (presigned form only). */
  queryParams?: RawParam[];
}

export interface ParseInput {
  headers: SignedRequestHeaders;
  /** The raw query string, without the '?'. */
  query: string;
}

function firstValue(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const BASIC_ISO = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Epoch ms of an ISO 8601 basic timestamp, or NaN when it is not one (or not a real date). */
export function parseBasicIso(value: string): number {
  const m = BASIC_ISO.exec(value);
  if (!m) return NaN;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]), h = Number(m[4]), mi = Number(m[5]), s = Number(m[6]);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls 20260231 over into March; such a date is not a date.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
  return ms;
}

/**
 * The memos of what repeats from request to request (memo.ts): a client's X-Amz-Date changes once a
 * second, its credential scope once a day, its signed-header list never.
 */
const MEMO_CAPACITY = 1024;
const requestTimeMs = memoize(MEMO_CAPACITY, parseBasicIso, (ms) => !Number.isNaN(ms));
const credentialScope = memoize(MEMO_CAPACITY, parseCredential, (scope) => !(scope instanceof AuthError));

interface SignedHeaderList {
  names: readonly string[];
  text: string;
  hasHost: boolean;
}
const signedHeaderList = memoize(MEMO_CAPACITY, (list: string): SignedHeaderList => {
  const names = Object.freeze(list.toLowerCase().split(';'));
  return { names, text: names.join(';'), hasHost: names.includes('host') };
});

export function formatBasicIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const incomplete = (message: string) => new AuthError('IncompleteSignature', message);

const badDate = (value: string) =>
  incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);

interface Scope {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  credentialScope: string;
}

function parseCredential(credential: string): Scope | AuthError {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    return incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts;
  if (accessKeyId.length === 0) return new AuthError('UnknownAccessKey', MESSAGES.invalidToken);
  if (region.length === 0) {
    return new AuthError('InvalidCredentialScope', `Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (terminator !== TERMINATOR) {
    return new AuthError(
      'InvalidCredentialScope',
      `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `,
    );
  }
  return { accessKeyId, scopeDate, region, service, credentialScope: `${scopeDate}/${region}/${service}/${TERMINATOR}` };
}

/** The request time: X-Amz-Date, else the HTTP Date header (RFC 1123), as SigV4 allows. */
function headerRequestTime(headers: SignedRequestHeaders): { text: string; ms: number } | AuthError | undefined {
  const amzDate = firstValue(headers['x-amz-date']);
  if (amzDate !== undefined) {
    const ms = requestTimeMs(amzDate);
    return Number.isNaN(ms) ? badDate(amzDate) : { text: amzDate, ms };
  }
  const httpDate = firstValue(headers['date']);
  if (httpDate === undefined) return undefined;
  const ms = Date.parse(httpDate);
  if (Number.isNaN(ms)) return badDate(httpDate);
  return { text: formatBasicIso(ms), ms };
}

function tokenFrom(headers: SignedRequestHeaders, query: string): string | undefined {
  const header = firstValue(headers['x-amz-security-token']);
  if (header !== undefined) return header;
  if (!query.includes('X-Amz-Security-Token=')) return undefined;
  const raw = splitQuery(query).find((p) => p.name === 'X-Amz-Security-Token');
  return raw === undefined ? undefined : decodeQueryValue(raw.value);
}

/** Form decoding (`+` is a space); a malformed escape yields a value that can match nothing. */
function decodeQueryValue(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return '\u0000malformed';
  }
}

function parseHeaderForm(authorization: string, headers: SignedRequestHeaders, query: string): SigV4Parameters | AuthError {
  // Only these three fields are read; a field given twice counts with its last value.
  let credential: string | undefined;
  let signature: string | undefined;
  let signedHeaders: string | undefined;
  if (authorization.startsWith(ALGORITHM + ' ')) {
    for (const piece of authorization.slice(ALGORITHM.length + 1).split(',')) {
      const item = piece.trim();
      if (item.length === 0) continue;
      const eq = item.indexOf('=');
      if (eq < 0) {
        return incomplete(`'${item}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
      }
      const name = item.slice(0, eq);
      if (name === 'Credential') credential = item.slice(eq + 1);
      else if (name === 'Signature') signature = item.slice(eq + 1);
      else if (name === 'SignedHeaders') signedHeaders = item.slice(eq + 1);
    }
  }
  const time = headerRequestTime(headers);
  if (credential === undefined || signature === undefined || signedHeaders === undefined || time === undefined) {
    // AWS lists every missing piece, then echoes the header.
    let message = '';
    if (credential === undefined) message += "Authorization header requires 'Credential' parameter. ";
    if (signature === undefined) message += "Authorization header requires 'Signature' parameter. ";
    if (signedHeaders === undefined) message += "Authorization header requires 'SignedHeaders' parameter. ";
    if (time === undefined) message += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    return incomplete(`${message}Authorization=${authorization}`);
  }
  if (time instanceof AuthError) return time;
  const scope = credentialScope(credential);
  if (scope instanceof AuthError) return scope;
  const list = signedHeaderList(signedHeaders);
  if (!list.hasHost) return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  return {
    form: 'header',
    ...scope,
    signedHeaders: list.names,
    signedHeadersText: list.text,
    signature,
    requestTime: time.text,
    requestTimeMs: time.ms,
    unsignedPayload: false,
    sessionToken: tokenFrom(headers, query),
  };
}

const PRESIGN_REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'] as const;

function parseQueryForm(query: string, headers: SignedRequestHeaders): SigV4Parameters | AuthError {
  const params = splitQuery(query);
  const found = new Map<string, string>();
  for (const p of params) {
    if (p.name.startsWith('X-Amz-') && !found.has(p.name)) found.set(p.name, decodeQueryValue(p.value));
  }
  const missing = PRESIGN_REQUIRED.filter((name) => !found.has(name));
  if (missing.length > 0) {
    return incomplete(
      `AWS query-string parameters must include ${missing.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`,
    );
  }
  const algorithm = found.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) {
    return incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const amzDate = found.get('X-Amz-Date')!;
  const ms = requestTimeMs(amzDate);
  if (Number.isNaN(ms)) return badDate(amzDate);
  let expiresSeconds: number | undefined;
  const expires = found.get('X-Amz-Expires');
  if (expires !== undefined) {
    if (!/^-?\d+$/.test(expires)) return incomplete('X-Amz-Expires should be a number');
    expiresSeconds = Number(expires);
    if (expiresSeconds < 0) return incomplete('X-Amz-Expires must be non-negative');
    if (expiresSeconds > MAX_PRESIGN_EXPIRES_SECONDS) {
      return incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGN_EXPIRES_SECONDS}`);
    }
  }
  const scope = credentialScope(found.get('X-Amz-Credential')!);
  if (scope instanceof AuthError) return scope;
  const list = signedHeaderList(found.get('X-Amz-SignedHeaders')!);
  if (!list.hasHost) return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  return {
    form: 'query',
    ...scope,
    signedHeaders: list.names,
    signedHeadersText: list.text,
    signature: found.get('X-Amz-Signature')!,
    requestTime: amzDate,
    requestTimeMs: ms,
    expiresSeconds,
    unsignedPayload: found.get('X-Amz-Content-Sha256') === 'UNSIGNED-PAYLOAD',
    sessionToken: found.get('X-Amz-Security-Token') ?? firstValue(headers['x-amz-security-token']),
    queryParams: params,
  };
}

/** True when the query string carries presigned SigV4 parameters. */
function isPresigned(query: string): boolean {
  return query.includes('X-Amz-Signature=') || query.includes('X-Amz-Algorithm=') || query.includes('X-Amz-Credential=');
}

/**
 * The SigV4 parameters of a request, or why they cannot be read. The Authorization header wins
 * when a request carries both forms. Cheap: string splitting only, no hashing, no lookups.
 */
export function parseAuthorization(req: ParseInput): SigV4Parameters | AuthError {
  const authorization = firstValue(req.headers['authorization']);
  if (authorization !== undefined) return parseHeaderForm(authorization, req.headers, req.query);
  if (isPresigned(req.query)) return parseQueryForm(req.query, req.headers);
  return new AuthError('MissingAuthentication', MESSAGES.missingAuthentication);
}

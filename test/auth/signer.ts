// Test helper: sign requests with the AWS SDK's own signer (@smithy/signature-v4, with the pure-JS
// SHA-256 of @aws-crypto so the hashing is independent of node:crypto used by the verifier) and turn
// them into what iamd's server hands to verify(): the raw path, raw query string and headers.

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SignedRequest } from '../../src/auth/sigv4.ts';

export const EXAMPLE_KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const EXAMPLE_TOKEN = 'FQoGZXIvYXdzEXAMPLETOKEN/+=';

export type Query = Record<string, string | string[]>;

export interface RequestSpec {
  method?: string;
  /** The path as it goes on the wire (already percent-encoded, as SDK serializers produce it). */
  path?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string | Buffer;
  region?: string;
  service?: string;
  signingDate?: Date;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The SDKs' query encoding (RFC 3986: everything but unreserved characters escaped). */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function wireQuery(query: Query): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${escapeUri(name)}=${escapeUri(v)}`);
  }
  return parts.join('&');
}

function signer(spec: RequestSpec): SignatureV4 {
  return new SignatureV4({
    service: spec.service ?? 'iam',
    region: spec.region ?? 'us-east-1',
    credentials: spec.credentials ?? EXAMPLE_KEY,
    sha256: Sha256,
  });
}

function toSmithy(spec: RequestSpec) {
  const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : new Uint8Array(spec.body);
  return {
    method: spec.method ?? 'POST',
    protocol: 'http:',
    hostname: 'iamd.test',
    port: 4566,
    path: spec.path ?? '/',
    query: spec.query ?? {},
    headers: { host: 'iamd.test:4566', ...(spec.headers ?? {}) },
    body,
  };
}

function toSignedRequest(
  method: string,
  path: string,
  query: Query,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
): SignedRequest {
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  return {
    method,
    path,
    query: wireQuery(query),
    headers: lower,
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(body),
  };
}

/** Signs with an Authorization header, as the SDK clients do. */
export async function signHeader(spec: RequestSpec = {}): Promise<SignedRequest> {
  const req = toSmithy(spec);
  const signed = await signer(spec).sign(req, { signingDate: spec.signingDate ?? new Date() });
  return toSignedRequest(signed.method, signed.path, signed.query as Query, signed.headers, spec.body);
}

/** Presigns (query-string form), as STS GetCallerIdentity tokens (EKS, Vault) are made. */
export async function presign(spec: RequestSpec = {}, expiresIn = 900): Promise<SignedRequest> {
  const req = toSmithy(spec);
  const signed = await signer(spec).presign(req, { signingDate: spec.signingDate ?? new Date(), expiresIn });
  return toSignedRequest(signed.method, signed.path, signed.query as Query, signed.headers, spec.body);
}

/** Parses `20261123T075852Z`. */
export function basicIsoDate(s: string): Date {
  return new Date(
    Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15)),
  );
}

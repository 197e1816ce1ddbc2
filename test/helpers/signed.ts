// Raw requests to a started iamd, signed with the SDK's own signer, for the checks an SDK client
// cannot make: an error envelope byte for byte, a protocol an older client speaks, iamd's own signed endpoints.

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials, TestServer } from './server.ts';

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** A form-encoded request signed for `service`. */
export function signedForm(server: TestServer, service: string, form: Record<string, string>, credentials: Credentials, region = 'us-east-1'): Promise<RawAnswer> {
  const body = new URLSearchParams(form).toString();
  return signedPost(server, service, body, { 'content-type': 'application/x-www-form-urlencoded' }, credentials, region);
}

/** A POST to `/` signed for `service`, answered as status, headers and body text. */
export async function signedPost(
  server: TestServer,
  service: string,
  body: string,
  headers: Record<string, string>,
  credentials: Credentials,
  region = 'us-east-1',
): Promise<RawAnswer> {
  const url = new URL(server.url);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...headers },
    body,
  });
  const response = await fetch(`${server.url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A GET of `path` (with its query) signed for `service`, as a console signs its calls to iamd's own endpoints. */
export async function signedGet(server: TestServer, service: string, path: string, query: Record<string, string>, credentials: Credentials, region = 'us-east-1'): Promise<RawAnswer> {
  const url = new URL(server.url);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: { host: url.host },
  });
  const response = await fetch(`${server.url}${path}?${new URLSearchParams(query)}`, { headers: signed.headers as Record<string, string> });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

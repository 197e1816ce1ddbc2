// Shared by the EC2, CloudWatch and Logs end-to-end tests: IAM users with inline policies (through the
// real IAM client), a second account, error assertions, and a raw signed request for checking an
// error envelope byte for byte.

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { userWithKey } from '../helpers/iam.ts';
import type { Credentials, TestServer } from '../helpers/server.ts';

export const ACCOUNT = '123456789012';

export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map((s) => ({ Effect: 'Allow', ...s })) });
}

/** A new IAM user with one inline policy and an access key, and its ARN. */
export async function userWithPolicy(server: TestServer, name: string, document: string): Promise<Credentials & { arn: string }> {
  return { ...(await userWithKey(server.iam(), name, document)), arn: `arn:aws:iam::${ACCOUNT}:user/${name}` };
}

/** Another account in the same iamd, with root keys of its own. */
export { newAccount as secondAccount } from '../helpers/iam.ts';

export { rejects, type SdkError } from '../helpers/rejects.ts';

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

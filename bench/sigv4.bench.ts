// SigV4 verification cost: iamd's verify() beside the recipe of query-protocol.md §8 (re-signing the
// request with @smithy/signature-v4 and comparing), on the request the JS SDK sends for IAM GetRole.
// The server's goal is > 11,000 signed + authorized GetRole/s on 2 cores, so verification has to
// stay well under 30 µs. Before timing, both verifiers must accept the workload and reject a
// tampered copy, so the speeds compare verifiers that give the same answers.
//
// `npm run bench -- sigv4`, or on its own: `node --import tsx bench/sigv4.bench.ts [--quick]`.

import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthError, parseAuthorization, verify, type KeyCredentials, type SignedRequest } from '../src/auth/sigv4.ts';
import { formatRate, formatRatio, table, type BenchOptions } from './harness.ts';

export const title = 'SigV4 verifications per second: iamd verify() vs re-signing with @smithy/signature-v4';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const GOAL_MICROSECONDS = 30;
const REQUESTS = 256;

/** node:crypto behind smithy's Checksum interface, so the peer is not slowed by a pure-JS SHA-256. */
class NodeSha256 {
  private hash: Hash | Hmac;
  private readonly secret?: string | Buffer;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret =
      secret === undefined || typeof secret === 'string'
        ? secret
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const lookup = async (id: string): Promise<KeyCredentials | undefined> =>
  id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined;

/** GetRole as @aws-sdk/client-iam sends it (same header set as sdk-captures), one role name per request. */
async function jsSdkGetRoles(now: Date): Promise<SignedRequest[]> {
  const signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials: KEY, sha256: NodeSha256 });
  const out: SignedRequest[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const body = `Action=GetRole&Version=2010-05-08&RoleName=service-role-${i}`;
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 4566,
        path: '/',
        query: {},
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(body.length),
          'x-amz-user-agent': 'aws-sdk-js/3.1168.0',
          'user-agent': 'aws-sdk-js/3.1168.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/iam#3.1168.0 m/N,E,e',
          host: '127.0.0.1:4566',
          'amz-sdk-invocation-id': `d24b3c1a-28e9-4e04-aca0-${String(i).padStart(12, '0')}`,
          'amz-sdk-request': 'attempt=1; max=3',
        },
        body,
      },
      { signingDate: now },
    );
    out.push({ method: 'POST', path: '/', query: '', headers: { ...signed.headers }, body: Buffer.from(body) });
  }
  return out;
}

/**
 * query-protocol.md §8: re-sign with smithy over only the signed headers and compare. Like verify(),
 * it must hash the body itself, since smithy would trust x-amz-content-sha256.
 */
async function smithyVerify(req: SignedRequest): Promise<boolean> {
  const params = parseAuthorization(req);
  if (params instanceof AuthError) return false;
  const headers: Record<string, string> = {};
  for (const name of params.signedHeaders) headers[name] = String(req.headers[name] ?? '');
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== bodyHash) return false;
  const signer = new SignatureV4({
    service: params.service,
    region: params.region,
    credentials: { accessKeyId: params.accessKeyId, secretAccessKey: KEY.secretAccessKey },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: 'x', path: req.path, query: {}, headers, body: req.body },
    { signingDate: new Date(params.requestTimeMs), signableHeaders: new Set(params.signedHeaders) },
  );
  const got = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  return got.length === params.signature.length && timingSafeEqual(Buffer.from(got), Buffer.from(params.signature));
}

async function measureAsync(step: (i: number) => Promise<unknown>, minSeconds: number): Promise<{ calls: number; perSecond: number }> {
  for (let i = 0; i < 500; i++) await step(i);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000) {
    for (let j = 0; j < 256; j++) await step(calls + j);
    calls += 256;
  }
  return { calls, perSecond: calls / ((performance.now() - start) / 1000) };
}

function measureSync(step: (i: number) => unknown, minSeconds: number): { calls: number; perSecond: number } {
  for (let i = 0; i < 500; i++) step(i);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000) {
    for (let j = 0; j < 1024; j++) step(calls + j);
    calls += 1024;
  }
  return { calls, perSecond: calls / ((performance.now() - start) / 1000) };
}

export async function run(options: BenchOptions = { quick: false, full: false }): Promise<void> {
  const now = new Date();
  const requests = await jsSdkGetRoles(now);
  const pick = (i: number) => requests[i % requests.length];

  // Agreement: both accept every request and refuse a tampered one.
  for (const req of requests) {
    if ((await verify(req, lookup, now)) instanceof AuthError) throw new Error('iamd refused a valid request');
    if (!(await smithyVerify(req))) throw new Error('the smithy recipe refused a valid request');
  }
  const tampered = { ...requests[0], body: Buffer.from('Action=GetRole&Version=2010-05-08&RoleName=admin') };
  if (!((await verify(tampered, lookup, now)) instanceof AuthError) || (await smithyVerify(tampered))) {
    throw new Error('a verifier accepted a tampered request');
  }

  const seconds = options.quick ? 0.5 : 2;
  const iamd = await measureAsync((i) => verify(pick(i), lookup, now), seconds);
  const smithy = await measureAsync((i) => smithyVerify(pick(i)), seconds);
  const parse = measureSync((i) => parseAuthorization(pick(i)), seconds);

  const micro = (perSecond: number) => (1e6 / perSecond).toFixed(1);
  console.log(
    table(
      ['verifier (JS SDK GetRole, 8 signed headers)', 'verifications/s', 'µs each', 'iamd is'],
      [
        ['iamd verify()', formatRate(iamd.perSecond), micro(iamd.perSecond), '—'],
        ['@smithy/signature-v4 re-sign + compare', formatRate(smithy.perSecond), micro(smithy.perSecond), `${formatRatio(iamd.perSecond / smithy.perSecond)} faster`],
        ['iamd parseAuthorization() only (routing)', formatRate(parse.perSecond), micro(parse.perSecond), ''],
      ],
    ),
  );
  const cost = 1e6 / iamd.perSecond;
  console.log(`\ngoal: verify under ${GOAL_MICROSECONDS} µs per request on one core — ${cost < GOAL_MICROSECONDS ? 'met' : 'NOT met'} (${cost.toFixed(1)} µs)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ quick: process.argv.includes('--quick'), full: false });
}

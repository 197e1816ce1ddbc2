// SigV4 for the fuzzer: requests signed by the AWS SDK's own signer (@smithy/signature-v4), in the
// Authorization header or presigned in the query string, or not signed at all — then, for some, one
// part of the signature broken or repeated: the signature, the credential scope's parts, the signed
// headers, the dates, the algorithm, the header's syntax, X-Amz-Expires, duplicated headers and
// parameters, a body changed after signing. A plan is plain data; `sign` carries it out at send time,
// since a signature holds the current time.

import fc from 'fast-check';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Transport } from './send.ts';
import { wellFormed, type HttpRequestSpec } from './wire.ts';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigTamper =
  | { kind: 'signature'; how: 'flip' | 'truncate' | 'empty' | 'non-hex' | 'upper' | 'double' }
  | { kind: 'credential-part'; part: number; value: string }
  | { kind: 'credential-parts'; count: number }
  | { kind: 'signed-headers'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'duplicate'; name: string; same: boolean }
  | { kind: 'token'; value: string }
  | { kind: 'algorithm'; value: string }
  | { kind: 'syntax'; how: 'no-commas' | 'extra-commas' | 'missing-equals' | 'duplicate-field' | 'spaces' | 'lowercase-fields' | 'drop-field' }
  | { kind: 'expires'; value: string }
  | { kind: 'both-forms' }
  | { kind: 'drop-param'; name: string }
  | { kind: 'body-after' };

export interface SignPlan {
  form: 'header' | 'presign' | 'none';
  /** The credential scope's service, when not the request's own (routing then follows the scope). */
  scopeService?: string;
  region: string;
  /** The signing time, this many seconds from now. */
  skewSeconds: number;
  /** Signed with a secret that is not the key's. */
  wrongSecret: boolean;
  expiresIn: number;
  tampers: SigTamper[];
}

const SIGNING_NAMES = ['iam', 'sts', 'ec2', 'monitoring', 'logs', 'memorydb', 'elasticache', 'mq', 'cloudtrail', 's3', 'nope'];

const tamper: fc.Arbitrary<SigTamper> = fc.oneof(
  fc.record({ kind: fc.constant('signature' as const), how: fc.constantFrom('flip' as const, 'truncate' as const, 'empty' as const, 'non-hex' as const, 'upper' as const, 'double' as const) }),
  fc.record({
    kind: fc.constant('credential-part' as const),
    part: fc.integer({ min: 0, max: 4 }),
    value: fc.constantFrom('', 'AKIANOPE', 'test', '20200101', '2026-01-01', 'us-east-1', 'eu-west-1', 'iam', 'memorydb', 'aws4_request', 'aws4', '%zz', '\u00e9'),
  }),
  fc.record({ kind: fc.constant('credential-parts' as const), count: fc.constantFrom(1, 4, 6) }),
  fc.record({ kind: fc.constant('signed-headers' as const), value: fc.constantFrom('', 'host', 'host;x-nope', 'HOST;X-AMZ-DATE', 'x-amz-date;host', 'host;host', ';', 'content-type;host;x-amz-date') }),
  fc.record({
    kind: fc.constant('date' as const),
    value: fc.constantFrom('', 'yesterday', '20261301T000000Z', '20260230T000000Z', '20260101T250000Z', '2026-01-01T00:00:00Z', '19700101T000000Z', '99991231T235959Z', 'Thu, 01 Jan 1970 00:00:00 GMT'),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), name: fc.constantFrom('authorization', 'x-amz-date', 'x-amz-security-token', 'host', 'x-amz-content-sha256', 'content-type', 'x-amz-target'), same: fc.boolean() }),
  fc.record({ kind: fc.constant('token' as const), value: fc.constantFrom('', 'FQoGZXIvYXdzEXAMPLE', 'x'.repeat(5000), '%zz') }),
  fc.record({ kind: fc.constant('algorithm' as const), value: fc.constantFrom('AWS4-HMAC-SHA512', 'aws4-hmac-sha256', 'AWS4-HMAC-SHA256,', 'AWS4', '', 'AWS4-ECDSA-P256-SHA256') }),
  fc.record({
    kind: fc.constant('syntax' as const),
    how: fc.constantFrom('no-commas' as const, 'extra-commas' as const, 'missing-equals' as const, 'duplicate-field' as const, 'spaces' as const, 'lowercase-fields' as const, 'drop-field' as const),
  }),
  fc.record({ kind: fc.constant('expires' as const), value: fc.constantFrom('-1', 'abc', '604801', '99999999999999999999', '', '0', '1.5') }),
  fc.constant({ kind: 'both-forms' as const }),
  fc.record({ kind: fc.constant('drop-param' as const), name: fc.constantFrom('X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature') }),
  fc.constant({ kind: 'body-after' as const }),
);

/** How a case is signed: mostly properly, the rest unsigned, skewed, misdirected or tampered with. */
export const signPlan: fc.Arbitrary<SignPlan> = fc.record({
  form: fc.constantFrom<SignPlan['form']>('header', 'header', 'header', 'header', 'header', 'header', 'presign', 'none'),
  scopeService: fc.option(fc.constantFrom(...SIGNING_NAMES), { nil: undefined, freq: 20 }),
  region: fc.oneof({ weight: 20, arbitrary: fc.constant('us-east-1') }, { weight: 1, arbitrary: fc.constantFrom('eu-west-1', 'ap-southeast-2', 'xx-nowhere-1') }),
  skewSeconds: fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-86_400, -960, -840, 840, 960, 86_400 * 400) }),
  wrongSecret: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  expiresIn: fc.constantFrom(60, 900, 604_800),
  tampers: fc.oneof({ weight: 6, arbitrary: fc.constant<SigTamper[]>([]) }, { weight: 2, arbitrary: fc.array(tamper, { minLength: 1, maxLength: 3 }) }),
});

/** Whether the plan leaves the credential scope naming the service the request was built for. */
export function keepsScope(plan: SignPlan): boolean {
  if (plan.form === 'none' || plan.scopeService !== undefined) return false;
  return !plan.tampers.some(
    (t) =>
      (t.kind === 'credential-part' && t.part === 3) ||
      t.kind === 'credential-parts' ||
      (t.kind === 'syntax' && (t.how === 'lowercase-fields' || t.how === 'drop-field' || t.how === 'no-commas' || t.how === 'missing-equals')) ||
      (t.kind === 'drop-param' && t.name === 'X-Amz-Credential') ||
      (t.kind === 'duplicate' && t.name === 'authorization' && !t.same),
  );
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (d: SourceData): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/**
 * SHA-256 for the signer from node:crypto: the fuzzer signs megabytes of bodies, and the pure-JS hash
 * the SigV4 tests use (to stay independent of the verifier's) would make the signing its bottleneck.
 */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    throw new Error('not needed by the signer');
  }
}

const signers = new Map<string, SignatureV4>();

function signerFor(credentials: SigningCredentials): SignatureV4 {
  const key = `${credentials.accessKeyId}\u0000${credentials.secretAccessKey}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({ service: 'iam', region: 'us-east-1', credentials, sha256: NodeSha256 });
    signers.set(key, signer);
  }
  return signer;
}

/** The query as the signer takes it: repeated names as lists; text the signer can encode. */
function queryRecord(pairs: readonly [string, string][]): Record<string, string | string[]> {
  // No prototype: parameter names such as `constructor` must not find Object's members.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k0, v0] of pairs) {
    const k = wellFormed(k0);
    const v = wellFormed(v0);
    const seen = out[k];
    if (seen === undefined) out[k] = v;
    else out[k] = Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return out;
}

function pairsOf(query: Record<string, string | string[] | null>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === null) out.push([k, '']);
    else for (const x of Array.isArray(v) ? v : [v]) out.push([k, x]);
  }
  return out;
}

function editAuthorization(req: HttpRequestSpec, edit: (value: string) => string): void {
  const i = req.headers.findIndex(([n]) => n === 'authorization');
  if (i >= 0) req.headers[i] = ['authorization', edit(req.headers[i][1])];
}

function editParam(req: HttpRequestSpec, name: string, edit: (value: string) => string | undefined): void {
  const i = req.query.findIndex(([n]) => n === name);
  if (i < 0) return;
  const v = edit(req.query[i][1]);
  if (v === undefined) req.query.splice(i, 1);
  else req.query[i] = [name, v];
}

const SIGNATURE = /Signature=([^,\s]*)/;
const CREDENTIAL = /Credential=([^,\s]*)/;

function damageSignature(sig: string, how: Extract<SigTamper, { kind: 'signature' }>['how']): string {
  switch (how) {
    case 'flip':
      return sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    case 'truncate':
      return sig.slice(0, 10);
    case 'empty':
      return '';
    case 'non-hex':
      return 'z'.repeat(64);
    case 'upper':
      return sig.toUpperCase();
    case 'double':
      return sig + sig;
  }
}

function damageCredential(credential: string, t: Extract<SigTamper, { kind: 'credential-part' | 'credential-parts' }>): string {
  const parts = credential.split('/');
  if (t.kind === 'credential-part') {
    parts[t.part] = t.value;
    return parts.join('/');
  }
  if (t.count < parts.length) return parts.slice(0, t.count).join('/');
  return [...parts, ...Array.from({ length: t.count - parts.length }, () => 'extra')].join('/');
}

function applyTamper(req: HttpRequestSpec, t: SigTamper, presigned: boolean, signingName: string): void {
  switch (t.kind) {
    case 'signature':
      editAuthorization(req, (a) => a.replace(SIGNATURE, (_, s: string) => `Signature=${damageSignature(s, t.how)}`));
      editParam(req, 'X-Amz-Signature', (s) => damageSignature(s, t.how));
      break;
    case 'credential-part':
    case 'credential-parts':
      editAuthorization(req, (a) => a.replace(CREDENTIAL, (_, c: string) => `Credential=${damageCredential(c, t)}`));
      editParam(req, 'X-Amz-Credential', (c) => damageCredential(c, t));
      break;
    case 'signed-headers':
      editAuthorization(req, (a) => a.replace(/SignedHeaders=[^,\s]*/, `SignedHeaders=${t.value}`));
      editParam(req, 'X-Amz-SignedHeaders', () => t.value);
      break;
    case 'date':
      req.headers = req.headers.map(([n, v]) => (n === 'x-amz-date' ? [n, t.value] : [n, v]));
      editParam(req, 'X-Amz-Date', () => t.value);
      break;
    case 'duplicate': {
      const existing = req.headers.find(([n]) => n === t.name);
      const value = existing?.[1] ?? 'x';
      req.headers.push([t.name, t.same ? value : t.name === 'authorization' ? value.replace(/Credential=[^/]*/, 'Credential=AKIAOTHER') : `${value}0`]);
      if (presigned && !existing) {
        const param = req.query.find(([n]) => n.toLowerCase() === `x-amz-${t.name.replace(/^x-amz-/, '')}`);
        if (param) req.query.push([param[0], t.same ? param[1] : `${param[1]}0`]);
      }
      break;
    }
    case 'token':
      if (presigned) req.query.push(['X-Amz-Security-Token', t.value]);
      else req.headers.push(['x-amz-security-token', t.value]);
      break;
    case 'algorithm':
      editAuthorization(req, (a) => a.replace(/^AWS4-HMAC-SHA256 ?/, t.value ? `${t.value} ` : ''));
      editParam(req, 'X-Amz-Algorithm', () => t.value);
      break;
    case 'syntax':
      editAuthorization(req, (a) => {
        switch (t.how) {
          case 'no-commas':
            return a.replace(/,/g, '');
          case 'extra-commas':
            return a.replace(/, /g, ',,, ');
          case 'missing-equals':
            return a.replace('SignedHeaders=', 'SignedHeaders');
          case 'duplicate-field':
            return `${a}, Credential=AKIAOTHER/20200101/us-east-1/${signingName}/aws4_request`;
          case 'spaces':
            return a.replace(/, /g, '  ,\t ').replace(/=/g, ' = ');
          case 'lowercase-fields':
            return a.replace(/(Credential|SignedHeaders|Signature)=/g, (f) => f.toLowerCase());
          case 'drop-field':
            return a.replace(/,? ?Credential=[^,]*/, '');
        }
      });
      break;
    case 'expires':
      if (req.query.some(([n]) => n === 'X-Amz-Expires')) editParam(req, 'X-Amz-Expires', () => t.value);
      else req.query.push(['X-Amz-Expires', t.value]);
      break;
    case 'both-forms': {
      // The second form names the same service, so the request is still routed to it.
      const credential = `test/20200101/us-east-1/${signingName}/aws4_request`;
      if (presigned) req.headers.push(['authorization', `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=${'0'.repeat(64)}`]);
      else req.query.push(['X-Amz-Signature', '0'.repeat(64)], ['X-Amz-Credential', credential]);
      break;
    }
    case 'drop-param':
      editParam(req, t.name, () => undefined);
      break;
    case 'body-after':
      // Content-Length follows the body: the request stays HTTP, only its signature no longer fits.
      req.body = Buffer.concat([req.body, Buffer.from(' ')]);
      req.headers = [...req.headers.filter(([n]) => n !== 'content-length'), ['content-length', String(req.body.length)]];
      break;
  }
}

/**
 * Signs `spec` for `host` as the plan says (or leaves it unsigned), then applies the plan's tampers.
 * `signingName` is the request's own service as SigV4 names it.
 */
export async function sign(spec: HttpRequestSpec, plan: SignPlan, credentials: SigningCredentials, signingName: string, host: string, now: Date): Promise<HttpRequestSpec> {
  const headers: [string, string][] = [['host', host], ...spec.headers.filter(([n]) => n !== 'host')];
  if (spec.body.length > 0 || spec.method !== 'GET') headers.push(['content-length', String(spec.body.length)]);
  const unsigned: HttpRequestSpec = { ...spec, headers, query: [...spec.query] };
  if (plan.form === 'none') {
    for (const t of plan.tampers) applyTamper(unsigned, t, false, signingName);
    return unsigned;
  }
  if (Transport.surelyBeyondHttp(unsigned)) {
    // Node refuses a request this long before iamd reads it, so its signature is never checked; the
    // SDK's signer would also take quadratic time over tens of thousands of query parameters.
    unsigned.headers.push(['authorization', `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20200101/${plan.region}/${signingName}/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`]);
    return unsigned;
  }
  const [hostname, port] = host.split(':');
  const request = {
    method: spec.method,
    protocol: 'http:',
    hostname,
    port: Number(port),
    path: spec.path,
    query: queryRecord(spec.query),
    headers: Object.fromEntries(headers.map(([n, v]) => [n, v])),
    body: spec.body.length ? new Uint8Array(spec.body) : undefined,
  };
  const signer = signerFor(plan.wrongSecret ? { ...credentials, secretAccessKey: `${credentials.secretAccessKey}x` } : credentials);
  const options = {
    signingDate: new Date(now.getTime() + plan.skewSeconds * 1000),
    signingService: plan.scopeService ?? signingName,
    signingRegion: plan.region,
  };
  // Presigning keeps X-Amz-Target a header: a JSON request is found by it, never by a query parameter.
  const signed =
    plan.form === 'presign'
      ? await signer.presign(request, { ...options, expiresIn: plan.expiresIn, unhoistableHeaders: new Set(['x-amz-target']) })
      : await signer.sign(request, options);
  const out: HttpRequestSpec = {
    method: spec.method,
    path: spec.path,
    query: spec.rawQuery === undefined ? pairsOf(signed.query as Record<string, string | string[] | null>) : [],
    headers: Object.entries(signed.headers as Record<string, string>).map(([n, v]) => [n.toLowerCase(), v]),
    body: spec.body,
  };
  if (spec.rawQuery !== undefined) {
    // The signature covers the query as decoded; the broken encoding goes on the wire as it is.
    const added = pairsOf(signed.query as Record<string, string | string[] | null>).filter(([n]) => n.startsWith('X-Amz-'));
    out.rawQuery = [spec.rawQuery, ...added.map(([n, v]) => `${n}=${encodeURIComponent(v)}`)].filter(Boolean).join('&');
  }
  for (const t of plan.tampers) applyTamper(out, t, plan.form === 'presign', signingName);
  return out;
}

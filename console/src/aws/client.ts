// The console's one way to reach iamd: the public AWS APIs on the page's own origin, each request
// signed with SigV4 in the browser with the signed-in user's credentials. Four wire protocols, the
// few each needs: Query (IAM, STS, ElastiCache), EC2's Query, JSON 1.1 (CloudTrail, MemoryDB) and
// REST-JSON (Amazon MQ). There is no other channel: what the console may do is what the user may do.

import { Sha256 } from '@aws-crypto/sha256-browser';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseXml, type Xml } from './xml.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An error answer of an AWS API: its code and message, shown as AWS words them. */
export class AwsError extends Error {
  override name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Target {
  /** The signing name (credential scope service). */
  service: string;
  region: string;
}

/** IAM answers from us-east-1 whatever the client's region. */
const GLOBAL_REGION = 'us-east-1';

let current: { credentials: Credentials; region: string } | undefined;

export function useCredentials(credentials: Credentials | undefined, region = 'us-east-1'): void {
  current = credentials ? { credentials, region } : undefined;
}

/** Whose credentials sign now: what the console keeps in memory for a user is kept under it. */
export function currentAccessKeyId(): string | undefined {
  return current?.credentials.accessKeyId;
}

export function currentRegion(): string {
  return current?.region ?? 'us-east-1';
}

/** Requests on their way: background work (the roles' search index) waits until there are none. */
let inFlight = 0;
let idleWaiters: (() => void)[] = [];
/** How long the page must have had no request before background work goes on: a click's next call starts within it. */
const IDLE_MS = 50;

function settled(): void {
  if (--inFlight > 0) return;
  setTimeout(() => {
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  }, IDLE_MS);
}

/** Resolves once no request of the page has been on its way for a moment. */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    idleWaiters.push(resolve);
    if (inFlight === 0) {
      inFlight++;
      settled();
    }
  });
}

async function signedFetch(
  target: Target,
  request: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: string },
  credentials = current?.credentials,
  signal?: AbortSignal,
): Promise<Response> {
  if (!credentials) throw new AwsError('NotSignedIn', 'Sign in first.', 0);
  const signer = new SignatureV4({ service: target.service, region: target.region, credentials, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign({
    method: request.method,
    protocol: location.protocol,
    hostname: location.hostname,
    ...(location.port ? { port: Number(location.port) } : {}),
    path: request.path,
    query: request.query ?? {},
    headers: { ...request.headers, host: location.host },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const headers = new Headers();
  // The browser sets Host itself, from the same origin that was signed.
  for (const [name, value] of Object.entries(signed.headers)) if (name.toLowerCase() !== 'host') headers.set(name, value);
  const qs = new URLSearchParams(request.query ?? {}).toString().replace(/\+/g, '%20');
  inFlight++;
  try {
    return await fetch(request.path + (qs ? `?${qs}` : ''), {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      credentials: 'omit',
      cache: 'no-store',
      ...(signal ? { signal } : {}),
    });
  } finally {
    settled();
  }
}

type Params = Record<string, unknown>;

/** Query-protocol parameters: `A.member.1.B` (or EC2's `A.1.B`), dates and booleans as text. */
function flatten(params: Params, ec2: boolean, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix + key;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const itemName = ec2 ? `${name}.${i + 1}` : `${name}.member.${i + 1}`;
        if (item !== null && typeof item === 'object') flatten(item as Params, ec2, `${itemName}.`, out);
        else out[itemName] = String(item);
      });
    } else if (value instanceof Date) out[name] = value.toISOString();
    else if (typeof value === 'object') flatten(value as Params, ec2, `${name}.`, out);
    else out[name] = String(value);
  }
  return out;
}

const VERSIONS: Record<string, string> = { iam: '2010-05-08', sts: '2011-06-15', elasticache: '2015-02-02', ec2: '2016-11-15' };

/** One Query or EC2 call; the answer's `<Action>Result` element (EC2: the response itself). */
export async function query<T = Xml>(
  service: 'iam' | 'sts' | 'elasticache' | 'ec2',
  action: string,
  params: Params = {},
  options: { credentials?: Credentials; signal?: AbortSignal } = {},
): Promise<T> {
  const ec2 = service === 'ec2';
  const form = new URLSearchParams({ Action: action, Version: VERSIONS[service], ...flatten(params, ec2) });
  const region = service === 'iam' ? GLOBAL_REGION : currentRegion();
  const response = await signedFetch(
    { service, region },
    { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString() },
    options.credentials,
    options.signal,
  );
  const text = await response.text();
  const doc = parseXml(text);
  if (!response.ok) {
    const error = doc?.Error ?? (doc?.Errors as Record<string, Xml> | undefined)?.Error;
    const e = (error ?? {}) as Record<string, Xml>;
    throw new AwsError(String(e.Code ?? `HTTP ${response.status}`), String(e.Message ?? (text || response.statusText)), response.status);
  }
  if (ec2) return doc as T;
  return ((doc?.[`${action}Result`] ?? {}) as T);
}

const JSON_TARGETS: Record<string, { prefix: string; signingName: string }> = {
  cloudtrail: { prefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', signingName: 'cloudtrail' },
  memorydb: { prefix: 'AmazonMemoryDB', signingName: 'memorydb' },
};

async function jsonAnswer<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    if (!response.ok) throw new AwsError(`HTTP ${response.status}`, text, response.status);
  }
  if (!response.ok) {
    const type = response.headers.get('x-amzn-errortype') ?? String(body.__type ?? body.code ?? `HTTP ${response.status}`);
    const code = type.split(':')[0].split('#').pop() ?? type;
    throw new AwsError(code, String(body.message ?? body.Message ?? response.statusText), response.status);
  }
  return body as T;
}

/** One JSON 1.1 call (CloudTrail, MemoryDB). */
export async function json<T>(service: 'cloudtrail' | 'memorydb', operation: string, input: Params = {}): Promise<T> {
  const target = JSON_TARGETS[service];
  const response = await signedFetch(
    { service: target.signingName, region: currentRegion() },
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${target.prefix}.${operation}` },
      body: JSON.stringify(input),
    },
  );
  return jsonAnswer<T>(response);
}

/** One REST-JSON call (Amazon MQ). */
export async function rest<T>(service: 'mq', method: string, path: string, query: Record<string, string> = {}): Promise<T> {
  const response = await signedFetch({ service, region: currentRegion() }, { method, path, query, headers: { 'content-type': 'application/json' } });
  return jsonAnswer<T>(response);
}

/** A signed GET of one of iamd's own analysis endpoints (authorized like an API call). */
export async function iamdGet<T>(path: string, query: Record<string, string>): Promise<T> {
  const response = await signedFetch({ service: 'iam', region: GLOBAL_REGION }, { method: 'GET', path, query, headers: {} });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new AwsError(`HTTP ${response.status}`, text || response.statusText, response.status);
  }
  // Errors come in the awsJson envelope (`__type`, `message`), as for the JSON services.
  if (!response.ok) throw new AwsError(String(body.__type ?? `HTTP ${response.status}`), String(body.message ?? body.error ?? text), response.status);
  return body as T;
}

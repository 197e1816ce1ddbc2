// Which service a request is for and which wire protocol it speaks. The SigV4 credential scope names
// the service (`…/us-east-1/iam/aws4_request`); unsigned requests are placed by X-Amz-Target, by
// path, or by the Query `Version`.

import { serviceModel } from './model.ts';
import { parseForm } from './query.ts';
import { findRoute } from './rest.ts';
import { serviceNames, serviceWire, type ServiceName, type WireProtocol } from './wire.ts';

export interface ServiceTarget {
  service: ServiceName;
  protocol: WireProtocol;
}

export interface WireRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query string. */
  path: string;
  query: URLSearchParams;
  /** Node's lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** SigV4 signing name → service (CloudWatch signs as `monitoring`). */
let bySigningName: Map<string, ServiceName> | undefined;
const serviceSigningAs = (name: string): ServiceName | undefined =>
  (bySigningName ??= new Map(serviceNames().map((s) => [signingNameOf(s), s]))).get(name);

export function signingNameOf(service: ServiceName): string {
  const m = serviceModel(service).metadata;
  return m.signingName ?? m.endpointPrefix;
}

export function header(req: Pick<WireRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const SCOPE = /Credential=[^/,\s]*\/\d{8}\/[^/,\s]*\/([^/,\s]+)\/aws4_request/;

/** The service named by the request's SigV4 credential scope (header or presigned query). */
export function scopeService(req: Pick<WireRequest, 'headers' | 'query'>): string | undefined {
  const auth = header(req, 'authorization');
  if (auth) return SCOPE.exec(auth)?.[1];
  const credential = req.query.get('X-Amz-Credential');
  if (credential) return credential.split('/')[3];
  return undefined;
}

/**
 * Whether an `X-Amz-Target` prefix names the service. CloudTrail's model prefix is
 * `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`, which botocore sends whole while the JS SDK
 * sends only its last segment (`CloudTrail_20131101`); both reach the service.
 */
export function isTargetPrefixOf(metadata: { targetPrefix?: string }, prefix: string): boolean {
  const own = metadata.targetPrefix;
  if (own === undefined || prefix === '') return false;
  return own === prefix || own.endsWith(`.${prefix}`);
}

function byTarget(target: string): ServiceName | undefined {
  const prefix = target.slice(0, target.lastIndexOf('.'));
  for (const s of serviceNames()) if (isTargetPrefixOf(serviceModel(s).metadata, prefix)) return s;
  return undefined;
}

function byVersion(req: WireRequest): ServiceName | undefined {
  const version =
    req.query.get('Version') ?? (req.method === 'POST' && req.body.length ? parseForm(req.body.toString('utf8')).get('Version') : undefined);
  if (!version) return undefined;
  for (const s of serviceNames()) if (serviceModel(s).metadata.apiVersion === version && serviceWire(s).protocol !== 'rest-json') return s;
  return undefined;
}

/**
 * Whether an unsigned request is a restJson1 service's by its path: under the service's own prefix
 * (MQ's `/v1/`), or — for a service without one (Access Analyzer's `/policy/validation`, `/analyzer`, …)
 * — matching one of its operations' routes.
 */
function servesPath(service: ServiceName, req: WireRequest): boolean {
  const wire = serviceWire(service);
  if (wire.pathPrefix !== undefined) return req.path.startsWith(wire.pathPrefix);
  if (wire.protocol !== 'rest-json') return false;
  try {
    findRoute(serviceModel(service), req.method, req.path);
    return true;
  } catch {
    return false;
  }
}

/** A service that also accepts Query (CloudWatch) answers JSON to JSON requests and XML to form bodies. */
function protocolOf(service: ServiceName, req: WireRequest): WireProtocol {
  const wire = serviceWire(service);
  if (!wire.acceptsQuery) return wire.protocol;
  if (header(req, 'x-amz-target') !== undefined) return wire.protocol;
  return (header(req, 'content-type') ?? '').includes('json') ? 'json' : 'query';
}

/**
 * Which service and protocol a request is for. Unknown or absent scopes fall back to X-Amz-Target,
 * a restJson1 service's path prefix (MQ's `/v1/`) and the Query `Version`, then to IAM, whose decoder then answers with the
 * error a malformed Query request gets. Authentication must still check that the scope's service is
 * `signingNameOf(target.service)`.
 */
export function resolveService(req: WireRequest): ServiceTarget {
  const scoped = scopeService(req);
  let service = scoped !== undefined ? serviceSigningAs(scoped) : undefined;
  if (!service) {
    const target = header(req, 'x-amz-target');
    if (target) service = byTarget(target);
  }
  if (!service) service = serviceNames().find((s) => servesPath(s, req));
  if (!service) service = byVersion(req) ?? 'iam';
  return { service, protocol: protocolOf(service, req) };
}

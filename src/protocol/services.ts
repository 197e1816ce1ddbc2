// Which service a request is for and which wire protocol it speaks. The SigV4 credential scope names
// the service (`…/us-east-1/iam/aws4_request`); unsigned requests are placed by X-Amz-Target, by
// path, or by the Query `Version`.

import { SERVICE_NAMES, serviceModel, type ServiceName } from './model.ts';
import { parseForm } from './query.ts';

export type WireProtocol = 'query' | 'ec2' | 'json' | 'rest-json';

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

/** The protocol each service speaks by default (CloudWatch also takes awsQuery, see `protocolOf`). */
const DEFAULT_PROTOCOL: Record<ServiceName, WireProtocol> = {
  iam: 'query',
  sts: 'query',
  elasticache: 'query',
  cloudwatch: 'json',
  memorydb: 'json',
  logs: 'json',
  mq: 'rest-json',
  ec2: 'ec2',
  cloudtrail: 'json',
};

/** SigV4 signing name → service (CloudWatch signs as `monitoring`). */
const BY_SIGNING_NAME = new Map<string, ServiceName>(
  SERVICE_NAMES.map((s) => [signingNameOf(s), s]),
);

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
  for (const s of SERVICE_NAMES) if (isTargetPrefixOf(serviceModel(s).metadata, prefix)) return s;
  return undefined;
}

function byVersion(req: WireRequest): ServiceName | undefined {
  const version =
    req.query.get('Version') ?? (req.method === 'POST' && req.body.length ? parseForm(req.body.toString('utf8')).get('Version') : undefined);
  if (!version) return undefined;
  for (const s of SERVICE_NAMES) if (serviceModel(s).metadata.apiVersion === version && DEFAULT_PROTOCOL[s] !== 'rest-json') return s;
  return undefined;
}

/** CloudWatch answers JSON to JSON requests and XML to the form bodies of older SDKs. */
function protocolOf(service: ServiceName, req: WireRequest): WireProtocol {
  if (service !== 'cloudwatch') return DEFAULT_PROTOCOL[service];
  if (header(req, 'x-amz-target') !== undefined) return 'json';
  return (header(req, 'content-type') ?? '').includes('json') ? 'json' : 'query';
}

/**
 * Which service and protocol a request is for. Unknown or absent scopes fall back to X-Amz-Target,
 * the MQ path prefix and the Query `Version`, then to IAM, whose decoder then answers with the
 * error a malformed Query request gets. Authentication must still check that the scope's service is
 * `signingNameOf(target.service)`.
 */
export function resolveService(req: WireRequest): ServiceTarget {
  const scoped = scopeService(req);
  let service = scoped !== undefined ? BY_SIGNING_NAME.get(scoped) : undefined;
  if (!service) {
    const target = header(req, 'x-amz-target');
    if (target) service = byTarget(target);
  }
  if (!service && req.path.startsWith('/v1/')) service = 'mq';
  if (!service) service = byVersion(req) ?? 'iam';
  return { service, protocol: protocolOf(service, req) };
}

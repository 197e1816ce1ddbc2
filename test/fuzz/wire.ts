// Operation inputs → HTTP requests, in each wire protocol as the SDKs write them: awsQuery and
// ec2Query parameters (form body or query string), awsJson bodies with X-Amz-Target, restJson1 paths,
// query strings, headers and bodies. The input may be anything (mutations.ts breaks it on purpose):
// members the model knows are written under their wire names, others as they are, values of the
// wrong type as whatever they are, and `Raw` text verbatim — so a broken input reaches the server as
// exactly the broken request a careless client would send.

import type { Operation, Shape } from '../../src/protocol/model.ts';
import type { ServiceModel } from '../../src/protocol/model.ts';
import type { WireProtocol } from '../../src/protocol/index.ts';

/** Text that goes on the wire as it is: a JSON token the writer would never produce, a raw query value. */
export class Raw {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `Raw(${this.text})`;
  }
}

export interface HttpRequestSpec {
  method: string;
  /** As sent: percent-encoded, without the query string. */
  path: string;
  /** Decoded name/value pairs; sent percent-encoded, in this order. */
  query: [string, string][];
  /** When set, sent instead of `query` (for encodings `query` cannot hold, such as `%zz`). */
  rawQuery?: string;
  /** Lower-case names; a name may repeat. */
  headers: [string, string][];
  body: Buffer;
}

/** How an awsQuery / ec2Query request carries its parameters. */
export type QueryForm = 'form' | 'get';

const HEX = '0123456789ABCDEF';

/** Lone surrogates replaced by U+FFFD, as UTF-8 encoding writes them (the signer's encoder would throw). */
export const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** RFC 3986 percent-encoding of the UTF-8 bytes (a lone surrogate goes as U+FFFD, as Buffer writes it). */
export function percentEncode(s: string): string {
  return encodeURIComponent(wellFormed(s)).replace(/[!'()*]/g, (c) => '%' + HEX[c.charCodeAt(0) >> 4] + HEX[c.charCodeAt(0) & 15]);
}

export const encodePairs = (pairs: readonly [string, string][]): string => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Raw) && !Buffer.isBuffer(v);

/** A scalar as query / header / label text. */
export function scalarText(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

type Dialect = 'query' | 'ec2';

/** Flattens a value into `Name.member.1.Key=value` parameters (awsQuery) or `Name.1.Key=value` (ec2Query). */
function flatten(shape: Shape | undefined, v: unknown, prefix: string, out: [string, string][], dialect: Dialect, flattened: boolean): void {
  if (v === undefined) return;
  if (Array.isArray(v)) {
    if (v.length === 0 && dialect === 'query') out.push([prefix, '']);
    const list = shape?.type === 'list' ? shape : undefined;
    const item = dialect === 'ec2' || flattened || list?.flattened ? '' : `.${list?.member!.locationName ?? 'member'}`;
    v.forEach((x, i) => flatten(list?.member!.shape, x, `${prefix}${item}.${i + 1}`, out, dialect, false));
    return;
  }
  if (isPlainObject(v)) {
    if (shape?.type === 'map') {
      const entry = flattened || shape.flattened ? '' : '.entry';
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      Object.entries(v).forEach(([k, x], i) => {
        out.push([`${prefix}${entry}.${i + 1}.${keyName}`, k]);
        flatten(shape.value!.shape, x, `${prefix}${entry}.${i + 1}.${valueName}`, out, dialect, false);
      });
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      const m = shape?.type === 'structure' ? shape.membersByName.get(k) : undefined;
      const key = m ? (dialect === 'ec2' ? m.ec2Key : m.queryKey) : k;
      flatten(m?.shape, x, prefix ? `${prefix}.${key}` : key, out, dialect, m?.flattened ?? false);
    }
    return;
  }
  out.push([prefix, scalarText(v)]);
}

/** JSON text of a value, by shape where the shape is known (timestamps, blobs, member names). */
export function jsonText(shape: Shape | undefined, v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (v === null || v === undefined) return 'null';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return 'null';
    return shape?.timestampFormat === 'iso8601' ? JSON.stringify(v.toISOString()) : String(v.getTime() / 1000);
  }
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    const element = shape?.type === 'list' ? shape.member!.shape : undefined;
    return `[${v.map((x) => jsonText(element, x)).join(',')}]`;
  }
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    if (shape?.type === 'map') {
      parts.push(`${JSON.stringify(k)}:${jsonText(shape.value!.shape, x)}`);
      continue;
    }
    const m = shape?.type === 'structure' ? shape.membersByName.get(k) : undefined;
    if (m?.location) continue;
    parts.push(`${JSON.stringify(m?.jsonKey ?? k)}:${jsonText(m?.shape, x)}`);
  }
  return `{${parts.join(',')}}`;
}

function queryRequest(model: ServiceModel, op: Operation, input: Record<string, unknown>, dialect: Dialect, form: QueryForm): HttpRequestSpec {
  const params: [string, string][] = [['Action', op.name], ['Version', model.metadata.apiVersion]];
  flatten(op.input, input, '', params, dialect, false);
  if (form === 'get') return { method: 'GET', path: '/', query: params, headers: [], body: Buffer.alloc(0) };
  return {
    method: 'POST',
    path: '/',
    query: [],
    headers: [['content-type', 'application/x-www-form-urlencoded; charset=utf-8']],
    body: Buffer.from(encodePairs(params)),
  };
}

/** `short`: the JS SDK's X-Amz-Target prefix for CloudTrail (the last segment of the model's). */
function jsonRpcRequest(model: ServiceModel, op: Operation, input: Record<string, unknown>, short: boolean): HttpRequestSpec {
  const prefix = model.metadata.targetPrefix!;
  const target = short ? prefix.slice(prefix.lastIndexOf('.') + 1) : prefix;
  return {
    method: 'POST',
    path: '/',
    query: [],
    headers: [
      ['content-type', `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`],
      ['x-amz-target', `${target}.${op.name}`],
    ],
    body: Buffer.from(jsonText(op.input, input)),
  };
}

function restJsonRequest(op: Operation, input: Record<string, unknown>): HttpRequestSpec {
  const [template, staticQuery] = op.requestUri.split('?');
  const query: [string, string][] = staticQuery ? [...new URLSearchParams(staticQuery)] : [];
  const headers: [string, string][] = [];
  const labels: Record<string, string> = {};
  let hasBody = false;
  for (const m of op.input?.members ?? []) {
    const v = input[m.name];
    const wire = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri':
        labels[wire] = v === undefined ? '' : scalarText(v);
        break;
      case 'querystring':
        if (Array.isArray(v)) for (const x of v) query.push([wire, scalarText(x)]);
        else if (v !== undefined) query.push([wire, scalarText(v)]);
        break;
      case 'header':
        // Header values are Latin-1 on the wire; anything else would be refused by the client itself.
        if (v !== undefined) headers.push([wire.toLowerCase(), scalarText(v).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')]);
        break;
      default:
        hasBody = true;
    }
  }
  const path = template.replace(/\{([^}+]+)\+?\}/g, (_, label: string) => percentEncode(labels[label] ?? ''));
  if (!hasBody) return { method: op.method, path, query, headers, body: Buffer.alloc(0) };
  headers.push(['content-type', 'application/json']);
  return { method: op.method, path, query, headers, body: Buffer.from(jsonText(op.input, input)) };
}

export interface EncodeOptions {
  /** awsQuery / ec2Query: form body (POST) or query string (GET). */
  form?: QueryForm;
  /** awsJson: the short X-Amz-Target prefix (CloudTrail through the JS SDK). */
  shortTarget?: boolean;
}

/** The request an SDK would send for `input`, in `protocol`. */
export function encodeRequest(model: ServiceModel, protocol: WireProtocol, op: Operation, input: Record<string, unknown>, options: EncodeOptions = {}): HttpRequestSpec {
  switch (protocol) {
    case 'query':
      return queryRequest(model, op, input, 'query', options.form ?? 'form');
    case 'ec2':
      return queryRequest(model, op, input, 'ec2', options.form ?? 'form');
    case 'json':
      return jsonRpcRequest(model, op, input, options.shortTarget === true);
    case 'rest-json':
      return restJsonRequest(op, input);
  }
}

// restJson1 (Amazon MQ): an operation is found by method + URI template (`/v1/brokers/{broker-id}`);
// its input gathers path labels, query-string members, header members and the JSON body
// (ec2-protocol.md § 5).

import type { Operation, ServiceModel, Shape } from './model.ts';
import { fromJson, parseJsonBody } from './json.ts';
import { noRoute, serializationError } from './errors.ts';

interface Route {
  operation: Operation;
  /** Literal path segments, or a label name (`{broker-id}` → `broker-id`). */
  segments: { literal?: string; label?: string; greedy?: boolean }[];
  literals: number;
}

const routeTables = new WeakMap<ServiceModel, Map<string, Route[]>>();

function routesOf(model: ServiceModel): Map<string, Route[]> {
  let table = routeTables.get(model);
  if (table) return table;
  table = new Map();
  for (const op of model.operations.values()) {
    const path = op.requestUri.split('?')[0];
    const segments = path.split('/').slice(1).map((s) => {
      const label = /^\{([^}]+?)(\+)?\}$/.exec(s);
      return label ? { label: label[1], greedy: label[2] === '+' } : { literal: s };
    });
    const route: Route = { operation: op, segments, literals: segments.filter((s) => s.literal !== undefined).length };
    const list = table.get(op.method) ?? [];
    list.push(route);
    table.set(op.method, list);
  }
  // The most specific template wins when two match (`/v1/brokers/x` before `/v1/brokers/{id}`).
  for (const list of table.values()) list.sort((a, b) => b.literals - a.literals);
  routeTables.set(model, table);
  return table;
}

function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw serializationError(`Invalid percent-encoding in path segment '${raw}'.`);
  }
}

function match(route: Route, parts: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const segs = route.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (s.greedy) {
      if (i >= parts.length) return undefined;
      labels[s.label!] = parts.slice(i).map(decodeLabel).join('/');
      return labels;
    }
    if (i >= parts.length) return undefined;
    if (s.literal !== undefined) {
      if (s.literal !== parts[i]) return undefined;
    } else {
      if (parts[i] === '') return undefined;
      labels[s.label!] = decodeLabel(parts[i]);
    }
  }
  return parts.length === segs.length ? labels : undefined;
}

export function findRoute(model: ServiceModel, method: string, path: string): { operation: Operation; labels: Record<string, string> } {
  const parts = path.split('/').slice(1);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing slash
  for (const route of routesOf(model).get(method.toUpperCase()) ?? []) {
    const labels = match(route, parts);
    if (labels) return { operation: route.operation, labels };
  }
  throw noRoute(method, path);
}

/** A label, query or header value read as a scalar of `shape`. */
function scalarFromString(shape: Shape, raw: string, where: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^[+-]?\d{1,20}$/.test(raw)) throw serializationError(`Expected an integer for ${where}.`);
      return Number(raw);
    }
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || (Number.isNaN(n) && raw !== 'NaN')) throw serializationError(`Expected a number for ${where}.`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw serializationError(`Expected true or false for ${where}.`);
      return raw === 'true';
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
      if (Number.isNaN(ms)) throw serializationError(`Expected a timestamp for ${where}.`);
      return new Date(ms);
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function decodeRestInput(model: ServiceModel, req: RestRequest): { operation: Operation; input: Record<string, unknown> } {
  const { operation, labels } = findRoute(model, req.method, req.path);
  const shape = operation.input;
  if (!shape) return { operation, input: {} };
  const hasBody = shape.members.some((m) => !m.location);
  const input: Record<string, unknown> = hasBody && req.body.length ? (fromJson(shape, parseJsonBody(req.body), '') as Record<string, unknown>) : {};
  for (const m of shape.members) {
    const wire = m.locationName ?? m.name;
    switch (m.location) {
      case 'uri':
        if (labels[wire] !== undefined) input[m.name] = scalarFromString(m.shape, labels[wire], wire);
        break;
      case 'querystring': {
        if (m.shape.type === 'list') {
          const all = req.query.getAll(wire);
          if (all.length) input[m.name] = all.map((v) => scalarFromString(m.shape.member!.shape, v, wire));
        } else if (m.shape.type === 'map') {
          // A map bound to the query string takes every parameter no other member claims.
          const out: Record<string, string> = {};
          for (const [k, v] of req.query) if (!shape.members.some((o) => o.location === 'querystring' && o.locationName === k)) out[k] = v;
          input[m.name] = out;
        } else {
          const v = req.query.get(wire);
          if (v !== null) input[m.name] = scalarFromString(m.shape, v, wire);
        }
        break;
      }
      case 'header': {
        const h = req.headers[wire.toLowerCase()];
        const v = Array.isArray(h) ? h.join(',') : h;
        if (v !== undefined) input[m.name] = scalarFromString(m.shape, v, wire);
        break;
      }
      default:
        break;
    }
  }
  return { operation, input };
}

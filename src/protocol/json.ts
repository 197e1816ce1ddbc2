// JSON bodies of awsJson 1.0/1.1 and restJson1, read and written by shape: member keys (member
// name, or `locationName` where the model gives one — MQ's camelCase), timestamps as epoch seconds
// unless the shape says otherwise (MQ: ISO 8601), blobs as base64, non-finite doubles as strings.

import type { Shape } from './model.ts';
import { serializationError } from './errors.ts';
import { defineKey } from './query.ts';
import { Reusable } from '../common/reusable.ts';

const EPOCH_OR_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a JSON request body; an empty body is an empty input. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('The request body is not valid JSON.');
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const mismatch = (path: string, expected: string, v: unknown): never => {
  throw serializationError(`Expected ${expected} at '${path}' but found ${typeName(v)}.`);
};

/** Reads a parsed JSON value as `shape`; anything of the wrong type is a SerializationException. */
export function fromJson(shape: Shape, v: unknown, path: string): unknown {
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return mismatch(path, 'an object', v);
      const out: Record<string, unknown> = {};
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        const m = shape.byJsonKey.get(k);
        if (!m || raw === null) continue;
        out[m.name] = fromJson(m.shape, raw, path ? `${path}.${k}` : k);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) return mismatch(path, 'an array', v);
      const element = shape.member!.shape;
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) if (v[i] !== null) out.push(fromJson(element, v[i], `${path}.${i + 1}`));
      return out;
    }
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return mismatch(path, 'an object', v);
      const out: Record<string, unknown> = {};
      const valueShape = shape.value!.shape;
      for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        if (raw !== null) defineKey(out, k, fromJson(valueShape, raw, `${path}.${k}`));
      }
      return out;
    }
    case 'string':
      return typeof v === 'string' ? v : mismatch(path, 'a string', v);
    case 'boolean':
      return typeof v === 'boolean' ? v : mismatch(path, 'a boolean', v);
    case 'integer':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v) ? v : mismatch(path, 'an integer', v);
    case 'float':
    case 'double':
      if (typeof v === 'number') return v;
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      return mismatch(path, 'a number', v);
    case 'timestamp':
      return readTimestamp(v, path);
    case 'blob':
      return typeof v === 'string' ? Buffer.from(v, 'base64') : mismatch(path, 'a base64 string', v);
    default:
      return v;
  }
}

/** Epoch seconds (JS SDK: fractional, botocore: whole) or an ISO 8601 string. */
function readTimestamp(v: unknown, path: string): Date {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(Math.round(v * 1000));
  if (typeof v === 'string' && EPOCH_OR_ISO.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return mismatch(path, 'a timestamp', v);
}

/** A timestamp output value: a Date, epoch milliseconds or an ISO string. */
export function toDate(v: unknown): Date | undefined {
  const d = v instanceof Date ? v : typeof v === 'number' || typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** Writes an output value of `shape` as a JSON-ready value (undefined to leave it out). */
export function toJson(shape: Shape, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object') return undefined;
      const obj = v instanceof Reusable ? v.value() : (v as Record<string, unknown>);
      const out: Record<string, unknown> = {};
      for (const m of shape.members) {
        if (m.location) continue;
        const j = toJson(m.shape, obj[m.name]);
        if (j !== undefined) out[m.jsonKey] = j;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(v)) return undefined;
      const element = shape.member!.shape;
      return v.map((item) => toJson(element, item) ?? null);
    }
    case 'map': {
      if (typeof v !== 'object') return undefined;
      const out: Record<string, unknown> = {};
      const valueShape = shape.value!.shape;
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) defineKey(out, k, toJson(valueShape, item) ?? null);
      return out;
    }
    case 'timestamp': {
      const d = toDate(v);
      if (!d) return undefined;
      if (shape.timestampFormat === 'iso8601') return d.toISOString();
      if (shape.timestampFormat === 'rfc822') return d.toUTCString();
      return d.getTime() / 1000;
    }
    case 'blob':
      return Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64');
    case 'float':
    case 'double': {
      const n = Number(v);
      return Number.isFinite(n) ? n : String(n);
    }
    case 'integer':
    case 'long':
      return Number(v);
    case 'boolean':
      return Boolean(v);
    default:
      return String(v);
  }
}

// The inverse of json-reader: a document read by it, changed, and written back keeps every number
// exactly as it was written (`JSON.stringify` cannot: numbers there are already doubles) and every
// object's keys in their order, so what a policy means is what it meant before the change.

import { isJsonObject, JsonNumber, type JsonValue } from './json-reader.ts';

export function writeJson(value: JsonValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (isJsonObject(value)) return `{${[...value].map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  throw new TypeError('not a JSON value');
}

// Generates the compact wire-protocol tables in src/protocol/models/<service>.json from the botocore
// service models in the shared reference folder: documentation stripped, only what decoding,
// validation and encoding need. Deterministic (sorted operations and shapes, member order kept as in
// the model, since it is the order outputs are serialized in), so a re-run changes nothing.
//
//   npm run gen:models [-- referenceDir]     (every service of src/services/registry.ts)

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceDescriptor } from '../src/services/descriptor.ts';
import { SERVICES } from '../src/services/registry.ts';

type Json = Record<string, unknown>;

const METADATA_KEYS = [
  'protocol', 'protocols', 'apiVersion', 'signingName', 'endpointPrefix', 'targetPrefix', 'jsonVersion',
  'xmlNamespace', 'awsQueryCompatible', 'serviceId',
];
const SHAPE_KEYS = [
  'type', 'required', 'min', 'max', 'pattern', 'enum', 'timestampFormat', 'flattened', 'locationName',
  'xmlNamespace', 'exception', 'fault', 'sensitive',
];
const MEMBER_KEYS = [
  'shape', 'locationName', 'location', 'queryName', 'xmlNamespace', 'xmlAttribute', 'flattened', 'jsonvalue',
  'idempotencyToken',
];

function pick(from: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

function sortedObject<T>(entries: [string, T][]): Record<string, T> {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function compactShape(shape: Json): Json {
  const out = pick(shape, SHAPE_KEYS);
  const members = shape.members as Record<string, Json> | undefined;
  if (members) {
    out.members = Object.fromEntries(Object.entries(members).map(([name, m]) => [name, pick(m, MEMBER_KEYS)]));
  }
  for (const ref of ['member', 'key', 'value'] as const) {
    const r = shape[ref] as Json | undefined;
    if (r) out[ref] = pick(r, MEMBER_KEYS);
  }
  const error = shape.error as Json | undefined;
  if (error) out.error = pick(error, ['code', 'httpStatusCode', 'senderFault']);
  return out;
}

function compactOperation(op: Json): Json {
  const out: Json = { http: pick(op.http as Json, ['method', 'requestUri', 'responseCode']) };
  const input = op.input as Json | undefined;
  const output = op.output as Json | undefined;
  if (input) out.input = input.shape;
  if (output) {
    out.output = output.shape;
    if (output.resultWrapper) out.resultWrapper = output.resultWrapper;
  }
  const errors = (op.errors as Json[] | undefined)?.map((e) => e.shape as string);
  if (errors?.length) out.errors = errors;
  const auth = op.auth as string[] | undefined;
  if (op.authtype === 'none' || (auth && auth.length === 1 && auth[0] === 'smithy.api#noAuth')) out.unsigned = true;
  return out;
}

/** The shapes reachable from the chosen operations' inputs, outputs and errors. */
function reachableShapes(shapes: Record<string, Json>, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const s = shapes[name];
    if (!s) throw new Error(`shape ${name} is referenced but not defined`);
    for (const m of Object.values((s.members as Record<string, Json>) ?? {})) stack.push(m.shape as string);
    for (const ref of ['member', 'key', 'value']) {
      const r = s[ref] as Json | undefined;
      if (r) stack.push(r.shape as string);
    }
  }
  return seen;
}

export function compactModel(model: Json, only?: readonly string[]): Json {
  const allOps = model.operations as Record<string, Json>;
  const shapes = model.shapes as Record<string, Json>;
  const names = only ?? Object.keys(allOps);
  for (const n of names) if (!allOps[n]) throw new Error(`operation ${n} is not in the model`);
  const operations = names.map((n) => [n, compactOperation(allOps[n])] as [string, Json]);
  const roots: string[] = [];
  for (const [, op] of operations) {
    for (const k of ['input', 'output'] as const) if (op[k]) roots.push(op[k] as string);
    for (const e of (op.errors as string[] | undefined) ?? []) roots.push(e);
  }
  // The services' own common errors are part of their vocabulary even where no chosen operation lists
  // them (CloudWatch's InvalidParameterValue, ...): keep every error shape.
  for (const [name, s] of Object.entries(shapes)) if (s.exception) roots.push(name);
  const keep = reachableShapes(shapes, roots);
  return {
    metadata: pick(model.metadata as Json, METADATA_KEYS),
    operations: sortedObject(operations),
    shapes: sortedObject([...keep].map((n) => [n, compactShape(shapes[n])] as [string, Json])),
  };
}

/** The wire facts of every service, in the registry's order: what the protocol layer reads at load. */
export function wireTable(services: readonly ServiceDescriptor[]): string {
  const table = Object.fromEntries(services.map(({ name, wire: { source: _source, ...wire } }) => [name, wire]));
  return JSON.stringify(table, null, 1) + '\n';
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const referenceDir = process.argv[2] ?? fileURLToPath(new URL('../../shared/reference', import.meta.url));
  const outDir = join(here, '..', 'src', 'protocol', 'models');
  mkdirSync(outDir, { recursive: true });
  for (const { name, wire } of SERVICES) {
    const model = JSON.parse(readFileSync(join(referenceDir, 'botocore', `${wire.source.file}.service-2.json`), 'utf8')) as Json;
    const compact = compactModel(model, wire.source.operations);
    const text = JSON.stringify(compact, null, 1) + '\n';
    writeFileSync(join(outDir, `${name}.json`), text);
    const ops = Object.keys(compact.operations as Json).length;
    const shapes = Object.keys(compact.shapes as Json).length;
    console.log(`${name}: ${ops} operations, ${shapes} shapes, ${text.length} bytes`);
  }
  writeFileSync(join(outDir, 'services.json'), wireTable(SERVICES));
  console.log(`services.json: ${SERVICES.length} services`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

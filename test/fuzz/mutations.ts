// Mutations of a well-formed input, before it is encoded: a member left out (required ones included),
// an unknown member added, a value of the wrong type, a huge or an empty value, or one of the values
// that trip parsers (lone surrogates, NUL, `__proto__`, numbers beyond 64 bits, impossible dates).
// A mutation is plain data (what, and where as an index into the input's places), so the case that
// holds it prints and replays exactly.

import fc from 'fast-check';
import type { Shape } from '../../src/protocol/model.ts';
import { Raw } from './wire.ts';

export type InputMutation =
  | { kind: 'drop'; at: number }
  | { kind: 'unknown'; at: number; name: string; value: unknown }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'huge'; at: number; size: number };

const SPECIAL_STRINGS = [
  '', ' ', '\u0000', 'a\u0001b', '\u0008', '\ud800', '\udfff\ud800', '\uffff', '\ufffe', '\u{1F600}', '\u00e9', '\u202e', '\u2028',
  '%', '%zz', '%FF%FE', '+', '&', '=', '&Action=DeleteRole', '<x/>', ']]>', '&amp;', '"', "'", '\\', '\r\n', ' padded ',
  '__proto__', 'constructor', 'hasOwnProperty', '${aws:username}', 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(40), 'true', 'null',
  '[]', '{}', '..', '/', '//', '/../../x', 'a'.repeat(129), 'x'.repeat(1025), 'arn:aws:iam::123456789012:role/../x', 'arn:', '*',
];
const SPECIAL_NUMBERS: unknown[] = [
  0, -1, 1.5, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, Number.MIN_VALUE, -1e308,
  new Raw('1e400'), new Raw('-1e400'), new Raw('NaN'), new Raw('9007199254740993'), new Raw('123456789012345678901234567890'),
  new Raw('0x10'), new Raw('00012'), new Raw('1_000'), new Raw('+1'), new Raw('.5'), new Raw('1.'), new Raw('1e-400'),
];
const SPECIAL_OTHER: unknown[] = [
  true, false, null, [], {}, [[]], [null], { __proto__: null, x: 1 }, new Raw('True'), new Raw('2020-02-30T00:00:00Z'),
  new Raw('0000-00-00T00:00:00Z'), new Raw('+275760-09-13T00:00:00Z'), new Raw('-62135596800'), new Raw('9999999999999999'),
  new Raw('"\\ud800"'), new Raw('"\\u0000"'), new Raw('{"__proto__":{"polluted":1}}'), new Raw('{"constructor":{"prototype":{"x":1}}}'),
  new Raw(`${'['.repeat(3000)}${']'.repeat(3000)}`), new Raw(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`), new Date(8.64e15), new Date(-8.64e15),
  Buffer.from([0xff, 0xfe, 0x00]),
];

export const specialValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_OTHER) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const UNKNOWN_NAMES = ['Nope', 'nope', '__proto__', 'constructor', 'Action', 'Version', 'X-Amz-Signature', 'a.b', 'Tags.member.1.Key', ''];

export const inputMutation: fc.Arbitrary<InputMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unknown' as const), at: fc.nat(), name: fc.oneof(fc.constantFrom(...UNKNOWN_NAMES), fc.string({ maxLength: 8 })), value: specialValue }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: specialValue }) },
  // Mostly sizes well inside the body limit; now and then one beyond it.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.constantFrom(1_000, 1_000, 70_000, 70_000, 400_000, 1_200_000) }) },
);

/** A place in the input: the object or array holding a value, and its key there. */
interface Place {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  shape?: Shape;
}

/** Every value in the input with the shape it should have (when the model says), in a stable order. */
function placesOf(value: unknown, shape: Shape | undefined, out: Place[], structures: Record<string, unknown>[]): void {
  if (Array.isArray(value)) {
    const element = shape?.type === 'list' ? shape.member!.shape : undefined;
    value.forEach((item, i) => {
      out.push({ holder: value, key: i, shape: element });
      placesOf(item, element, out, structures);
    });
    return;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Raw || Buffer.isBuffer(value)) return;
  const obj = value as Record<string, unknown>;
  structures.push(obj);
  if (shape?.type === 'structure') {
    // Required members that are absent are places too: a wrong value can go where none was.
    for (const m of shape.members) {
      if (obj[m.name] === undefined && !m.required) continue;
      out.push({ holder: obj, key: m.name, shape: m.shape });
      if (obj[m.name] !== undefined) placesOf(obj[m.name], m.shape, out, structures);
    }
    return;
  }
  const valueShape = shape?.type === 'map' ? shape.value!.shape : undefined;
  for (const [k, v] of Object.entries(obj)) {
    out.push({ holder: obj, key: k, shape: valueShape });
    placesOf(v, valueShape, out, structures);
  }
}

/** A long string, or a long list or map of short scalars (never of copies of a large value). */
function huge(current: unknown, size: number): unknown {
  const count = Math.min(size, 20_000);
  if (Array.isArray(current)) {
    const first = current[0];
    const short = (typeof first === 'string' && first.length <= 64) || typeof first === 'number' || typeof first === 'boolean';
    const item = short ? first : 'x';
    return Array.from({ length: count }, () => item);
  }
  if (current !== null && typeof current === 'object' && !(current instanceof Date) && !(current instanceof Raw) && !Buffer.isBuffer(current)) {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) out[`k${i}`] = 'v';
    return out;
  }
  const unit = typeof current === 'string' && current ? current : 'x';
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Applies the mutations to a copy of `input` (a structure of `shape`). */
export function mutateInput(input: Record<string, unknown>, shape: Shape | undefined, mutations: readonly InputMutation[]): Record<string, unknown> {
  const copy = structuredCopy(input) as Record<string, unknown>;
  for (const m of mutations) {
    const places: Place[] = [];
    const structures: Record<string, unknown>[] = [];
    placesOf(copy, shape, places, structures);
    if (m.kind === 'unknown') {
      const target = structures[m.at % structures.length];
      // Copied: the special values are shared constants, and later mutations edit in place.
      const value = structuredCopy(m.value);
      if (m.name === '__proto__') Object.defineProperty(target, m.name, { value, enumerable: true, writable: true, configurable: true });
      else target[m.name] = value;
      continue;
    }
    if (places.length === 0) continue;
    const { holder, key } = places[m.at % places.length];
    const set = (v: unknown) => {
      if (Array.isArray(holder)) holder[key as number] = v;
      else holder[key as string] = v;
    };
    const current = Array.isArray(holder) ? holder[key as number] : holder[key as string];
    switch (m.kind) {
      case 'drop':
        if (Array.isArray(holder)) holder.splice(key as number, 1);
        else delete holder[key as string];
        break;
      case 'replace':
        set(structuredCopy(m.value));
        break;
      case 'huge':
        set(huge(current, m.size));
        break;
    }
  }
  return copy;
}

/** A deep copy that keeps Raw, Date and Buffer values as they are (structuredClone would not). */
function structuredCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCopy);
  if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof Raw || Buffer.isBuffer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: structuredCopy(x), enumerable: true, writable: true, configurable: true });
    else out[k] = structuredCopy(x);
  }
  return out;
}

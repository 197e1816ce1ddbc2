// awsQuery and ec2Query requests: flat `Name.member.1.Key=value` parameters → the operation's input
// object (query-protocol.md § 2, ec2-protocol.md § 1). Decoding is driven by the keys that arrived,
// each walked down the shape graph once; unknown parameters are ignored, as AWS does.
//
// awsQuery lists: `Name.member.N` (or the list member's locationName, ElastiCache: `Tags.Tag.N`),
// flattened lists `Name.N`, the empty list `Name=`; maps `Name.entry.N.key|value`.
// ec2Query lists: `Name.N` with Name the member's queryName / capitalised locationName; no empty list.

import type { Shape } from './model.ts';
import type { Violation } from './validate.ts';

export type QueryDialect = 'query' | 'ec2';

/** Form parameters; the first occurrence of a name wins (as AWS does for duplicated Action/Version). */
export type FormParams = Map<string, string>;

export function parseForm(text: string, into: FormParams = new Map()): FormParams {
  if (!text) return into;
  for (const [k, v] of new URLSearchParams(text)) if (!into.has(k)) into.set(k, v);
  return into;
}

/** Parameters a presigned request carries in its query string; never input members. */
const RESERVED = new Set(['Action', 'Version']);
const isReserved = (key: string): boolean => RESERVED.has(key) || key.startsWith('X-Amz-');

/** A list being assembled: items by their 1-based wire index, sorted when decoding ends. */
class PendingList {
  readonly items = new Map<number, unknown>();
}

/** A map being assembled from `entry.N.key` / `entry.N.value`. */
class PendingMap {
  readonly entries = new Map<number, { key?: unknown; value?: unknown }>();
}

type Slot = Record<string, unknown>;

const INDEX = /^[1-9][0-9]{0,8}$/;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

// Free functions rather than closures made per value: a request decodes several values, and a closure
// apiece was a measurable share of decoding.
const slotValue = (holder: Slot | Map<number, unknown>, slot: string | number): unknown =>
  holder instanceof Map ? holder.get(slot as number) : holder[slot as string];

function setSlot(holder: Slot | Map<number, unknown>, slot: string | number, value: unknown): void {
  if (holder instanceof Map) holder.set(slot as number, value);
  else holder[slot as string] = value;
}

class QueryDecoder {
  readonly violations: Violation[] = [];

  constructor(private readonly dialect: QueryDialect) {}

  decode(shape: Shape, params: FormParams): Record<string, unknown> {
    const root: Slot = {};
    for (const [key, raw] of params) {
      if (isReserved(key)) continue;
      this.structure(root, shape, key.split('.'), 0, raw, key);
    }
    return this.finish(shape, root) as Record<string, unknown>;
  }

  private structure(obj: Slot, shape: Shape, segs: string[], i: number, raw: string, key: string): void {
    if (i >= segs.length) return;
    const m = (this.dialect === 'ec2' ? shape.byEc2Key : shape.byQueryKey).get(segs[i]);
    if (!m) return;
    this.value(obj, m.name, m.shape, m.flattened, segs, i + 1, raw, key);
  }

  /** Places `raw` at `segs[i…]` below `holder[slot]`, a value of `shape`. */
  private value(
    holder: Slot | Map<number, unknown>,
    slot: string | number,
    shape: Shape,
    flattened: boolean,
    segs: string[],
    i: number,
    raw: string,
    key: string,
  ): void {
    switch (shape.type) {
      case 'structure': {
        let obj = slotValue(holder, slot) as Slot | undefined;
        if (i >= segs.length) {
          // `Struct=` with nothing below it: an empty structure at most.
          if (obj === undefined && raw === '') setSlot(holder, slot, {});
          return;
        }
        if (obj === undefined || typeof obj !== 'object' || obj instanceof PendingList) setSlot(holder, slot, (obj = {}));
        this.structure(obj, shape, segs, i, raw, key);
        return;
      }
      case 'list': {
        let list = slotValue(holder, slot);
        if (!(list instanceof PendingList)) setSlot(holder, slot, (list = new PendingList()));
        if (i >= segs.length) return; // `Name=`: the empty list
        const pending = list as PendingList;
        if (this.dialect === 'query' && !(flattened || shape.flattened)) {
          if (segs[i] !== (shape.member!.locationName ?? 'member')) return;
          i++;
        }
        if (i >= segs.length || !INDEX.test(segs[i])) return;
        this.value(pending.items, Number(segs[i]), shape.member!.shape, false, segs, i + 1, raw, key);
        return;
      }
      case 'map': {
        let map = slotValue(holder, slot);
        if (!(map instanceof PendingMap)) setSlot(holder, slot, (map = new PendingMap()));
        if (i >= segs.length) return;
        if (!(flattened || shape.flattened)) {
          if (segs[i] !== 'entry') return;
          i++;
        }
        if (i + 1 >= segs.length || !INDEX.test(segs[i])) return;
        const entries = (map as PendingMap).entries;
        const n = Number(segs[i]);
        let entry = entries.get(n);
        if (!entry) entries.set(n, (entry = {}));
        const part = segs[i + 1];
        const keyName = shape.key!.locationName ?? 'key';
        const valueName = shape.value!.locationName ?? 'value';
        if (part === keyName && i + 2 === segs.length) entry.key = raw;
        else if (part === valueName) {
          const box: Slot = { v: entry.value };
          this.value(box, 'v', shape.value!.shape, false, segs, i + 2, raw, key);
          entry.value = box.v;
        }
        return;
      }
      default:
        if (i !== segs.length) return;
        setSlot(holder, slot, this.scalar(shape, raw, key));
    }
  }

  private scalar(shape: Shape, raw: string, key: string): unknown {
    switch (shape.type) {
      case 'string':
        return raw;
      case 'integer':
      case 'long':
        if (/^[+-]?\d{1,20}$/.test(raw)) return Number(raw);
        return this.typeError(key, raw, 'Member must be a number');
      case 'float':
      case 'double': {
        const n = raw.trim() === '' ? NaN : Number(raw);
        if (!Number.isNaN(n) || raw === 'NaN') return n;
        return this.typeError(key, raw, 'Member must be a number');
      }
      case 'boolean':
        if (raw === 'true' || raw === 'false') return raw === 'true';
        return this.typeError(key, raw, 'Member must be a boolean');
      case 'timestamp': {
        const ms = TIMESTAMP.test(raw) ? Date.parse(raw) : NaN;
        if (!Number.isNaN(ms)) return new Date(ms);
        return this.typeError(key, raw, 'Member must be a timestamp in ISO 8601 format');
      }
      case 'blob':
        return Buffer.from(raw, 'base64');
      default:
        return raw;
    }
  }

  private typeError(key: string, raw: string, constraint: string): undefined {
    const path = key.split('.').map((s) => (/^\d+$/.test(s) ? s : s[0].toLowerCase() + s.slice(1))).join('.');
    this.violations.push({ path, wirePath: key, value: raw, constraint });
    return undefined;
  }

  /** Turns pending lists and maps into arrays and objects, in wire-index order. */
  private finish(shape: Shape, v: unknown): unknown {
    if (v instanceof PendingList) {
      const element = shape.member!.shape;
      return [...v.items.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => this.finish(element, item));
    }
    if (v instanceof PendingMap) {
      const out: Record<string, unknown> = {};
      const sorted = [...v.entries.entries()].sort((a, b) => a[0] - b[0]);
      for (const [, e] of sorted) {
        if (typeof e.key !== 'string') continue;
        defineKey(out, e.key, this.finish(shape.value!.shape, e.value));
      }
      return out;
    }
    if (shape.type === 'structure' && v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
      const obj = v as Slot;
      for (const m of shape.members) {
        const child = obj[m.name];
        if (child === undefined) continue;
        obj[m.name] = this.finish(m.shape, child);
        if (obj[m.name] === undefined) delete obj[m.name];
      }
    }
    return v;
  }
}

/** Sets a caller-chosen key without letting `__proto__` reach the prototype. */
export function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Decodes query parameters into the input of `shape`; type errors come back as violations. */
export function decodeQueryInput(
  shape: Shape | undefined,
  params: FormParams,
  dialect: QueryDialect,
): { input: Record<string, unknown>; violations: Violation[] } {
  if (!shape) return { input: {}, violations: [] };
  const decoder = new QueryDecoder(dialect);
  const input = decoder.decode(shape, params);
  return { input, violations: decoder.violations };
}

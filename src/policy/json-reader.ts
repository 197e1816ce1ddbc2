// A strict JSON reader for policy documents. `JSON.parse` will not do: it silently keeps the last of
// duplicated keys (a policy whose text says Deny could load as Allow), it forgets how a number was
// written (AWS compares condition values as the text in the document), and it recurses without limit.
// This reader follows RFC 8259 exactly, reports duplicate keys, keeps numbers as text, and stops at a
// fixed nesting depth so no input can exhaust the stack.

/** A JSON number, kept as written (`1.50` stays `1.50`). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;

/** Keys in document order; a key appears once (duplicates are rejected while reading). */
export type JsonObject = Map<string, JsonValue>;

export type JsonProblem = 'syntax' | 'duplicate-key' | 'too-deep';

/** Where an object or array sits in the text: the offset of its `{`/`[` and the offset just past its `}`/`]`. */
export interface JsonSpan {
  start: number;
  end: number;
}

/**
 * Filled while reading when the caller asks for it (a policy simulator reporting where each statement
 * is). Enforcement never asks, so its reading costs one test per object or array, nothing more.
 */
export type JsonSpans = WeakMap<JsonObject | JsonValue[], JsonSpan>;

export type JsonReadResult =
  | { ok: true; value: JsonValue }
  | { ok: false; problem: JsonProblem; offset: number };

/**
 * Deep enough for any valid policy (the deepest element, a condition value list, sits at depth 6)
 * with a wide margin; shallow enough that recursion stays far from Node's stack limit.
 */
export const MAX_JSON_DEPTH = 64;

export const isJsonObject = (v: JsonValue | undefined): v is JsonObject => v instanceof Map;

class ReadFailure {
  constructor(
    readonly problem: JsonProblem,
    readonly offset: number,
  ) {}
}

/** Reads one JSON text. Never throws. With `spans`, records where every object and array sits. */
export function readJson(text: string, spans?: JsonSpans): JsonReadResult {
  const reader = new Reader(text, spans);
  try {
    reader.skipWhitespace();
    const value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos !== text.length) return { ok: false, problem: 'syntax', offset: reader.pos };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof ReadFailure) return { ok: false, problem: e.problem, offset: e.offset };
    // A RangeError (stack) cannot happen below MAX_JSON_DEPTH, but an input must never escape as
    // an exception, so anything unforeseen is reported as a syntax error at the current position.
    return { ok: false, problem: 'syntax', offset: reader.pos };
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class Reader {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly spans: JsonSpans | undefined,
  ) {}

  private fail(problem: JsonProblem = 'syntax'): never {
    throw new ReadFailure(problem, this.pos);
  }

  skipWhitespace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  /** Called just past the closing bracket. */
  private spanned<T extends JsonObject | JsonValue[]>(value: T, start: number): T {
    if (this.spans !== undefined) this.spans.set(value, { start, end: this.pos });
    return value;
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return value;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail();
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private string(): string {
    const t = this.text;
    let p = this.pos + 1;
    let out = '';
    let runStart = p;
    for (;;) {
      if (p >= t.length) {
        this.pos = p;
        this.fail();
      }
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.pos = p;
        this.fail();
      }
      if (c !== 0x5c) {
        p++;
        continue;
      }
      out += t.slice(runStart, p);
      const e = t[p + 1];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = t.slice(p + 2, p + 6);
          if (!HEX4.test(hex)) {
            this.pos = p;
            this.fail();
          }
          out += String.fromCharCode(parseInt(hex, 16));
          p += 4;
          break;
        }
        default:
          this.pos = p;
          this.fail();
      }
      p += 2;
      runStart = p;
    }
    out += t.slice(runStart, p);
    this.pos = p + 1;
    return out;
  }

  private array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail('too-deep');
    const start = this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return this.spanned(items, start);
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return this.spanned(items, start);
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail('too-deep');
    const start = this.pos++;
    const entries: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return this.spanned(entries, start);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail();
      const keyAt = this.pos;
      const key = this.string();
      if (entries.has(key)) {
        this.pos = keyAt;
        this.fail('duplicate-key');
      }
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail();
      this.pos++;
      this.skipWhitespace();
      entries.set(key, this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return this.spanned(entries, start);
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }
}

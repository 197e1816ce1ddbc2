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

/** One step of a value's path: an object key or an array index. */
export type JsonPathStep = string | number;

/**
 * Told where every value of the document lies, as it is read: its path from the root and the
 * offsets of its first character and one past its last. Optional, so plain reads pay nothing; tools
 * that point into the text (Access Analyzer's finding locations) pass one.
 */
export type JsonSpanSink = (path: readonly JsonPathStep[], start: number, end: number) => void;

export interface ReadJsonOptions {
  spans?: JsonSpanSink;
  /** Told where every object key lies; its path ends with the key itself. */
  keySpans?: JsonSpanSink;
}

/** Reads one JSON text. Never throws. */
export function readJson(text: string, options: ReadJsonOptions = {}): JsonReadResult {
  const reader = new Reader(text, options.spans, options.keySpans);
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
  /** The path of the value being read, kept only when someone listens for spans. */
  private readonly path: JsonPathStep[] = [];
  constructor(
    private readonly text: string,
    private readonly spans?: JsonSpanSink,
    private readonly keySpans?: JsonSpanSink,
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
    if (!this.spans) return this.bareValue(depth);
    const start = this.pos;
    const v = this.bareValue(depth);
    this.spans(this.path, start, this.pos);
    return v;
  }

  /** Enters a child value's path step while it is read (only when spans are tracked). */
  private child(step: JsonPathStep, depth: number): JsonValue {
    if (!this.spans) return this.value(depth);
    // A failure ends the whole read, so the path needs no restoring on the way out.
    this.path.push(step);
    const v = this.value(depth);
    this.path.pop();
    return v;
  }

  private bareValue(depth: number): JsonValue {
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
    this.pos++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.child(items.length, depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return items;
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }

  private object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail('too-deep');
    this.pos++;
    const entries: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return entries;
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
      if (this.keySpans) this.keySpans([...this.path, key], keyAt, this.pos);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail();
      this.pos++;
      this.skipWhitespace();
      entries.set(key, this.child(key, depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return entries;
      if (c !== ',') {
        this.pos--;
        this.fail();
      }
    }
  }
}

// A policy document read with the place of every value and key, so a finding can say where it is:
// Access Analyzer's `Location` — a path of `value` (into an object member), `index` (into an array)
// and `key` (the member name itself) steps, and a span of positions (line from 1, column from 0,
// offset from 0, as its API reference defines them).

import { readJson, type JsonPathStep, type JsonValue } from '../../../policy/json-reader.ts';
import { LineIndex as TextLines } from '../../../policy/positions.ts';

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export type PathElement = { value: string } | { index: number } | { key: string };

export interface Location {
  path: PathElement[];
  span: Span;
}

/** A path as a map key: `#` before an index, `.` before a member name (so `0` and `"0"` differ). */
function pathKey(path: readonly JsonPathStep[]): string {
  let key = '';
  for (const step of path) key += typeof step === 'number' ? `#${step}` : `.${step.replaceAll('\\', '\\\\').replaceAll('.', '\\.').replaceAll('#', '\\#')}`;
  return key;
}

/** Access Analyzer counts columns from 0 where the simulator's positions count them from 1. */
export class LineIndex {
  private readonly lines: TextLines;
  constructor(text: string) {
    this.lines = new TextLines(text);
  }

  position(offset: number): Position {
    const { line, column } = this.lines.position(offset);
    return { line, column: column - 1, offset };
  }
}

export type LocatedRead = { ok: true; doc: LocatedPolicy } | { ok: false; at: Position };

export class LocatedPolicy {
  private constructor(
    readonly value: JsonValue,
    private readonly lines: LineIndex,
    private readonly valueSpans: Map<string, [number, number]>,
    private readonly keySpans: Map<string, [number, number]>,
  ) {}

  static read(text: string): LocatedRead {
    const values = new Map<string, [number, number]>();
    const keys = new Map<string, [number, number]>();
    const lines = new LineIndex(text);
    const read = readJson(text, {
      spans: (path, start, end) => values.set(pathKey(path), [start, end]),
      keySpans: (path, start, end) => keys.set(pathKey(path), [start, end]),
    });
    if (!read.ok) return { ok: false, at: lines.position(read.offset) };
    return { ok: true, doc: new LocatedPolicy(read.value, lines, values, keys) };
  }

  /** Where the value at `path` lies. */
  at(path: readonly JsonPathStep[]): Location {
    return this.located(path, false);
  }

  /** Where the member name that ends `path` lies (an unknown element, a condition key). */
  atKey(path: readonly JsonPathStep[]): Location {
    return this.located(path, true);
  }

  private located(path: readonly JsonPathStep[], key: boolean): Location {
    const [start, end] = (key ? this.keySpans : this.valueSpans).get(pathKey(path)) ?? this.valueSpans.get('') ?? [0, 0];
    const steps: PathElement[] = path.map((s, i) =>
      typeof s === 'number' ? { index: s } : key && i === path.length - 1 ? { key: s } : { value: s },
    );
    return { path: steps, span: { start: this.lines.position(start), end: this.lines.position(end) } };
  }

  position(offset: number): Position {
    return this.lines.position(offset);
  }
}

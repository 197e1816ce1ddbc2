// Where each statement of a policy document sits in its text, as IAM's policy simulator reports it
// (MatchedStatements' StartPosition and EndPosition). Read only when a simulator asks: the document is
// read again with spans recorded, so the enforcement path's reading is untouched.
//
// AWS's convention, taken from its recorded answers: lines and columns count from 1, and both
// positions are those just past a bracket — the start is the column after the statement's `{`, the
// end the column after its `}`. (A statement `{…}` opening at the 40th character of a one-line
// document and closing at the 112th is reported as Column 41 to Column 113.)

import { isJsonObject, readJson, type JsonSpan, type JsonSpans } from './json-reader.ts';

export interface TextPosition {
  line: number;
  column: number;
}

export interface StatementPosition {
  start: TextPosition;
  end: TextPosition;
}

/**
 * The positions of the document's statements, in the order of its `Statement` list (a lone statement
 * object is statement 0); empty for a text that is not a policy document.
 */
export function statementPositions(text: string): StatementPosition[] {
  const spans: JsonSpans = new WeakMap();
  const read = readJson(text, spans);
  if (!read.ok || !isJsonObject(read.value)) return [];
  const statement = read.value.get('Statement');
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  const lines = new LineIndex(text);
  const out: StatementPosition[] = [];
  for (const s of statements) {
    const span: JsonSpan | undefined = isJsonObject(s) ? spans.get(s) : undefined;
    if (span === undefined) return [];
    out.push({ start: lines.position(span.start + 1), end: lines.position(span.end) });
  }
  return out;
}

/** Offsets to 1-based lines and columns; `\n`, `\r\n` and a lone `\r` each end a line. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) this.starts.push(i + 1);
    }
  }

  position(offset: number): TextPosition {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

// Where each statement of a policy document sits in its text, as IAM's policy simulator reports it
// (MatchedStatements' StartPosition and EndPosition). Read only when a simulator asks: the document is
// read again with spans recorded, so the enforcement path's reading is untouched.
//
// AWS's convention, taken from its recorded answers: lines and columns count from 1, and both
// positions are those just past a bracket — the start is the column after the statement's `{`, the
// end the column after its `}`. (A statement `{…}` opening at the 40th character of a one-line
// document and closing at the 112th is reported as Column 41 to Column 113.)

import { readJson } from './json-reader.ts';

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
  const spans: Array<[number, number]> = [];
  let lone: [number, number] | undefined;
  const read = readJson(text, {
    spans: (path, start, end) => {
      if (path[0] !== 'Statement' || text[start] !== '{') return;
      if (path.length === 2 && typeof path[1] === 'number') spans[path[1]] = [start, end];
      else if (path.length === 1) lone = [start, end];
    },
  });
  if (!read.ok) return [];
  const statements = lone !== undefined ? [lone] : spans;
  const lines = new LineIndex(text);
  const out: StatementPosition[] = [];
  for (let i = 0; i < statements.length; i++) {
    const span = statements[i];
    if (span === undefined) return [];
    out.push({ start: lines.position(span[0] + 1), end: lines.position(span[1]) });
  }
  return out;
}

/** Offsets to 1-based lines and columns; `\n`, `\r\n` and a lone `\r` each end a line. */
export class LineIndex {
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

// Wildcard patterns, compiled once: Action (`iam:Get*`), Resource ARNs, StringLike and Arn* values.
//
// A pattern becomes a list of parts — literal text, `*`, `?`, variables — and a matcher picked for
// its shape: most patterns in real policies are `*`, an exact string or `prefix*`, and match with one
// string comparison. The rest run a small position-set automaton (linear in pattern × input, no
// backtracking, so no pattern can blow up) over two reused buffers: no regex, no allocation per call.
//
// ARNs: AWS matches `*` and `?` inside the colon-separated segments of an ARN. In a Resource, a `*`
// that ends a segment "can expand to match beyond the colon boundaries"; in the sixth (resource)
// segment `*` spans `:` and `/` alike. Arn* condition operators check the six components separately.

import type { RequestContext } from './context.ts';
import { tokenizeTemplate, type VariableRef } from './variables.ts';

/** How `*` and `?` relate to the colons of an ARN. */
export type ArnMode =
  /** Plain text: `*` matches anything, `?` any one character. */
  | 'none'
  /** Resource element: within the first five segments `*` stays in its segment unless it ends it. */
  | 'resource'
  /** Arn* operators: each of the six components matched on its own. */
  | 'components';

export interface GlobOptions {
  /** Whether `*` and `?` are wildcards (StringLike) or plain characters (StringEquals). */
  wildcards: boolean;
  /** Whether `${…}` is a policy variable (Version 2012-10-17). */
  variables: boolean;
  /** Compare case-insensitively: the pattern is lower-cased here, the caller lower-cases input. */
  ignoreCase?: boolean;
  arn?: ArnMode;
}

export interface Glob {
  /** The pattern as written in the policy. */
  readonly source: string;
  /** True when the pattern holds variables (its meaning depends on the request). */
  readonly dynamic: boolean;
  test(input: string, context: RequestContext | null): boolean;
}

const LIT = 0;
const STAR = 1; // any run of characters
const SEG_STAR = 2; // any run of characters other than ':'
const ONE = 3; // any one character
const SEG_ONE = 4; // any one character other than ':'
const VAR = 5;

type Part =
  | { readonly kind: typeof LIT; readonly text: string }
  | { readonly kind: typeof STAR | typeof SEG_STAR | typeof ONE | typeof SEG_ONE }
  | { readonly kind: typeof VAR; readonly variable: VariableRef };

const COLON = 58;

/** One character of the pattern, or a variable, before wildcards are classified. */
type Atom = { ch: string; wild: boolean } | { variable: VariableRef };

export function compileGlob(source: string, options: GlobOptions): Glob {
  const parts = toParts(source, options);
  if (!parts.some((p) => p.kind === VAR)) {
    const fast = fastGlob(source, parts);
    if (fast) return fast;
  }
  return new PartsGlob(source, parts, options.ignoreCase === true);
}

function toAtoms(source: string, options: GlobOptions): Atom[] {
  const atoms: Atom[] = [];
  const tokens = options.variables ? tokenizeTemplate(source) : [{ kind: 'text' as const, text: source }];
  for (const token of tokens) {
    if (token.kind === 'variable') {
      atoms.push({ variable: token.variable });
      continue;
    }
    const escaped = token.kind === 'escaped';
    for (const ch of token.text) {
      atoms.push({ ch, wild: options.wildcards && !escaped && (ch === '*' || ch === '?') });
    }
  }
  return atoms;
}

function toParts(source: string, options: GlobOptions): Part[] {
  const atoms = toAtoms(source, options);
  const ignoreCase = options.ignoreCase === true;
  const mode: ArnMode = options.arn !== undefined && source.startsWith('arn:') ? options.arn : 'none';
  // Segments are counted on the literal colons of the pattern; the sixth and later are one segment.
  let totalSegments = 1;
  for (const atom of atoms) if ('ch' in atom && atom.ch === ':' && !atom.wild) totalSegments++;

  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ kind: LIT, text: ignoreCase ? literal.toLowerCase() : literal });
    literal = '';
  };
  let segment = 0;
  for (let i = 0; i < atoms.length; i++) {
    const atom = atoms[i];
    if ('variable' in atom) {
      flush();
      parts.push({ kind: VAR, variable: atom.variable });
      continue;
    }
    if (!atom.wild) {
      literal += atom.ch;
      if (atom.ch === ':') segment++;
      continue;
    }
    flush();
    const inResourceSegment = segment >= 5;
    const lastSegment = segment === totalSegments - 1;
    let confined: boolean; // must the wildcard stay inside its segment?
    if (mode === 'none' || inResourceSegment) confined = false;
    else if (mode === 'components') confined = !lastSegment;
    else {
      const next = atoms[i + 1];
      const endsSegment = next === undefined || ('ch' in next && next.ch === ':' && !next.wild);
      confined = !(atom.ch === '*' && endsSegment);
    }
    if (atom.ch === '*') {
      const kind = confined ? SEG_STAR : STAR;
      // `**` means the same as `*`; keeping one makes the automaton's work smaller.
      const previous = parts[parts.length - 1];
      if (!(previous && previous.kind === kind)) parts.push({ kind });
    } else {
      parts.push({ kind: confined ? SEG_ONE : ONE });
    }
  }
  flush();
  return parts;
}

const ANY = 0;
const EXACT = 1;
const PREFIX = 2;
const SUFFIX = 3;
const CONTAINS = 4;

/** Patterns whose shape allows a single string comparison. */
function fastGlob(source: string, parts: Part[]): Glob | undefined {
  const shape = parts.map((p) => (p.kind === LIT ? 'L' : p.kind === STAR ? '*' : '?')).join('');
  const text = (i: number) => (parts[i] as { text: string }).text;
  switch (shape) {
    case '':
      return new SimpleGlob(source, EXACT, '');
    case 'L':
      return new SimpleGlob(source, EXACT, text(0));
    case '*':
      return new SimpleGlob(source, ANY, '');
    case 'L*':
      return new SimpleGlob(source, PREFIX, text(0));
    case '*L':
      return new SimpleGlob(source, SUFFIX, text(1));
    case '*L*':
      return new SimpleGlob(source, CONTAINS, text(1));
    default:
      return undefined;
  }
}

// One class for every one-comparison shape keeps the call sites in the hot loop monomorphic.
class SimpleGlob implements Glob {
  readonly dynamic = false;
  constructor(
    readonly source: string,
    private readonly shape: number,
    private readonly text: string,
  ) {}
  test(input: string): boolean {
    switch (this.shape) {
      case EXACT:
        return input === this.text;
      case PREFIX:
        return input.startsWith(this.text);
      case SUFFIX:
        return input.endsWith(this.text);
      case CONTAINS:
        return input.includes(this.text);
      default:
        return true;
    }
  }
}

// The automaton's two position sets, shared by every match: evaluation is synchronous and a match
// never starts another, so one pair suffices.
let current = new Uint8Array(256);
let following = new Uint8Array(256);

class PartsGlob implements Glob {
  readonly dynamic: boolean;
  constructor(
    readonly source: string,
    private readonly parts: readonly Part[],
    private readonly ignoreCase: boolean,
  ) {
    this.dynamic = parts.some((p) => p.kind === VAR);
  }

  test(input: string, context: RequestContext | null): boolean {
    const n = input.length;
    if (current.length <= n) {
      current = new Uint8Array(n + 1);
      following = new Uint8Array(n + 1);
    }
    let cur = current;
    let next = following;
    cur.fill(0, 0, n + 1);
    cur[0] = 1;
    for (const part of this.parts) {
      next.fill(0, 0, n + 1);
      let reached = false;
      switch (part.kind) {
        case LIT:
        case VAR: {
          let text: string | undefined;
          if (part.kind === LIT) text = part.text;
          else {
            text = context === null ? undefined : context.resolve(part.variable);
            if (text === undefined) return false;
            if (this.ignoreCase) text = text.toLowerCase();
          }
          const len = text.length;
          for (let i = 0; i + len <= n; i++) {
            if (cur[i] === 1 && input.startsWith(text, i)) {
              next[i + len] = 1;
              reached = true;
            }
          }
          break;
        }
        case ONE:
        case SEG_ONE:
          for (let i = 0; i < n; i++) {
            if (cur[i] === 1 && (part.kind === ONE || input.charCodeAt(i) !== COLON)) {
              next[i + 1] = 1;
              reached = true;
            }
          }
          break;
        case STAR: {
          let i = 0;
          while (i <= n && cur[i] === 0) i++;
          if (i <= n) {
            next.fill(1, i, n + 1);
            reached = true;
          }
          break;
        }
        case SEG_STAR: {
          let running = false;
          for (let i = 0; i <= n; i++) {
            if (cur[i] === 1) running = true;
            if (running) {
              next[i] = 1;
              reached = true;
              if (i < n && input.charCodeAt(i) === COLON) running = false;
            }
          }
          break;
        }
      }
      if (!reached) return false;
      const swap = cur;
      cur = next;
      next = swap;
    }
    return cur[n] === 1;
  }
}

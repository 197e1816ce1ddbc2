// Key ranges for `list`/`count`: a key prefix becomes a half-open range [prefix, successor) instead
// of a LIKE pattern, so keys may contain `%`, `_`, `/` or anything else, matching is case-sensitive on
// both databases, and the (account, kind, key) primary key serves the scan directly.
//
// Both databases compare keys in UTF-8 byte order (SQLite's BINARY collation; the key column is
// COLLATE "C" on PostgreSQL), which is Unicode code point order. JavaScript's `<` compares UTF-16
// code units, which disagrees for astral characters versus U+E000..U+FFFF, hence `compareKeys`.

export interface KeyRange {
  /** Lower bound, inclusive when `lowerInclusive`; absent means from the first key. */
  lower: string | undefined;
  lowerInclusive: boolean;
  /** Exclusive upper bound; absent means to the last key. */
  upper: string | undefined;
}

const NO_BOUNDS: KeyRange = Object.freeze({ lower: undefined, lowerInclusive: false, upper: undefined });

/** The range of keys that start with `prefix` (if any) and sort strictly after `after` (if any). */
export function keyRange(prefix: string | undefined, after: string | undefined): KeyRange {
  if (!prefix) return after === undefined ? NO_BOUNDS : { lower: after, lowerInclusive: false, upper: undefined };
  const upper = prefixSuccessor(prefix);
  // One lower bound only: an index range scan can use one, and the tighter one is what paginates.
  if (after !== undefined && compareKeys(after, prefix) >= 0) return { lower: after, lowerInclusive: false, upper };
  return { lower: prefix, lowerInclusive: true, upper };
}

/**
 * Each prefix as the half-open range `[prefix, successor)`, for `Tx.listUnder`; throws when one prefix
 * starts with another (their entities would be answered twice) or has no successor.
 */
export function prefixRanges(prefixes: readonly string[]): { lower: string[]; upper: string[] } {
  const sorted = [...new Set(prefixes)].sort(compareKeys);
  const upper: string[] = [];
  sorted.forEach((prefix, i) => {
    if (i > 0 && prefix.startsWith(sorted[i - 1]!)) throw new Error(`store: the key prefix '${prefix}' starts with another given, '${sorted[i - 1]}'`);
    const successor = prefixSuccessor(prefix);
    if (successor === undefined || prefix === '') throw new Error(`store: '${prefix}' bounds no key range`);
    upper.push(successor);
  });
  return { lower: sorted, upper };
}

/**
 * The smallest string greater than every string that starts with `prefix`, or undefined when there is
 * none (a prefix made only of U+10FFFF).
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  // Fast path: the last character is in the BMP below the surrogates (all ASCII keys land here).
  if (last < 0xd7ff) return prefix.slice(0, -1) + String.fromCharCode(last + 1);
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const cp = codePoints.pop()!.codePointAt(0)!;
    if (cp < 0x10ffff) {
      // U+D800..U+DFFF are not characters; the successor of U+D7FF is U+E000.
      const next = cp === 0xd7ff ? 0xe000 : cp + 1;
      return codePoints.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** Compares two strings in code point order (= UTF-8 byte order), the order the databases use. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

// Surrogates (astral code points) must rank above U+E000..U+FFFF.
const codeUnitRank = (c: number): number => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);

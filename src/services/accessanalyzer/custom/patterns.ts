// What the custom policy checks need to know about the patterns of Action and Resource elements,
// decided symbolically — over every string a pattern can stand for, never over samples.

/**
 * Whether every string `inner` matches is matched by `outer` (both `*`/`?` globs). Decided by aligning
 * the two patterns: each `*` of `inner` must meet a `*` of `outer`, each `?` a `?` or a `*`, each
 * literal an equal literal or a wildcard. An alignment proves containment; when there is none the
 * answer is false, which may be wrong only towards caution.
 */
export function globContains(outer: string, inner: string, ignoreCase: boolean): boolean {
  const o = ignoreCase ? outer.toLowerCase() : outer;
  const i = ignoreCase ? inner.toLowerCase() : inner;
  const memo = new Map<number, boolean>();
  const go = (a: number, b: number): boolean => {
    const key = a * (i.length + 1) + b;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (a === o.length) r = b === i.length;
    else if (o[a] === '*') r = go(a + 1, b) || (b < i.length && go(a, b + 1));
    else if (b === i.length) r = false;
    else if (i[b] === '*') r = false;
    else if (o[a] === '?') r = go(a + 1, b + 1);
    else r = i[b] !== '?' && o[a] === i[b] && go(a + 1, b + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

const hasVariable = (p: string): boolean => p.includes('${');

/**
 * Whether every resource `inner` names is named by `outer`, under the Resource element's ARN rules
 * (a wildcard in the first five ARN fields stays in its field). Only forms that mean the same under
 * those rules and under plain globbing are judged: `*`, equal texts, and a wildcard-free prefix of at
 * least five colons followed by one trailing `*`. Policy variables are judged only when the texts are
 * equal and both documents read `${…}` alike (both Version 2012-10-17, or neither): then they resolve
 * alike for one request.
 */
export function resourceContains(outer: string, inner: string, variablesAlike = true): boolean {
  if (hasVariable(outer) || hasVariable(inner)) return variablesAlike && outer === inner;
  if (outer === inner) return true;
  if (outer === '*') return true;
  if (!outer.endsWith('*')) return false;
  const prefix = outer.slice(0, -1);
  if (/[*?]/.test(prefix) || prefix.split(':').length < 6) return false;
  return inner.startsWith(prefix);
}

/**
 * Whether some string could match both globs (an over-approximation: true unless they provably
 * differ). Used where a wrong "yes" only makes a check answer FAIL.
 */
export function mayOverlap(a: string, b: string, ignoreCase: boolean): boolean {
  if (hasVariable(a) || hasVariable(b)) return true;
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  // Two patterns overlap when their literal prefixes (up to the first wildcard) agree and their
  // literal suffixes agree; when both are literal, when they are equal.
  const lit = (s: string) => s.search(/[*?]/);
  const px = lit(x) < 0 ? x : x.slice(0, lit(x));
  const py = lit(y) < 0 ? y : y.slice(0, lit(y));
  if (lit(x) < 0 && lit(y) < 0) return x === y;
  const n = Math.min(px.length, py.length);
  if (px.slice(0, n) !== py.slice(0, n)) return false;
  const sx = lit(x) < 0 ? x : x.slice(x.search(/[*?][^*?]*$/) + 1);
  const sy = lit(y) < 0 ? y : y.slice(y.search(/[*?][^*?]*$/) + 1);
  const m = Math.min(sx.length, sy.length);
  return sx.slice(sx.length - m) === sy.slice(sy.length - m);
}

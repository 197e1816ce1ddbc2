// A bounded memo for the pure parts of reading a signature: a client sends the same credential
// scope, the same signed-header list and (within a second) the same X-Amz-Date on every request, so
// each is worked out once and looked up after. Bounded: once full it starts again empty, so a client
// sending a new value every time costs what it cost without the memo, and memory stays capped.

export interface Memo<T> {
  (text: string): T;
  readonly size: number;
}

/** `compute` must be pure; values `keep` refuses (errors) are computed every time, never held. */
export function memoize<T>(capacity: number, compute: (text: string) => T, keep: (value: T) => boolean = () => true): Memo<T> {
  let entries = new Map<string, T>();
  const memo = (text: string): T => {
    const hit = entries.get(text);
    if (hit !== undefined) return hit;
    const value = compute(text);
    if (!keep(value)) return value;
    if (entries.size >= capacity) entries = new Map();
    entries.set(text, value);
    return value;
  };
  return Object.defineProperty(memo, 'size', { get: () => entries.size }) as Memo<T>;
}

// A member of an operation's output made from one stored row and nothing else — a listed role is its
// row's document, shaped — so the XML encoder may keep what it wrote for it and write the same again
// while the row is unchanged, without the row being decoded, shaped or encoded again
// (src/protocol/xml.ts). Whoever else needs the value (the JSON encoders, a caller in the process)
// asks for it.

export class Reusable {
  constructor(
    /**
     * What `key` is unique within (an account and kind), the same string for a whole answer: a cache
     * keeps things by scope, then key, so a look-up hashes the row's key, not a string built for it.
     */
    readonly scope: string,
    /** Which thing this is within its scope (the row's key). */
    readonly key: string,
    /** Changes whenever anything `value()` returns could: the row's stored text. */
    readonly version: string,
    /** The value itself, made when it is asked for. */
    readonly value: () => Record<string, unknown>,
  ) {}
}

/** `output` with every Reusable in it replaced by its value, at any depth: what a caller in the process reads. */
export function withValues(output: unknown): unknown {
  if (output instanceof Reusable) return withValues(output.value());
  if (Array.isArray(output)) return output.map(withValues);
  // Plain objects only: a Date, a Buffer or any other instance is a value as it is.
  if (output === null || typeof output !== 'object' || Object.getPrototypeOf(output) !== Object.prototype) return output;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(output)) out[k] = withValues(v);
  return out;
}

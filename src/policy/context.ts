// The request context as the evaluator reads it. Condition key names are case-insensitive on AWS
// (`aws:SourceIp` is `AWS:sourceip`), so lookups are too: a key is first looked up exactly as the
// policy writes it (the common case, no work), and only on a miss through a lower-cased index of the
// context, built at most once per request. Callers may therefore pass keys in any case.

import type { ContextValue, ContextValues } from './types.ts';
import type { VariableRef } from './variables.ts';

const hasOwn = Object.prototype.hasOwnProperty;

export class RequestContext {
  private lowered: Map<string, ContextValue> | undefined;

  constructor(private readonly values: ContextValues) {}

  /** The value of a key, or `undefined` when the request does not carry it. */
  get(keyAsWritten: string, keyLower: string): ContextValue | undefined {
    const values = this.values;
    if (hasOwn.call(values, keyAsWritten)) return values[keyAsWritten];
    let lowered = this.lowered;
    if (lowered === undefined) {
      lowered = new Map();
      for (const key in values) {
        if (hasOwn.call(values, key)) lowered.set(key.toLowerCase(), values[key]);
      }
      this.lowered = lowered;
    }
    return lowered.get(keyLower);
  }

  /**
   * A policy variable's text: the key's value when it is present and single-valued (AWS does not
   * substitute multivalued keys), else the written default, else `undefined` — the value that holds
   * it then matches nothing.
   */
  resolve(variable: VariableRef): string | undefined {
    const value = this.get(variable.key, variable.keyLower);
    if (typeof value === 'string') return value;
    return variable.fallback;
  }
}

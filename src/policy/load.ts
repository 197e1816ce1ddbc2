// loadPolicy(): parse + compile, cached by content. Many principals share the same documents (AWS
// managed policies, a team's inline policy copied to every role), so a document is parsed and compiled
// once and the compiled form shared. The cache is bounded (least recently used goes first) and keyed
// by kind and text only: the label belongs to the caller, so a hit with another label gets a
// relabelled view of the same compiled statements.

import { CompiledPolicyDocument, compilePolicy } from './compile.ts';
import { parsePolicy } from './parse.ts';
import type { PolicyError, PolicyKind } from './types.ts';

export type LoadResult = { ok: true; policy: CompiledPolicyDocument } | { ok: false; error: PolicyError };

const DEFAULT_CAPACITY = 2048;

export class PolicyCache {
  private readonly entries = new Map<string, LoadResult>();

  constructor(readonly capacity: number = DEFAULT_CAPACITY) {}

  load(text: string, kind: PolicyKind, label: string): LoadResult {
    const key = `${kind}\u0000${text}`;
    let result = this.entries.get(key);
    if (result !== undefined) {
      // Refresh recency: a Map iterates in insertion order.
      this.entries.delete(key);
    } else {
      const parsed = parsePolicy(text, kind);
      result = parsed.ok ? { ok: true, policy: compilePolicy(parsed.policy, label) } : { ok: false, error: parsed.error };
    }
    this.entries.set(key, result);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    if (result.ok && result.policy.label !== label) return { ok: true, policy: result.policy.withLabel(label) };
    return result;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

const shared = new PolicyCache();

/** Parse and compile `text` as a `kind` policy, reusing the compiled form of an identical document. */
export function loadPolicy(text: string, kind: PolicyKind, label: string): LoadResult {
  return shared.load(text, kind, label);
}

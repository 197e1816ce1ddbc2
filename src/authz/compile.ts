// Stored policies were validated when they were written, so compiling them cannot fail — unless the
// engine's grammar became stricter since. Such a policy must not crash authorization nor grant
// anything: it compiles to a policy with no statements, and the failure is reported once.

import { compilePolicy, loadPolicy } from '../policy/index.ts';
import type { CompiledPolicy, PolicyKind } from '../policy/types.ts';

const reported = new Set<string>();

export function compileStored(document: string, kind: PolicyKind, label: string): CompiledPolicy {
  const loaded = loadPolicy(document, kind, label);
  if (loaded.ok) return loaded.policy;
  if (!reported.has(label)) {
    reported.add(label);
    process.emitWarning(`stored policy ${label} no longer parses (${loaded.error.message}); it grants nothing`);
  }
  return compilePolicy({ kind, statements: [] }, label);
}

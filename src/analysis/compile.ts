// Policies compiled for the analysis. An account's graph holds every document of the account at once
// (thousands of inline policies and trust policies), more than the authorizer's shared cache keeps,
// so the analysis keeps its own: rebuilding a graph after a change recompiles only what changed.
// A stored policy that no longer parses grants nothing, as for the authorizer (authz/compile.ts).

import { compilePolicy, PolicyCache } from '../policy/index.ts';
import type { CompiledPolicy, PolicyKind } from '../policy/types.ts';

const cache = new PolicyCache(50_000);

export function compileForAnalysis(document: string, kind: PolicyKind, label: string): CompiledPolicy {
  const loaded = cache.load(document, kind, label);
  return loaded.ok ? loaded.policy : compilePolicy({ kind, statements: [] }, label);
}

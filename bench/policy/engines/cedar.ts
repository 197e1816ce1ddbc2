// Cedar (@cedar-policy/cedar-wasm): the workload's IAM policies translated to Cedar (see
// cedar-translate.ts), one policy set per principal parsed once with `preparsePolicySet`, each request
// decided with `statefulIsAuthorized` — its fastest documented path.

import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { policiesToCedar, requestToCedar } from '../cedar-translate.ts';
import type { BenchDecision, EngineAdapter } from '../workload.ts';

let nextSetId = 0;

export const cedarEngine: EngineAdapter = {
  name: 'Cedar',
  method: '`statefulIsAuthorized` over a policy set parsed once with `preparsePolicySet`',
  prepare(workload) {
    const setIds = workload.principals.map((principal) => {
      const id = `bench-${nextSetId++}`;
      const answer = cedar.preparsePolicySet(id, { staticPolicies: policiesToCedar(principal.policies, workload.keyTypes) });
      if (answer.type !== 'success') throw new Error(`Cedar refused the translation: ${JSON.stringify(answer.errors)}`);
      return id;
    });
    const calls = workload.requests.map((r, i) => ({
      ...requestToCedar(workload, i),
      preparsedPolicySetId: setIds[r.principal],
      entities: [],
    }));
    return {
      decide: (i): BenchDecision => {
        const answer = cedar.statefulIsAuthorized(calls[i]);
        if (answer.type !== 'success') throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
        const { decision, diagnostics } = answer.response;
        // An evaluation error silently skips a policy in Cedar; for a faithful translation there are none.
        if (diagnostics.errors.length > 0) throw new Error(`Cedar policy errors: ${JSON.stringify(diagnostics.errors)}`);
        if (decision === 'allow') return 'Allow';
        return diagnostics.reason.length > 0 ? 'ExplicitDeny' : 'ImplicitDeny';
      },
    };
  },
};

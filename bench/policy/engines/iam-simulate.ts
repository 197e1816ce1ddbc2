// @cloud-copilot/iam-simulate (AGPL-3.0; a dev dependency, used only by benchmarks and tests).
// `runUnsafeSimulation` is its fastest public entry: no input validation, Strict mode. It takes policy
// documents as JSON values and loads them on every call — its API has no way to keep them loaded.

import { runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { BenchDecision, EngineAdapter, Workload } from '../workload.ts';

const DECISION: Record<string, BenchDecision> = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny',
};

export function iamSimulateSimulations(workload: Workload): Simulation[] {
  return workload.requests.map((r) => {
    const principal = workload.principals[r.principal];
    return {
      request: {
        principal: principal.arn,
        action: r.action,
        resource: { resource: r.resource, accountId: principal.account },
        contextVariables: r.context,
      },
      identityPolicies: principal.policies.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
  });
}

export const iamSimulateEngine: EngineAdapter = {
  name: 'iam-simulate',
  method: '`runUnsafeSimulation(simulation, {})` (loads the policies on each call; no cached form in its API)',
  prepare(workload) {
    const simulations = iamSimulateSimulations(workload);
    return {
      decide: (i) => {
        const result = runUnsafeSimulation(simulations[i], {});
        const decision = DECISION[result];
        if (decision === undefined) throw new Error(`iam-simulate answered ${String(result)}`);
        return decision;
      },
    };
  },
};

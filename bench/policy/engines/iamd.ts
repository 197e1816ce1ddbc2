// iamd's engine: each principal's policies parsed and compiled once (as the server caches them), each
// request prepared as the server's authorization layer hands it over; the loop calls `evaluate` only.

import { compilePolicy, evaluate, parsePolicy } from '../../../src/policy/index.ts';
import type { AuthzRequest, PolicySet } from '../../../src/policy/types.ts';
import { principalFromArn } from '../../../src/cli/request.ts';
import type { EngineAdapter, Workload } from '../workload.ts';

export function iamdPolicySets(workload: Workload): PolicySet[] {
  return workload.principals.map((principal) => ({
    identity: principal.policies.map((p) => {
      const parsed = parsePolicy(JSON.stringify(p.document), 'identity');
      if (!parsed.ok) throw new Error(`${p.name}: ${parsed.error.code}: ${parsed.error.message}`);
      return compilePolicy(parsed.policy, p.name);
    }),
  }));
}

export function iamdRequests(workload: Workload): AuthzRequest[] {
  return workload.requests.map((r) => ({
    principal: principalFromArn(workload.principals[r.principal].arn),
    action: r.action,
    resource: r.resource,
    context: r.context,
  }));
}

export const iamdEngine: EngineAdapter = {
  name: 'iamd',
  method: '`evaluate(set, request)`; policies parsed and compiled once',
  prepare(workload) {
    const sets = iamdPolicySets(workload);
    const requests = iamdRequests(workload);
    const principalOf = workload.requests.map((r) => r.principal);
    return { decide: (i) => evaluate(sets[principalOf[i]], requests[i]).decision };
  },
};

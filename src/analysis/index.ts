// Who can reach what: an account's access graph built from its live state, and the questions asked of
// it (docs/analysis.md § "Who can reach what"). The server's /_iamd/analysis/* routes and
// `iamd analyze` both come here.
//
//   const graph = await accessGraph(store, { awsPolicies, linked: linkedServiceRoles(catalog) }, account)
//   whoCan(graph, 'memorydb:CreateCluster', '*') · reach(graph, arn) · escalations(graph)

import type { ServiceCatalog } from '../iam/catalog/service-linked-roles.ts';
import type { AwsManagedPolicyCatalog } from '../iam/index.ts';
import { SERVICES } from '../services/registry.ts';
import type { Store } from '../store/types.ts';
import { buildGraph, type AccessGraph, type LinkedServiceRole } from './graph.ts';
import { loadAccountState } from './state.ts';

export { AccessGraph, type LinkedServiceRole } from './graph.ts';
export { whoCan, reach, escalations, type WhoCanAnswer, type ReachAnswer, type EscalationsAnswer, type PathView, type StepView } from './queries.ts';
export { renderText, renderDot, type Answer } from './format.ts';

export interface AnalysisSources {
  awsPolicies: AwsManagedPolicyCatalog;
  linked: readonly LinkedServiceRole[];
}

/** The linked services iamd serves whose calls make them act through their service-linked role. */
export function linkedServiceRoles(catalog: ServiceCatalog): LinkedServiceRole[] {
  return SERVICES.flatMap((service) => {
    const principal = service.linked?.servicePrincipal;
    const spec = principal !== undefined ? catalog.get(principal) : undefined;
    if (!spec || !service.roleActions) return [];
    return [{ servicePrincipal: spec.servicePrincipal, roleName: spec.roleName, path: spec.path, policyArns: spec.policyArns, actions: service.roleActions }];
  });
}

/** The access graph of `account` as the store holds it now (one read view). */
export async function accessGraph(store: Store, sources: AnalysisSources, account: string): Promise<AccessGraph> {
  const state = await store.read((tx) => loadAccountState(tx, sources.awsPolicies, account));
  return buildGraph({ state, awsPolicies: sources.awsPolicies, linked: sources.linked });
}

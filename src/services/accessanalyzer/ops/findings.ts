// Findings of an analyzer: an unused-access analyzer's are worked out from iamd's usage data
// (../unused-access.ts, fed by ../iam-usage.ts) with the statuses kept beside them (finding-status.ts);
// an external-access analyzer finds nothing yet, and has analyzed no resource. ListFindingsV2 and
// GetFindingV2 are authorized as ListFindings and GetFinding, the actions they share with V1 (AWS's
// API reference; the Service Authorization Reference has no V2 actions).

import type { CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { notFound, validation } from '../errors.ts';
import { checkFilter, matchesFilter, sortFindings, type FilterCriteria, type SortCriteria } from '../finding-filter.ts';
import { page } from '../operation.ts';
import { findingDetailsV2, type UnusedAccessData } from '../unused-access.ts';
import { byArn, onAnalyzer, type AnalyzerDoc } from './analyzer-store.ts';
import { analyzerFindings, fieldsOf, setStatus, type AnalyzerFinding } from './finding-status.ts';
import { recommendationOperations } from './recommendations.ts';

const throwing = (error: Error): never => {
  throw error;
};

/** ListFindingsV2's summary of a finding. */
const summaryV2 = (f: AnalyzerFinding) => ({
  analyzedAt: f.analyzedAt,
  createdAt: f.createdAt,
  id: f.id,
  resource: f.resource,
  resourceType: f.resourceType,
  resourceOwnerAccount: f.resourceOwnerAccount,
  status: f.status,
  updatedAt: f.updatedAt,
  findingType: f.findingType,
});

export function findingOperations(data: UnusedAccessData): Operation[] {
  type ListInput = { analyzerArn: string; filter?: FilterCriteria; sort?: SortCriteria; maxResults?: number; nextToken?: string };
  type GetInput = { analyzerArn: string; id: string };
  const missing = (id: string) => notFound('Finding', id, `Finding ${id} not found.`);
  const findings = (a: AnalyzerDoc, ctx: CallContext, tx: Tx) => analyzerFindings(data, a, ctx, tx);
  return [
    onAnalyzer<ListInput>('ListFindings', byArn, { readOnly: true, handle: async () => ({ findings: [] }) }),
    onAnalyzer<ListInput>('ListFindingsV2', byArn, {
      readOnly: true,
      action: 'ListFindings',
      async handle(input, a, ctx, tx) {
        // An external-access analyzer's filter keys (isPublic, principal.AWS, …) are not ours to judge.
        if (a.type === 'ACCOUNT_UNUSED_ACCESS') checkFilter(input.filter);
        const matching = (await findings(a, ctx, tx)).filter((f) => matchesFilter(fieldsOf(f), input.filter));
        const { items, next } = page(sortFindings(matching, input.sort), input);
        return { findings: items.map(summaryV2), nextToken: next };
      },
    }),
    onAnalyzer<GetInput>('GetFinding', byArn, { readOnly: true, handle: async (input) => { throw missing(input.id); } }),
    onAnalyzer<GetInput>('GetFindingV2', byArn, {
      readOnly: true,
      action: 'GetFinding',
      async handle(input, a, ctx, tx) {
        const found = (await findings(a, ctx, tx)).find((f) => f.id === input.id);
        if (!found) throw missing(input.id);
        return { ...summaryV2(found), findingDetails: findingDetailsV2(found) };
      },
    }),
    onAnalyzer<{ analyzerArn: string; status: 'ACTIVE' | 'ARCHIVED'; ids?: string[]; resourceArn?: string }>('UpdateFindings', byArn, {
      async handle(input, a, ctx, tx) {
        if (input.ids === undefined && input.resourceArn === undefined) {
          throw validation('Either ids or resourceArn must be specified.', 'fieldValidationFailed');
        }
        const current = await findings(a, ctx, tx);
        const chosen: AnalyzerFinding[] = [];
        for (const id of input.ids ?? []) chosen.push(current.find((f) => f.id === id) ?? throwing(missing(id)));
        if (input.resourceArn !== undefined) chosen.push(...current.filter((f) => f.resource === input.resourceArn));
        for (const f of chosen) await setStatus(tx, ctx, a, f.id, input.status);
      },
    }),
    onAnalyzer<{ analyzerArn: string }>('GetFindingsStatistics', byArn, {
      readOnly: true,
      async handle(_input, a, ctx, tx) {
        if (a.type !== 'ACCOUNT_UNUSED_ACCESS') {
          return { findingsStatistics: [{ externalAccessFindingsStatistics: { totalActiveFindings: 0, totalArchivedFindings: 0, totalResolvedFindings: 0 } }], lastUpdatedAt: ctx.now };
        }
        const all = await findings(a, ctx, tx);
        const active = all.filter((f) => f.status === 'ACTIVE');
        const byType = new Map<string, number>();
        for (const f of active) byType.set(f.findingType, (byType.get(f.findingType) ?? 0) + 1);
        return {
          findingsStatistics: [{
            unusedAccessFindingsStatistics: {
              totalActiveFindings: active.length,
              totalArchivedFindings: all.length - active.length,
              totalResolvedFindings: 0,
              unusedAccessTypeStatistics: [...byType].sort(([x], [y]) => x.localeCompare(y)).map(([unusedAccessType, total]) => ({ unusedAccessType, total })),
            },
          }],
          lastUpdatedAt: ctx.now,
        };
      },
    }),
    ...recommendationOperations(data),
    ...analyzedResourceOperations(),
  ];
}

/** The resources an external-access analyzer has analyzed: none yet (it finds nothing to analyze). */
function analyzedResourceOperations(): Operation[] {
  type ResourceInput = { analyzerArn: string; resourceArn: string };
  const missing = (input: ResourceInput) => notFound('AnalyzedResource', input.resourceArn, `Analyzed resource ${input.resourceArn} not found.`);
  return [
    onAnalyzer<{ analyzerArn: string; maxResults?: number; nextToken?: string }>('ListAnalyzedResources', byArn, { readOnly: true, handle: async () => ({ analyzedResources: [] }) }),
    onAnalyzer<ResourceInput>('GetAnalyzedResource', byArn, { readOnly: true, handle: async (input) => { throw missing(input); } }),
    onAnalyzer<ResourceInput>('StartResourceScan', byArn, { handle: async (input) => { throw missing(input); } }),
  ];
}

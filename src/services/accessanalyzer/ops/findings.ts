// Findings of an analyzer: an unused-access analyzer's come from the UsageSource seam
// (../unused-access.ts); an external-access analyzer finds nothing yet, and has analyzed no resource.

import type { CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { notFound, validation } from '../errors.ts';
import { page } from '../operation.ts';
import { findingDetailsV2, findingSummaryV2, unusedAccessFindings, type UsageSource } from '../unused-access.ts';
import { byArn, onAnalyzer, type AnalyzerDoc } from './analyzer-store.ts';

/**
 * Findings: an unused-access analyzer reports what `usage` says has gone unused for its
 * `unusedAccessAge` (90 days unless configured); external-access analyzers find nothing yet
 * (ListFindings, GetFinding are theirs and answer empty / not found).
 */
export function findingOperations(usage: UsageSource): Operation[] {
  type ListInput = { analyzerArn: string; maxResults?: number; nextToken?: string };
  type GetInput = { analyzerArn: string; id: string };
  const missing = (input: GetInput) => notFound('Finding', input.id, `Finding ${input.id} not found.`);
  async function unused(a: AnalyzerDoc, ctx: CallContext, tx: Tx) {
    if (a.type !== 'ACCOUNT_UNUSED_ACCESS') return [];
    const age = (a.configuration?.unusedAccess as { unusedAccessAge?: number } | undefined)?.unusedAccessAge;
    return unusedAccessFindings(await usage(ctx.account, tx), { now: ctx.now, unusedAccessAge: age });
  }
  return [
    onAnalyzer<ListInput>('ListFindings', byArn, { readOnly: true, handle: async () => ({ findings: [] }) }),
    onAnalyzer<ListInput>('ListFindingsV2', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const { items, next } = page(await unused(a, ctx, tx), input);
        return { findings: items.map(findingSummaryV2), nextToken: next };
      },
    }),
    onAnalyzer<GetInput>('GetFinding', byArn, { readOnly: true, handle: async (input) => { throw missing(input); } }),
    onAnalyzer<GetInput>('GetFindingRecommendation', byArn, { readOnly: true, handle: async (input) => { throw missing(input); } }),
    // Its model has no not-found error: an unknown finding is a ValidationException.
    onAnalyzer<GetInput>('GenerateFindingRecommendation', byArn, { handle: async (input) => { throw validation(`Finding ${input.id} not found.`, 'other'); } }),
    onAnalyzer<{ analyzerArn: string; status: string; ids?: string[]; resourceArn?: string }>('UpdateFindings', byArn, {
      async handle(input, a, ctx, tx) {
        // Finding statuses are not kept yet: an unknown id is not found, and changing a current
        // finding's status is refused rather than pretended.
        const current = new Set((await unused(a, ctx, tx)).map((f) => f.id));
        const unknown = (input.ids ?? []).find((id) => !current.has(id));
        if (unknown !== undefined) throw notFound('Finding', unknown, `Finding ${unknown} not found.`);
        if (input.ids?.length) throw validation('Updating finding statuses is not supported by iamd.', 'notSupported');
      },
    }),
    onAnalyzer<{ analyzerArn: string }>('GetFindingsStatistics', byArn, {
      readOnly: true,
      async handle(_input, a, ctx, tx) {
        if (a.type !== 'ACCOUNT_UNUSED_ACCESS') {
          return { findingsStatistics: [{ externalAccessFindingsStatistics: { totalActiveFindings: 0, totalArchivedFindings: 0, totalResolvedFindings: 0 } }], lastUpdatedAt: ctx.now };
        }
        const findings = await unused(a, ctx, tx);
        const byType = new Map<string, number>();
        for (const f of findings) byType.set(f.findingType, (byType.get(f.findingType) ?? 0) + 1);
        return {
          findingsStatistics: [{
            unusedAccessFindingsStatistics: {
              totalActiveFindings: findings.length,
              totalArchivedFindings: 0,
              totalResolvedFindings: 0,
              unusedAccessTypeStatistics: [...byType].map(([unusedAccessType, total]) => ({ unusedAccessType, total })),
            },
          }],
          lastUpdatedAt: ctx.now,
        };
      },
    }),
    onAnalyzer<GetInput>('GetFindingV2', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const found = (await unused(a, ctx, tx)).find((f) => f.id === input.id);
        if (!found) throw missing(input);
        return { ...findingSummaryV2(found), findingDetails: findingDetailsV2(found) };
      },
    }),
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

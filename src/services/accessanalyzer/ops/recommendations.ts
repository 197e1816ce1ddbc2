// GenerateFindingRecommendation and GetFindingRecommendation for an unused-access analyzer's
// UnusedPermission findings (the only kind AWS recommends for): the steps of ../recommendation.ts over
// the principal's current policies, worked out within the Generate request — so Get finds it
// SUCCEEDED — and kept (kind `accessanalyzer:recommendation`, key `<region>/<analyzer>/<finding id>`)
// until generated again or the analyzer is deleted.

import type { CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { notFound, validation } from '../errors.ts';
import { page } from '../operation.ts';
import { recommendedSteps, type RecommendedStep } from '../recommendation.ts';
import type { UnusedAccessData } from '../unused-access.ts';
import { byArn, onAnalyzer, type AnalyzerDoc } from './analyzer-store.ts';
import { analyzerFindings } from './finding-status.ts';

export const RECOMMENDATION_KIND = 'accessanalyzer:recommendation';

interface RecommendationDoc {
  resourceArn: string;
  startedAt: string;
  completedAt: string;
  steps: (Omit<RecommendedStep, 'policyUpdatedAt'> & { policyUpdatedAt?: string })[];
}

const keyOf = (ctx: CallContext, a: AnalyzerDoc, id: string) => `${ctx.region}/${a.name}/${id}`;

export async function forgetRecommendations(tx: Tx, ctx: CallContext, analyzer: string): Promise<void> {
  for (const e of await tx.list(ctx.account, RECOMMENDATION_KIND, { keyPrefix: `${ctx.region}/${analyzer}/` })) await tx.delete(ctx.account, RECOMMENDATION_KIND, e.key);
}

export function recommendationOperations(data: UnusedAccessData): Operation[] {
  type Input = { analyzerArn: string; id: string; maxResults?: number; nextToken?: string };
  return [
    onAnalyzer<Input>('GenerateFindingRecommendation', byArn, {
      async handle(input, a, ctx, tx) {
        const finding = (await analyzerFindings(data, a, ctx, tx)).find((f) => f.id === input.id);
        // Its model has no not-found error: an unknown finding is a ValidationException.
        if (!finding) throw validation(`Finding ${input.id} not found.`, 'other');
        if (finding.findingType !== 'UnusedPermission' || finding.serviceNamespace === undefined) {
          throw validation(`Recommendations are generated only for UnusedPermission findings; ${input.id} is ${finding.findingType}.`, 'other');
        }
        const policies = await data.policiesGranting(ctx.account, tx, finding.resource, finding.serviceNamespace);
        const steps = recommendedSteps(policies, finding.serviceNamespace, finding.usedActions ?? []);
        const now = ctx.now.toISOString();
        const doc: RecommendationDoc = {
          resourceArn: finding.resource,
          startedAt: now,
          completedAt: now,
          steps: steps.map(({ policyUpdatedAt, ...step }) => (policyUpdatedAt ? { ...step, policyUpdatedAt: policyUpdatedAt.toISOString() } : step)),
        };
        const key = keyOf(ctx, a, input.id);
        if (!(await tx.update(ctx.account, RECOMMENDATION_KIND, key, doc))) await tx.insert(ctx.account, RECOMMENDATION_KIND, key, doc);
      },
    }),
    onAnalyzer<Input>('GetFindingRecommendation', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const doc = (await tx.get<RecommendationDoc>(ctx.account, RECOMMENDATION_KIND, keyOf(ctx, a, input.id)))?.doc;
        if (!doc) throw notFound('FindingRecommendation', input.id, `Recommendation for finding ${input.id} not found.`);
        const { items, next } = page(doc.steps, input);
        return {
          startedAt: new Date(doc.startedAt),
          completedAt: new Date(doc.completedAt),
          resourceArn: doc.resourceArn,
          recommendationType: 'UnusedPermissionRecommendation',
          status: 'SUCCEEDED',
          recommendedSteps: items.map(({ policyUpdatedAt, ...step }) => ({
            unusedPermissionsRecommendedStep: policyUpdatedAt ? { ...step, policyUpdatedAt: new Date(policyUpdatedAt) } : step,
          })),
          nextToken: next,
        };
      },
    }),
  ];
}

// Analyzers for an account outside any organization: ACCOUNT (external access), ACCOUNT_UNUSED_ACCESS
// and ACCOUNT_INTERNAL_ACCESS, one of each type per region; ORGANIZATION* types are refused as AWS
// refuses an account whose organization has not enabled Access Analyzer. CreateAnalyzer is authorized on
// the new analyzer's ARN with `aws:RequestTag/…`, ListAnalyzers on `analyzer/*`, the others on the
// analyzer's ARN (analyzer-store.ts).

import type { AuthzCheck, Operation } from '../../../common/call.ts';
import { UniqueViolation } from '../../../store/types.ts';
import { requestTagContext } from '../../../authz/tag-context.ts';
import { conflict, notFound, quotaExceeded, validation } from '../errors.ts';
import { ACTION_PREFIX, analyzerArn, operation, page } from '../operation.ts';
import { NO_USAGE, type UnusedAccessData } from '../unused-access.ts';
import { byName, KIND, keyOf, onAnalyzer, save, summary, type AnalyzerDoc } from './analyzer-store.ts';
import { archiveRuleOperations } from './archive-rules.ts';
import { forgetStatuses } from './finding-status.ts';
import { findingOperations } from './findings.ts';
import { forgetRecommendations } from './recommendations.ts';
import { tagOperations } from './tags.ts';

const ACCOUNT_TYPES = new Set(['ACCOUNT', 'ACCOUNT_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS']);

/** The tracking period AWS allows an unused-access analyzer, in days (its API reference: 1–365). */
function checkConfiguration(configuration: Record<string, unknown> | undefined): void {
  const age = (configuration?.unusedAccess as { unusedAccessAge?: number } | undefined)?.unusedAccessAge;
  if (age !== undefined && (!Number.isInteger(age) || age < 1 || age > 365)) {
    throw validation('unusedAccessAge must be between 1 and 365 days.', 'fieldValidationFailed');
  }
}

interface CreateAnalyzerInput {
  analyzerName: string;
  type: string;
  archiveRules?: { ruleName: string; filter: Record<string, unknown> }[];
  tags?: Record<string, string>;
  configuration?: Record<string, unknown>;
}

function createAnalyzer(): Operation {
  return operation<CreateAnalyzerInput>('CreateAnalyzer', {
    authorize: (input, ctx): AuthzCheck[] => [{
      action: `${ACTION_PREFIX}:CreateAnalyzer`,
      resource: analyzerArn(ctx.region, ctx.account, input.analyzerName),
      context: requestTagContext(input.tags),
    }],
    async handle(input, ctx, tx) {
      checkConfiguration(input.configuration);
      if (!ACCOUNT_TYPES.has(input.type)) {
        // AWS's answer (recorded by Terraform users) for an account whose organization has not enabled
        // Access Analyzer — every iamd account is outside any organization.
        throw validation('Service not enabled for AWS Organizations', 'FIELD_VALIDATION_FAILED');
      }
      const existing = await tx.list<AnalyzerDoc>(ctx.account, KIND, { keyPrefix: `${ctx.region}/` });
      if (existing.some((e) => e.doc.type === input.type && e.doc.name !== input.analyzerName)) {
        throw quotaExceeded('Analyzer', input.analyzerName, `You can create only one analyzer of type ${input.type} per Region.`);
      }
      const now = ctx.now.toISOString();
      const doc: AnalyzerDoc = {
        name: input.analyzerName,
        arn: analyzerArn(ctx.region, ctx.account, input.analyzerName),
        type: input.type,
        createdAt: now,
        tags: input.tags ?? {},
        archiveRules: (input.archiveRules ?? []).map((r) => ({ ruleName: r.ruleName, filter: r.filter, createdAt: now, updatedAt: now })),
      };
      if (input.configuration) doc.configuration = input.configuration;
      // An unused-access analyzer reports access unused for 90 days unless told otherwise, and says so.
      else if (input.type === 'ACCOUNT_UNUSED_ACCESS') doc.configuration = { unusedAccess: { unusedAccessAge: 90 } };
      try {
        await tx.insert(ctx.account, KIND, keyOf(ctx.region, input.analyzerName), doc);
      } catch (e) {
        if (e instanceof UniqueViolation) throw conflict('Analyzer', input.analyzerName, `Analyzer ${input.analyzerName} already exists.`);
        throw e;
      }
      return { arn: doc.arn };
    },
  });
}

function listAnalyzers(): Operation {
  return operation<{ type?: string; maxResults?: number; nextToken?: string }>('ListAnalyzers', {
    readOnly: true,
    authorize: (_input, ctx): AuthzCheck[] => [{ action: `${ACTION_PREFIX}:ListAnalyzers`, resource: analyzerArn(ctx.region, ctx.account, '*') }],
    async handle(input, ctx, tx) {
      const all = (await tx.list<AnalyzerDoc>(ctx.account, KIND, { keyPrefix: `${ctx.region}/` }))
        .map((e) => e.doc)
        .filter((a) => input.type === undefined || a.type === input.type);
      const { items, next } = page(all, input);
      return { analyzers: items.map(summary), nextToken: next };
    },
  });
}

/** Service-linked analyzers are made by AWS services for themselves; a client can make none, so none exists. */
function serviceLinkedAnalyzerOperations(): Operation[] {
  return [
    operation<{ type: string }>('CreateServiceLinkedAnalyzer', {
      authorize: (_input, ctx): AuthzCheck[] => [{ action: `${ACTION_PREFIX}:CreateServiceLinkedAnalyzer`, resource: analyzerArn(ctx.region, ctx.account, '*') }],
      handle: async () => { throw validation('Service-linked analyzers can be created only by an AWS service.', 'notSupported'); },
    }),
    operation<{ analyzerName: string }>('DeleteServiceLinkedAnalyzer', {
      authorize: (input, ctx): AuthzCheck[] => [{ action: `${ACTION_PREFIX}:DeleteServiceLinkedAnalyzer`, resource: analyzerArn(ctx.region, ctx.account, input.analyzerName) }],
      handle: async (input) => { throw notFound('Analyzer', input.analyzerName, `Analyzer ${input.analyzerName} not found.`); },
    }),
  ];
}

/** The analyzer operations; `data` feeds unused-access findings (none without it). */
export const analyzerOperations = (data: UnusedAccessData = NO_USAGE): Operation[] => [
  createAnalyzer(),
  onAnalyzer<{ analyzerName: string }>('GetAnalyzer', byName, { readOnly: true, handle: async (_i, a) => ({ analyzer: summary(a) }) }),
  listAnalyzers(),
  onAnalyzer<{ analyzerName: string; configuration?: Record<string, unknown> }>('UpdateAnalyzer', byName, {
    async handle(input, a, ctx, tx) {
      checkConfiguration(input.configuration);
      if (input.configuration) a.configuration = input.configuration;
      await save(tx, ctx, a);
      return { configuration: a.configuration };
    },
  }),
  onAnalyzer<{ analyzerName: string }>('DeleteAnalyzer', byName, {
    async handle(_input, a, ctx, tx) {
      await tx.delete(ctx.account, KIND, keyOf(ctx.region, a.name));
      await forgetStatuses(tx, ctx, a.name);
      await forgetRecommendations(tx, ctx, a.name);
    },
  }),
  ...archiveRuleOperations(data),
  ...tagOperations(),
  ...findingOperations(data),
  ...serviceLinkedAnalyzerOperations(),
];

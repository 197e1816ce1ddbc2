// Analyzers, their archive rules and tags, and their findings, for an account outside any
// organization: ACCOUNT (external access) and ACCOUNT_UNUSED_ACCESS analyzers are kept in the store
// (kind `accessanalyzer:analyzer`, key `<region>/<name>`, one document per analyzer with its rules and
// tags — the entity store needs no migration); ORGANIZATION* types are refused as for an account
// without an organization. Findings are empty until last-accessed data is wired in (../unused-access.ts).
//
// Authorization: each operation is `access-analyzer:<Name>` on the analyzer's ARN
// (`arn:aws:access-analyzer:REGION:ACCOUNT:analyzer/NAME`), CreateAnalyzer with `aws:RequestTag/…`,
// the others with the analyzer's `aws:ResourceTag/…`.

import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { UniqueViolation } from '../../../store/types.ts';
import { requestTagContext, resourceTagContext } from '../../../authz/tag-context.ts';
import { conflict, notFound, quotaExceeded, validation } from '../errors.ts';
import { ACTION_PREFIX, analyzerArn, operation, page } from '../operation.ts';
import { findingDetailsV2, findingSummaryV2, NO_USAGE, unusedAccessFindings, type UsageSource } from '../unused-access.ts';

const KIND = 'accessanalyzer:analyzer';
const ACCOUNT_TYPES = new Set(['ACCOUNT', 'ACCOUNT_UNUSED_ACCESS', 'ACCOUNT_INTERNAL_ACCESS']);

interface ArchiveRule {
  ruleName: string;
  filter: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface AnalyzerDoc {
  name: string;
  arn: string;
  type: string;
  createdAt: string;
  tags: Record<string, string>;
  configuration?: Record<string, unknown>;
  archiveRules: ArchiveRule[];
}

const keyOf = (region: string, name: string) => `${region}/${name}`;

export async function findAnalyzer(tx: Tx, ctx: CallContext, name: string): Promise<AnalyzerDoc | undefined> {
  return (await tx.get<AnalyzerDoc>(ctx.account, KIND, keyOf(ctx.region, name)))?.doc;
}

async function requireAnalyzer(tx: Tx, ctx: CallContext, name: string): Promise<AnalyzerDoc> {
  const doc = await findAnalyzer(tx, ctx, name);
  if (!doc) throw notFound('Analyzer', name, `Analyzer ${name} not found.`);
  return doc;
}

/** The analyzer an ARN names, in the caller's account and region. */
function nameFromArn(ctx: CallContext, arn: string): string | undefined {
  const prefix = `${analyzerArn(ctx.region, ctx.account, '')}`;
  return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
}

const summary = (a: AnalyzerDoc) => ({
  arn: a.arn,
  name: a.name,
  type: a.type,
  createdAt: new Date(a.createdAt),
  tags: a.tags,
  status: 'ACTIVE',
  ...(a.configuration ? { configuration: a.configuration } : {}),
});

const ruleView = (r: ArchiveRule) => ({ ruleName: r.ruleName, filter: r.filter, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });

/** An operation on the analyzer named in the input (by name or ARN). */
export function onAnalyzer<I>(name: string, nameOf: (input: I, ctx: CallContext) => string, spec: {
  readOnly?: boolean;
  handle(input: I, analyzer: AnalyzerDoc, ctx: CallContext, tx: Tx): Promise<Record<string, unknown> | void>;
}): Operation {
  return operation<I>(name, {
    readOnly: spec.readOnly,
    async authorize(input, ctx, tx): Promise<AuthzCheck[]> {
      const analyzerName = nameOf(input, ctx);
      const found = await findAnalyzer(tx, ctx, analyzerName);
      return [{
        action: `${ACTION_PREFIX}:${name}`,
        resource: analyzerArn(ctx.region, ctx.account, analyzerName),
        context: found ? resourceTagContext(found.tags) : {},
      }];
    },
    async handle(input, ctx, tx) {
      const analyzer = await requireAnalyzer(tx, ctx, nameOf(input, ctx));
      return (await spec.handle(input, analyzer, ctx, tx)) ?? {};
    },
  });
}

const byName = (input: { analyzerName: string }) => input.analyzerName;
export const byArn = (input: { analyzerArn: string }, ctx: CallContext) => {
  const name = nameFromArn(ctx, input.analyzerArn);
  if (name === undefined || name === '') throw notFound('Analyzer', input.analyzerArn, `Analyzer ${input.analyzerArn} not found.`);
  return name;
};

async function save(tx: Tx, ctx: CallContext, doc: AnalyzerDoc): Promise<void> {
  await tx.update(ctx.account, KIND, keyOf(ctx.region, doc.name), doc);
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

function archiveRuleOperations(): Operation[] {
  type RuleInput = { analyzerName: string; ruleName: string; filter?: Record<string, unknown> };
  const find = (a: AnalyzerDoc, name: string) => {
    const rule = a.archiveRules.find((r) => r.ruleName === name);
    if (!rule) throw notFound('ArchiveRule', name, `Archive rule ${name} not found.`);
    return rule;
  };
  return [
    onAnalyzer<RuleInput>('CreateArchiveRule', byName, {
      async handle(input, a, ctx, tx) {
        if (a.archiveRules.some((r) => r.ruleName === input.ruleName)) throw conflict('ArchiveRule', input.ruleName, `Archive rule ${input.ruleName} already exists.`);
        const now = ctx.now.toISOString();
        a.archiveRules.push({ ruleName: input.ruleName, filter: input.filter ?? {}, createdAt: now, updatedAt: now });
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<RuleInput>('GetArchiveRule', byName, {
      readOnly: true,
      handle: async (input, a) => ({ archiveRule: ruleView(find(a, input.ruleName)) }),
    }),
    onAnalyzer<RuleInput>('UpdateArchiveRule', byName, {
      async handle(input, a, ctx, tx) {
        const rule = find(a, input.ruleName);
        rule.filter = input.filter ?? rule.filter;
        rule.updatedAt = ctx.now.toISOString();
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<RuleInput>('DeleteArchiveRule', byName, {
      async handle(input, a, ctx, tx) {
        find(a, input.ruleName);
        a.archiveRules = a.archiveRules.filter((r) => r.ruleName !== input.ruleName);
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<{ analyzerName: string; maxResults?: number; nextToken?: string }>('ListArchiveRules', byName, {
      readOnly: true,
      async handle(input, a) {
        const { items, next } = page(a.archiveRules, input);
        return { archiveRules: items.map(ruleView), nextToken: next };
      },
    }),
    onAnalyzer<{ analyzerArn: string; ruleName: string }>('ApplyArchiveRule', byArn, {
      // No findings yet, so applying a rule archives nothing; the rule must still exist.
      handle: async (input, a) => void find(a, input.ruleName),
    }),
  ];
}

function tagOperations(): Operation[] {
  const byResource = (input: { resourceArn: string }, ctx: CallContext) => byArn({ analyzerArn: input.resourceArn }, ctx);
  return [
    onAnalyzer<{ resourceArn: string; tags: Record<string, string> }>('TagResource', byResource, {
      async handle(input, a, ctx, tx) {
        a.tags = { ...a.tags, ...input.tags };
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<{ resourceArn: string; tagKeys: string[] }>('UntagResource', byResource, {
      async handle(input, a, ctx, tx) {
        a.tags = Object.fromEntries(Object.entries(a.tags).filter(([k]) => !input.tagKeys.includes(k)));
        await save(tx, ctx, a);
      },
    }),
    onAnalyzer<{ resourceArn: string }>('ListTagsForResource', byResource, {
      readOnly: true,
      handle: async (_input, a) => ({ tags: a.tags }),
    }),
  ];
}

/**
 * Findings: an unused-access analyzer reports what `usage` says has gone unused for its
 * `unusedAccessAge` (90 days unless configured); external-access analyzers find nothing yet
 * (ListFindings, GetFinding are theirs and answer empty / not found).
 */
function findingOperations(usage: UsageSource): Operation[] {
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
        // Finding statuses are not kept yet: every listed id must be a current finding, and none is
        // while no usage records reach the analyzer.
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
  ];
}

/** The analyzer operations; `usage` feeds unused-access findings (none until last-accessed data is wired). */
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

export const analyzerOperations = (usage: UsageSource = NO_USAGE): Operation[] => [
  createAnalyzer(),
  onAnalyzer<{ analyzerName: string }>('GetAnalyzer', byName, { readOnly: true, handle: async (_i, a) => ({ analyzer: summary(a) }) }),
  listAnalyzers(),
  onAnalyzer<{ analyzerName: string; configuration?: Record<string, unknown> }>('UpdateAnalyzer', byName, {
    async handle(input, a, ctx, tx) {
      if (input.configuration) a.configuration = input.configuration;
      await save(tx, ctx, a);
      return { configuration: a.configuration };
    },
  }),
  onAnalyzer<{ analyzerName: string }>('DeleteAnalyzer', byName, {
    async handle(_input, a, ctx, tx) {
      await tx.delete(ctx.account, KIND, keyOf(ctx.region, a.name));
    },
  }),
  ...archiveRuleOperations(),
  ...tagOperations(),
  ...findingOperations(usage),
  ...analyzedResourceOperations(),
  ...serviceLinkedAnalyzerOperations(),
];

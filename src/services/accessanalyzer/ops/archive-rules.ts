// Archive rules of an analyzer: kept in its document, named uniquely within it. A rule archives the
// findings it matches when applied (ApplyArchiveRule) and, as on AWS, every new finding it matches
// (finding-status.ts) — for an unused-access analyzer; an external-access one finds nothing yet.

import type { Operation } from '../../../common/call.ts';
import { conflict, notFound } from '../errors.ts';
import { page } from '../operation.ts';
import { matchesFilter, type FilterCriteria } from '../finding-filter.ts';
import type { UnusedAccessData } from '../unused-access.ts';
import { byArn, byName, onAnalyzer, ruleView, save, type AnalyzerDoc } from './analyzer-store.ts';
import { analyzerFindings, fieldsOf, setStatus } from './finding-status.ts';

export function archiveRuleOperations(data: UnusedAccessData): Operation[] {
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
      async handle(input, a, ctx, tx) {
        const rule = find(a, input.ruleName);
        for (const f of await analyzerFindings(data, a, ctx, tx)) {
          if (f.status === 'ACTIVE' && matchesFilter(fieldsOf(f), rule.filter as FilterCriteria)) await setStatus(tx, ctx, a, f.id, 'ARCHIVED');
        }
      },
    }),
  ];
}

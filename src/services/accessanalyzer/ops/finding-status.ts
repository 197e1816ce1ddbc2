// What an analyzer keeps about its findings: the status a client set (UpdateFindings, ApplyArchiveRule)
// — one small document per finding (kind `accessanalyzer:finding-status`, key
// `<region>/<analyzer>/<finding id>`), since the findings themselves are worked out afresh from the
// last-accessed data on every read. A finding with no stored status is ARCHIVED when one of the
// analyzer's archive rules matches it (AWS archives new findings by its rules), else ACTIVE.

import type { CallContext } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { matchesFilter, type FilterCriteria, type FindingFields } from '../finding-filter.ts';
import { unusedAccessFindings, type UnusedAccessData, type UnusedFinding } from '../unused-access.ts';
import type { AnalyzerDoc } from './analyzer-store.ts';

export const STATUS_KIND = 'accessanalyzer:finding-status';

export type FindingStatus = 'ACTIVE' | 'ARCHIVED';

interface StatusDoc {
  status: FindingStatus;
  updatedAt: string;
}

/** A finding as its analyzer shows it: with its status and the time that status (or it) last changed. */
export interface AnalyzerFinding extends UnusedFinding {
  status: FindingStatus;
  updatedAt: Date;
}

const prefixOf = (ctx: CallContext, analyzer: string) => `${ctx.region}/${analyzer}/`;

export const fieldsOf = (f: UnusedFinding & { status: string }): FindingFields => ({
  id: f.id,
  status: f.status,
  resource: f.resource,
  resourceType: f.resourceType,
  resourceOwnerAccount: f.resourceOwnerAccount,
  findingType: f.findingType,
});

const ruleArchives = (a: AnalyzerDoc, f: UnusedFinding) =>
  a.archiveRules.some((r) => matchesFilter(fieldsOf({ ...f, status: 'ACTIVE' }), r.filter as FilterCriteria));

export async function withStatuses(tx: Tx, ctx: CallContext, a: AnalyzerDoc, findings: readonly UnusedFinding[]): Promise<AnalyzerFinding[]> {
  const prefix = prefixOf(ctx, a.name);
  const stored = new Map((await tx.list<StatusDoc>(ctx.account, STATUS_KIND, { keyPrefix: prefix })).map((e) => [e.key.slice(prefix.length), e.doc]));
  const analyzerMade = Date.parse(a.createdAt);
  return findings.map((found) => {
    // A finding is the analyzer's from its first analysis: one true before the analyzer existed dates from it.
    const f = found.createdAt.getTime() < analyzerMade ? { ...found, createdAt: new Date(analyzerMade) } : found;
    const kept = stored.get(f.id);
    if (kept) return { ...f, status: kept.status, updatedAt: new Date(Math.max(f.createdAt.getTime(), Date.parse(kept.updatedAt))) };
    return { ...f, status: ruleArchives(a, f) ? 'ARCHIVED' : 'ACTIVE', updatedAt: f.createdAt };
  });
}

export async function setStatus(tx: Tx, ctx: CallContext, a: AnalyzerDoc, id: string, status: FindingStatus): Promise<void> {
  const key = `${prefixOf(ctx, a.name)}${id}`;
  const doc: StatusDoc = { status, updatedAt: ctx.now.toISOString() };
  if (!(await tx.update(ctx.account, STATUS_KIND, key, doc))) await tx.insert(ctx.account, STATUS_KIND, key, doc);
}

/** The analyzer's current findings, with their statuses: none unless it is an unused-access analyzer. */
export async function analyzerFindings(data: UnusedAccessData, a: AnalyzerDoc, ctx: CallContext, tx: Tx): Promise<AnalyzerFinding[]> {
  if (a.type !== 'ACCOUNT_UNUSED_ACCESS') return [];
  const age = (a.configuration?.unusedAccess as { unusedAccessAge?: number } | undefined)?.unusedAccessAge;
  return withStatuses(tx, ctx, a, unusedAccessFindings(await data.usage(ctx.account, tx), { now: ctx.now, unusedAccessAge: age }));
}

/** An analyzer deleted takes its findings' statuses with it: one made again under its name starts afresh. */
export async function forgetStatuses(tx: Tx, ctx: CallContext, analyzer: string): Promise<void> {
  for (const e of await tx.list(ctx.account, STATUS_KIND, { keyPrefix: prefixOf(ctx, analyzer) })) await tx.delete(ctx.account, STATUS_KIND, e.key);
}

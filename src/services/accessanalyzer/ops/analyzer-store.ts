// How analyzers are kept and reached: one store document per analyzer (kind `accessanalyzer:analyzer`,
// key `<region>/<name>`, its archive rules and tags inside — the entity store needs no migration on
// SQLite or PostgreSQL), found by name or ARN in the caller's account and region; and the shape of an
// operation on one analyzer — `access-analyzer:<Name>` on its ARN, with its `aws:ResourceTag/…`.

import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { resourceTagContext } from '../../../authz/tag-context.ts';
import { notFound } from '../errors.ts';
import { ACTION_PREFIX, analyzerArn, operation } from '../operation.ts';

export const KIND = 'accessanalyzer:analyzer';

export interface ArchiveRule {
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

export const keyOf = (region: string, name: string) => `${region}/${name}`;

export async function findAnalyzer(tx: Tx, ctx: CallContext, name: string): Promise<AnalyzerDoc | undefined> {
  return (await tx.get<AnalyzerDoc>(ctx.account, KIND, keyOf(ctx.region, name)))?.doc;
}

export async function requireAnalyzer(tx: Tx, ctx: CallContext, name: string): Promise<AnalyzerDoc> {
  const doc = await findAnalyzer(tx, ctx, name);
  if (!doc) throw notFound('Analyzer', name, `Analyzer ${name} not found.`);
  return doc;
}

/** The analyzer an ARN names, in the caller's account and region. */
function nameFromArn(ctx: CallContext, arn: string): string | undefined {
  const prefix = `${analyzerArn(ctx.region, ctx.account, '')}`;
  return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
}

export const summary = (a: AnalyzerDoc) => ({
  arn: a.arn,
  name: a.name,
  type: a.type,
  createdAt: new Date(a.createdAt),
  tags: a.tags,
  status: 'ACTIVE',
  ...(a.configuration ? { configuration: a.configuration } : {}),
});

export const ruleView = (r: ArchiveRule) => ({ ruleName: r.ruleName, filter: r.filter, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) });

/**
 * An operation on the analyzer named in the input (by name or ARN), authorized as
 * `access-analyzer:<name>` unless `action` names the one it shares (ListFindingsV2 is ListFindings).
 */
export function onAnalyzer<I>(name: string, nameOf: (input: I, ctx: CallContext) => string, spec: {
  readOnly?: boolean;
  action?: string;
  handle(input: I, analyzer: AnalyzerDoc, ctx: CallContext, tx: Tx): Promise<Record<string, unknown> | void>;
}): Operation {
  return operation<I>(name, {
    readOnly: spec.readOnly,
    async authorize(input, ctx, tx): Promise<AuthzCheck[]> {
      const analyzerName = nameOf(input, ctx);
      const found = await findAnalyzer(tx, ctx, analyzerName);
      return [{
        action: `${ACTION_PREFIX}:${spec.action ?? name}`,
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

export const byName = (input: { analyzerName: string }) => input.analyzerName;
export const byArn = (input: { analyzerArn: string }, ctx: CallContext) => {
  const name = nameFromArn(ctx, input.analyzerArn);
  if (name === undefined || name === '') throw notFound('Analyzer', input.analyzerArn, `Analyzer ${input.analyzerArn} not found.`);
  return name;
};

export async function save(tx: Tx, ctx: CallContext, doc: AnalyzerDoc): Promise<void> {
  await tx.update(ctx.account, KIND, keyOf(ctx.region, doc.name), doc);
}

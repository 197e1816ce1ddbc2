// Access previews: what external access proposed resource configurations would grant, judged against
// an external-access (ACCOUNT) analyzer's zone of trust — the account. iamd judges role trust policies
// (`iamRole`): each Allow statement naming a principal outside the account (another account, a wildcard,
// `*`, a federated identity) is a finding, `isPublic` when anyone could match. A preview holding any
// other kind of configuration ends FAILED with INVALID_CONFIGURATION rather than claim no access.
// Previews are stored (kind `accessanalyzer:access-preview`); each operation is
// `access-analyzer:<Operation>` on the analyzer's ARN.

import { createHash, randomUUID } from 'node:crypto';
import type { CallContext, Operation } from '../../../common/call.ts';
import type { Tx } from '../../../store/types.ts';
import { readStatements, type Statement } from '../custom/statements.ts';
import { conflict, notFound, validation } from '../errors.ts';
import { page } from '../operation.ts';
import { byArn, onAnalyzer, type AnalyzerDoc } from './analyzer-store.ts';

const KIND = 'accessanalyzer:access-preview';
const keyOf = (region: string, id: string) => `${region}/${id}`;

interface PreviewFinding {
  id: string;
  principal: Record<string, string>;
  action: string[];
  condition: Record<string, string>;
  resource: string;
  isPublic: boolean;
  resourceType: string;
  createdAt: string;
  changeType: 'NEW';
  status: 'ACTIVE';
  resourceOwnerAccount: string;
}

interface PreviewDoc {
  id: string;
  analyzerArn: string;
  configurations: Record<string, Record<string, unknown>>;
  createdAt: string;
  status: 'COMPLETED' | 'FAILED';
  statusReason?: { code: 'INVALID_CONFIGURATION' };
  findings: PreviewFinding[];
}

/** The principals of a trust statement that lie outside `account`, each with whether anyone could be it. */
function externalPrincipals(s: Statement, account: string): { type: string; value: string; isPublic: boolean }[] {
  if (s.notPrincipal) return [{ type: 'AWS', value: '*', isPublic: true }];
  const p = s.principal;
  if (p === undefined) return [];
  if (p === '*') return [{ type: 'AWS', value: '*', isPublic: true }];
  const out: { type: string; value: string; isPublic: boolean }[] = [];
  for (const v of p.AWS ?? []) {
    const owner = /^\d{12}$/.test(v) ? v : v.split(':')[4];
    if (v.includes('*') || owner === undefined || /[*?]/.test(owner)) out.push({ type: 'AWS', value: v, isPublic: true });
    else if (owner !== account) out.push({ type: 'AWS', value: v, isPublic: false });
  }
  for (const v of p.Federated ?? []) out.push({ type: 'Federated', value: v, isPublic: !/^arn:[^:]+:iam::\d{12}:saml-provider\//.test(v) });
  return out;
}

function trustFindings(previewId: string, roleArn: string, trustPolicy: string, ctx: CallContext): PreviewFinding[] | undefined {
  const read = readStatements(trustPolicy, 'trust');
  if (!read.ok) return undefined;
  const findings: PreviewFinding[] = [];
  for (const s of read.statements) {
    if (s.effect !== 'Allow') continue;
    for (const principal of externalPrincipals(s, ctx.account)) {
      const digest = createHash('sha256').update(`${previewId}/${roleArn}/${s.index}/${principal.type}/${principal.value}`).digest('hex');
      findings.push({
        id: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`,
        principal: { [principal.type]: principal.value },
        action: s.action ?? ['*'],
        condition: Object.fromEntries(s.conditions.map((c) => [c.key, c.values.join(',')])),
        resource: roleArn,
        isPublic: principal.isPublic,
        resourceType: 'AWS::IAM::Role',
        createdAt: ctx.now.toISOString(),
        changeType: 'NEW',
        status: 'ACTIVE',
        resourceOwnerAccount: ctx.account,
      });
    }
  }
  return findings;
}

function requireExternalAccess(a: AnalyzerDoc): void {
  if (a.type !== 'ACCOUNT') throw validation(`Access previews are supported only for analyzers of type ACCOUNT or ORGANIZATION; ${a.name} is ${a.type}.`, 'notSupported');
}

async function requirePreview(tx: Tx, ctx: CallContext, a: AnalyzerDoc, id: string): Promise<PreviewDoc> {
  const doc = (await tx.get<PreviewDoc>(ctx.account, KIND, keyOf(ctx.region, id)))?.doc;
  if (!doc || doc.analyzerArn !== a.arn) throw notFound('AccessPreview', id, `Access preview ${id} not found.`);
  return doc;
}

const summary = (p: PreviewDoc) => ({
  id: p.id,
  analyzerArn: p.analyzerArn,
  createdAt: new Date(p.createdAt),
  status: p.status,
  ...(p.statusReason ? { statusReason: p.statusReason } : {}),
});

export function accessPreviewOperations(): Operation[] {
  return [
    onAnalyzer<{ analyzerArn: string; configurations: Record<string, Record<string, unknown>> }>('CreateAccessPreview', byArn, {
      async handle(input, a, ctx, tx) {
        requireExternalAccess(a);
        const id = randomUUID();
        const findings: PreviewFinding[] = [];
        let failed = false;
        for (const [resourceArn, configuration] of Object.entries(input.configurations)) {
          const role = configuration.iamRole as { trustPolicy?: string } | undefined;
          const kinds = Object.keys(configuration);
          const judged = role && kinds.length === 1 ? trustFindings(id, resourceArn, role.trustPolicy ?? '', ctx) : undefined;
          if (judged === undefined) failed = true;
          else findings.push(...judged);
        }
        const doc: PreviewDoc = {
          id,
          analyzerArn: a.arn,
          configurations: input.configurations,
          createdAt: ctx.now.toISOString(),
          status: failed ? 'FAILED' : 'COMPLETED',
          findings: failed ? [] : findings,
        };
        if (failed) doc.statusReason = { code: 'INVALID_CONFIGURATION' };
        await tx.insert(ctx.account, KIND, keyOf(ctx.region, id), doc);
        return { id };
      },
    }),
    onAnalyzer<{ analyzerArn: string; accessPreviewId: string }>('GetAccessPreview', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const p = await requirePreview(tx, ctx, a, input.accessPreviewId);
        return { accessPreview: { ...summary(p), configurations: p.configurations } };
      },
    }),
    onAnalyzer<{ analyzerArn: string; maxResults?: number; nextToken?: string }>('ListAccessPreviews', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const all = (await tx.list<PreviewDoc>(ctx.account, KIND, { keyPrefix: `${ctx.region}/` }))
          .map((e) => e.doc)
          .filter((p) => p.analyzerArn === a.arn)
          .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id));
        const { items, next } = page(all, input);
        return { accessPreviews: items.map(summary), nextToken: next };
      },
    }),
    onAnalyzer<{ analyzerArn: string; accessPreviewId: string; maxResults?: number; nextToken?: string }>('ListAccessPreviewFindings', byArn, {
      readOnly: true,
      async handle(input, a, ctx, tx) {
        const p = await requirePreview(tx, ctx, a, input.accessPreviewId);
        if (p.status !== 'COMPLETED') throw conflict('AccessPreview', p.id, `Access preview ${p.id} is ${p.status}; its findings can be listed once it is COMPLETED.`);
        const { items, next } = page(p.findings, input);
        return { findings: items.map((f) => ({ ...f, createdAt: new Date(f.createdAt) })), nextToken: next };
      },
    }),
  ];
}

// Access Advisor's IAM operations: GenerateServiceLastAccessedDetails (authorized on the ARN it
// reports on), GetServiceLastAccessedDetails and GetServiceLastAccessedDetailsWithEntities (on `*`,
// and only for the principal that generated the job: anyone else gets NoSuchEntity, as if the job did
// not exist), and ListPoliciesGrantingServiceAccess (on the user, group or role it names).

import { randomUUID } from 'node:crypto';
import type { AuthzCheck, CallContext, Operation } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check, roleCheck, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { invalidInput, noSuchAccessAdvisorJob } from '../errors.ts';
import { defineOp, groupCheck } from '../ops/define.ts';
import { pageMembers, paginate, type PageInput } from '../pagination.ts';
import { ACCESS_ADVISOR_JOB_KIND, ACCESS_ADVISOR_JOB_TYPE, findJob, type AccessAdvisorJobDoc, type AccessAdvisorJobPayload } from './jobs.ts';
import type { Granularity } from './report.ts';
import { namespacesAllowedBy } from './services.ts';
import { parseTargetArn, resolveTarget } from './target.ts';

export interface AccessAdvisorOpsDeps {
  iam: IamDeps;
  /** Wakes the job runner, so the report is built now rather than at the next poll. */
  kick(delayMs: number): void;
}

/** The job, if the caller is the principal that generated it. */
async function requireOwnJob(tx: Tx, ctx: CallContext, jobId: string): Promise<AccessAdvisorJobDoc> {
  const job = await findJob(tx, ctx.account, jobId);
  if (!job || job.creator !== ctx.caller.principal.arn) throw noSuchAccessAdvisorJob(jobId);
  return job;
}

/** The members every Get* answer starts with. */
function jobMembers(job: AccessAdvisorJobDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { JobStatus: job.JobStatus, JobCreationDate: new Date(job.JobCreationDate) };
  if (job.JobCompletionDate !== undefined) out.JobCompletionDate = new Date(job.JobCompletionDate);
  if (job.Error) out.Error = { Message: job.Error.Message, Code: job.Error.Code };
  return out;
}

/**
 * The check on the resource a request names: a user or role of the account brings its tags
 * (`aws:ResourceTag/…`) like any request about it; anything else is checked on the ARN as given.
 */
async function targetCheck(tx: Tx, ctx: CallContext, action: string, arn: string): Promise<AuthzCheck> {
  const target = parseTargetArn(arn);
  if (target?.owner === ctx.account) {
    const found = target.kind === 'user' ? await userCheck(tx, ctx, action, target.name) : target.kind === 'role' ? await roleCheck(tx, ctx, action, target.name) : target.kind === 'group' ? await groupCheck(tx, ctx, action, target.name) : undefined;
    if (found?.resource === arn) return found;
  }
  return check(action, arn);
}

const positionKey = (index: number): string => String(index).padStart(8, '0');

function keyed<T>(items: readonly T[]): { item: T; key: string }[] {
  return items.map((item, i) => ({ item, key: positionKey(i) }));
}

/**
 * ListPoliciesGrantingServiceAccess has a Marker and no MaxItems: a page holds whole namespaces, as
 * many as keep it within IAM's default page of 100 policies — at least one, however many it has.
 */
const POLICIES_PER_PAGE = 100;

function namespacesPerPage(remaining: readonly { item: { Policies: readonly unknown[] } }[]): number {
  let policies = 0;
  let count = 0;
  for (const { item } of remaining) {
    if (count > 0 && policies + item.Policies.length > POLICIES_PER_PAGE) break;
    policies += item.Policies.length;
    count += 1;
  }
  return Math.max(count, 1);
}

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

export function accessAdvisorOperations(deps: AccessAdvisorOpsDeps): Operation[] {
  const generate = defineOp<{ Arn: string; Granularity?: Granularity }>('GenerateServiceLastAccessedDetails', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'GenerateServiceLastAccessedDetails', input.Arn)],
    async handle(input, ctx, tx) {
      // The resource must exist now; the report itself is the job's.
      await resolveTarget(tx, deps.iam, ctx.account, input.Arn);
      const doc: AccessAdvisorJobDoc = {
        JobId: randomUUID(),
        creator: ctx.caller.principal.arn,
        arn: input.Arn,
        JobType: input.Granularity ?? 'SERVICE_LEVEL',
        JobStatus: 'IN_PROGRESS',
        JobCreationDate: ctx.now.toISOString(),
      };
      await tx.insert(ctx.account, ACCESS_ADVISOR_JOB_KIND, doc.JobId, doc);
      const payload: AccessAdvisorJobPayload = { job: doc.JobId };
      await tx.enqueueJob({ type: ACCESS_ADVISOR_JOB_TYPE, account: ctx.account, runAt: ctx.now.getTime(), payload });
      deps.kick(0);
      return { JobId: doc.JobId };
    },
  });

  const get = defineOp<{ JobId: string } & PageInput>('GetServiceLastAccessedDetails', {
    readOnly: true,
    authorize: () => [check('GetServiceLastAccessedDetails', '*')],
    async handle(input, ctx, tx) {
      const job = await requireOwnJob(tx, ctx, input.JobId);
      const page = paginate(keyed(job.services ?? []), (e) => e.key, input);
      const ServicesLastAccessed = page.items.map(({ item: s }) => {
        const out: Record<string, unknown> = { ServiceName: s.ServiceName, ServiceNamespace: s.ServiceNamespace, TotalAuthenticatedEntities: s.TotalAuthenticatedEntities };
        if (s.LastAuthenticated !== undefined) {
          out.LastAuthenticated = date(s.LastAuthenticated);
          out.LastAuthenticatedEntity = s.LastAuthenticatedEntity;
          out.LastAuthenticatedRegion = s.LastAuthenticatedRegion;
        }
        if (s.TrackedActionsLastAccessed) {
          out.TrackedActionsLastAccessed = s.TrackedActionsLastAccessed.map((a) => ({ ...a, LastAccessedTime: date(a.LastAccessedTime) }));
        }
        return out;
      });
      return { ...jobMembers(job), JobType: job.JobType, ServicesLastAccessed, ...pageMembers(page) };
    },
  });

  const withEntities = defineOp<{ JobId: string; ServiceNamespace: string } & PageInput>('GetServiceLastAccessedDetailsWithEntities', {
    readOnly: true,
    authorize: () => [check('GetServiceLastAccessedDetailsWithEntities', '*')],
    async handle(input, ctx, tx) {
      const job = await requireOwnJob(tx, ctx, input.JobId);
      const service = job.services?.find((s) => s.ServiceNamespace === input.ServiceNamespace);
      const page = paginate(keyed(service?.entities ?? []), (e) => e.key, input);
      const EntityDetailsList = page.items.map(({ item: e }) => (e.lastAuthenticated === undefined ? { EntityInfo: e.info } : { EntityInfo: e.info, LastAuthenticated: date(e.lastAuthenticated) }));
      return { ...jobMembers(job), EntityDetailsList, ...pageMembers(page) };
    },
  });

  const granting = defineOp<{ Arn: string; ServiceNamespaces: string[]; Marker?: string }>('ListPoliciesGrantingServiceAccess', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'ListPoliciesGrantingServiceAccess', input.Arn)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, deps.iam, ctx.account, input.Arn);
      if (target.type === 'POLICY') throw invalidInput(`ARN ${input.Arn} is not valid.`);
      const allowed = await Promise.all(target.policies.map(async (p) => ({ policy: p, namespaces: new Set(await namespacesAllowedBy(p.document)) })));
      const entries = keyed(input.ServiceNamespaces.map((ServiceNamespace) => ({
        ServiceNamespace,
        Policies: allowed
          .filter((a) => a.namespaces.has(ServiceNamespace))
          .map(({ policy: { document: _document, updatedAt: _updatedAt, ...entry } }) => entry),
      })));
      const keyOf = (e: { key: string }) => e.key;
      const remaining = paginate(entries, keyOf, { Marker: input.Marker, MaxItems: Math.max(entries.length, 1) }).items;
      const page = paginate(entries, keyOf, { Marker: input.Marker, MaxItems: namespacesPerPage(remaining) });
      return { PoliciesGrantingServiceAccess: page.items.map((e) => e.item), ...pageMembers(page) };
    },
  });

  return [generate, get, withEntities, granting] as Operation[];
}

// Policy generation: StartPolicyGeneration reads the principal's calls in the time range from iamd's
// event log (the record CloudTrail serves; `cloudTrailDetails` names the range, its trails and access
// role are accepted as they stand) and keeps the job with the policy it built — done in the request, so
// the job is SUCCEEDED (or FAILED: the principal does not exist) by the time GetGeneratedPolicy is
// asked. Jobs live in the store (kind `accessanalyzer:policy-generation`). Each operation is
// `access-analyzer:<Operation>` on `*`.

import { randomUUID } from 'node:crypto';
import type { AuthzCheck, CallContext, Operation } from '../../../common/call.ts';
import type { Store, Tx } from '../../../store/types.ts';
import { atOrBefore, listEvents, type StoredEvent } from '../../../audit/index.ts';
import { findRole, findUser } from '../../../iam/lookups.ts';
import { validation } from '../errors.ts';
import { madeBy, policyFromEvents } from '../generated-policy.ts';
import { ACTION_PREFIX, operation, page } from '../operation.ts';

const KIND = 'accessanalyzer:policy-generation';
/** At most this many events are read for one job; beyond it the policy is marked incomplete. */
const SCAN_LIMIT = 100_000;
const CHUNK = 1_000;
const DAY_MS = 86_400_000;

type JobStatus = 'SUCCEEDED' | 'FAILED';

interface Trail {
  cloudTrailArn: string;
  regions?: string[];
  allRegions?: boolean;
}

interface JobDoc {
  jobId: string;
  principalArn: string;
  status: JobStatus;
  startedOn: string;
  completedOn?: string;
  jobError?: { code: string; message: string };
  trails: Trail[];
  startTime: string;
  endTime: string;
  policy?: string;
  isComplete: boolean;
}

const onStar = (name: string) => (): AuthzCheck[] => [{ action: `${ACTION_PREFIX}:${name}`, resource: '*' }];
const keyOf = (region: string, jobId: string) => `${region}/${jobId}`;

const PRINCIPAL = /^arn:aws:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/;

async function principalExists(tx: Tx, ctx: CallContext, arn: string): Promise<boolean> {
  const m = PRINCIPAL.exec(arn);
  if (!m || m[1] !== ctx.account) return false;
  const doc = m[2] === 'role' ? await findRole(tx, ctx.account, m[3]) : await findUser(tx, ctx.account, m[3]);
  return doc?.Arn === arn;
}

/** The principal's events in [start, end], newest first, up to SCAN_LIMIT read. */
async function eventsOf(tx: Tx, account: string, principalArn: string, start: number, end: number): Promise<{ events: StoredEvent[]; complete: boolean }> {
  const events: StoredEvent[] = [];
  let after = atOrBefore(end);
  let read = 0;
  for (;;) {
    const chunk = await listEvents(tx, account, after, CHUNK);
    for (const e of chunk) {
      if (e.doc.t < start) return { events, complete: true };
      if (madeBy(e.doc, principalArn)) events.push(e.doc);
    }
    read += chunk.length;
    if (chunk.length < CHUNK) return { events, complete: true };
    if (read >= SCAN_LIMIT) return { events, complete: false };
    after = chunk[chunk.length - 1].key;
  }
}

interface StartInput {
  policyGenerationDetails: { principalArn: string };
  cloudTrailDetails?: { trails: Trail[]; accessRole: string; startTime: Date; endTime?: Date };
}

function start(eventLog: Store): Operation {
  return operation<StartInput>('StartPolicyGeneration', {
    authorize: onStar('StartPolicyGeneration'),
    async handle(input, ctx, tx) {
      const principalArn = input.policyGenerationDetails.principalArn;
      const trail = input.cloudTrailDetails;
      const end = trail?.endTime?.getTime() ?? ctx.now.getTime();
      const begin = trail?.startTime.getTime() ?? end - 90 * DAY_MS;
      if (begin > end) throw validation('The startTime must be before the endTime.', 'fieldValidationFailed');
      const job: JobDoc = {
        jobId: randomUUID(),
        principalArn,
        status: 'SUCCEEDED',
        startedOn: ctx.now.toISOString(),
        completedOn: ctx.now.toISOString(),
        trails: trail?.trails ?? [],
        startTime: new Date(begin).toISOString(),
        endTime: new Date(end).toISOString(),
        isComplete: true,
      };
      if (!(await principalExists(tx, ctx, principalArn))) {
        job.status = 'FAILED';
        job.jobError = { code: 'RESOURCE_NOT_FOUND_ERROR', message: `The principal ${principalArn} does not exist.` };
      } else {
        const { events, complete } = await eventLog.read((log) => eventsOf(log, ctx.account, principalArn, begin, end));
        const policy = policyFromEvents(events);
        if (policy) job.policy = policy;
        job.isComplete = complete;
      }
      await tx.insert(ctx.account, KIND, keyOf(ctx.region, job.jobId), job);
      return { jobId: job.jobId };
    },
  });
}

async function requireJob(tx: Tx, ctx: CallContext, jobId: string): Promise<JobDoc> {
  const job = (await tx.get<JobDoc>(ctx.account, KIND, keyOf(ctx.region, jobId)))?.doc;
  if (!job) throw validation(`Job ${jobId} does not exist.`, 'other');
  return job;
}

const jobDetails = (j: JobDoc) => ({
  jobId: j.jobId,
  status: j.status,
  startedOn: new Date(j.startedOn),
  ...(j.completedOn ? { completedOn: new Date(j.completedOn) } : {}),
  ...(j.jobError ? { jobError: j.jobError } : {}),
});

function get(): Operation {
  return operation<{ jobId: string; includeResourcePlaceholders?: boolean; includeServiceLevelTemplate?: boolean }>('GetGeneratedPolicy', {
    readOnly: true,
    authorize: onStar('GetGeneratedPolicy'),
    async handle(input, ctx, tx) {
      const j = await requireJob(tx, ctx, input.jobId);
      return {
        jobDetails: jobDetails(j),
        generatedPolicyResult: {
          properties: {
            isComplete: j.isComplete,
            principalArn: j.principalArn,
            cloudTrailProperties: {
              trailProperties: j.trails.map((t) => ({ cloudTrailArn: t.cloudTrailArn, regions: t.regions, allRegions: t.allRegions })),
              startTime: new Date(j.startTime),
              endTime: new Date(j.endTime),
            },
          },
          generatedPolicies: j.policy ? [{ policy: j.policy }] : [],
        },
      };
    },
  });
}

function list(): Operation {
  return operation<{ principalArn?: string; maxResults?: number; nextToken?: string }>('ListPolicyGenerations', {
    readOnly: true,
    authorize: onStar('ListPolicyGenerations'),
    async handle(input, ctx, tx) {
      const jobs = (await tx.list<JobDoc>(ctx.account, KIND, { keyPrefix: `${ctx.region}/` }))
        .map((e) => e.doc)
        .filter((j) => input.principalArn === undefined || j.principalArn === input.principalArn)
        .sort((a, b) => b.startedOn.localeCompare(a.startedOn) || a.jobId.localeCompare(b.jobId));
      const { items, next } = page(jobs, input);
      return {
        policyGenerations: items.map((j) => ({ principalArn: j.principalArn, ...jobDetails(j) })).map(({ jobError: _e, ...rest }) => rest),
        nextToken: next,
      };
    },
  });
}

function cancel(): Operation {
  return operation<{ jobId: string }>('CancelPolicyGeneration', {
    authorize: onStar('CancelPolicyGeneration'),
    async handle(input, ctx, tx) {
      // Jobs finish within StartPolicyGeneration, so there is never one left to stop: a finished job
      // stays as it ended, as on AWS.
      await requireJob(tx, ctx, input.jobId);
      return {};
    },
  });
}

/** `events`: the event log (its own SQLite file, or the PostgreSQL store), where the principal's calls are. */
export const policyGenerationOperations = (events: Store): Operation[] => [start(events), get(), list(), cancel()];

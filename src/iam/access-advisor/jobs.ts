// The report job behind GenerateServiceLastAccessedDetails: a job entity (what Get* reads: status,
// dates, the finished report) and a durable job (src/jobs/) that builds the report. Generate answers
// at once with the JobId while the job is IN_PROGRESS; the runner — on this node, after a restart, or
// on another node sharing the database — completes it. A run repeated after a crash finds the job
// COMPLETED (or FAILED) and stops.

import type { JobOutcome } from '../../jobs/runner.ts';
import type { Job, Store, Tx } from '../../store/types.ts';
import type { IamDeps } from '../deps.ts';
import { ApiError } from '../../common/errors.ts';
import { buildReport, type Granularity, type ServiceReport } from './report.ts';
import { resolveTarget } from './target.ts';

export const ACCESS_ADVISOR_JOB_TYPE = 'iam:service-last-accessed';
/** key: the JobId. */
export const ACCESS_ADVISOR_JOB_KIND = 'service-last-accessed-job';

export interface AccessAdvisorJobDoc {
  JobId: string;
  /** The ARN of the principal that asked for the report: the only one that may read it. */
  creator: string;
  /** The user, group, role or managed policy reported on. */
  arn: string;
  JobType: Granularity;
  JobStatus: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  JobCreationDate: string;
  JobCompletionDate?: string;
  services?: ServiceReport[];
  Error?: { Code: string; Message: string };
}

export interface AccessAdvisorJobPayload {
  job: string;
}

export async function findJob(tx: Tx, account: string, jobId: string): Promise<AccessAdvisorJobDoc | undefined> {
  return (await tx.get<AccessAdvisorJobDoc>(account, ACCESS_ADVISOR_JOB_KIND, jobId))?.doc;
}

export function accessAdvisorJobHandler(deps: { store: Store; iam: IamDeps }): (job: Job) => Promise<JobOutcome> {
  return (job) =>
    deps.store.transaction(async (tx) => {
      const { job: jobId } = job.payload as AccessAdvisorJobPayload;
      const doc = await findJob(tx, job.account, jobId);
      if (!doc || doc.JobStatus !== 'IN_PROGRESS') return { done: true };
      const finished: AccessAdvisorJobDoc = { ...doc, JobCompletionDate: new Date().toISOString() };
      try {
        const target = await resolveTarget(tx, deps.iam, job.account, doc.arn);
        finished.services = await buildReport(tx, job.account, target, doc.JobType);
        finished.JobStatus = 'COMPLETED';
      } catch (error) {
        // The resource was deleted between Generate and the report: the job fails with AWS's reason.
        if (!(error instanceof ApiError)) throw error;
        finished.JobStatus = 'FAILED';
        finished.Error = { Code: error.code, Message: error.message };
      }
      await tx.update(job.account, ACCESS_ADVISOR_JOB_KIND, jobId, finished);
      return { done: true };
    });
}

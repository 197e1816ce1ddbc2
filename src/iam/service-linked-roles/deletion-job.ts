// The durable job behind a deletion task. Each run does one step in one transaction and records it in
// the task, so a run repeated after a crash (its lease ran out, or the process died between the step
// and the job's bookkeeping) finds the step done and moves on; the job runner's leases keep two runs
// of one task from overlapping. Steps:
//   NOT_STARTED → IN_PROGRESS                       (then wait the job delay, as AWS's tasks take time)
//   IN_PROGRESS → FAILED (role in use) | SUCCEEDED  (the role, its attachment and policies removed)
//   finished    → purged once the retention period has passed

import type { JobOutcome } from '../../jobs/runner.ts';
import type { Job, Store, Tx } from '../../store/types.ts';
import { activeRoleSessions, forgetRoleSessions } from '../../sts/sessions.ts';
import { KIND, nameKey, ownerKey, type RoleDoc } from '../model.ts';
import { DELETION_TASK_KIND, isFinal, saveTask, type DeletionTaskDoc, type DeletionTaskFailure, type RoleUsage } from './tasks.ts';
import type { LinkedServiceRegistry } from './usage.ts';

export const DELETION_JOB_TYPE = 'iam:service-linked-role-deletion';

export interface DeletionJobPayload {
  /** The task's key (its UUID). */
  task: string;
}

export interface DeletionJobDeps {
  store: Store;
  linkedServices: LinkedServiceRegistry;
  jobDelayMs: number;
  deletionTaskRetentionMs: number;
  /** Epoch milliseconds; a test may move time. */
  now?: () => number;
}

export function deletionJobHandler(deps: DeletionJobDeps): (job: Job) => Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  return (job) =>
    deps.store.transaction(async (tx) => {
      const { task: key } = job.payload as DeletionJobPayload;
      const entity = await tx.get<DeletionTaskDoc>(job.account, DELETION_TASK_KIND, key);
      if (!entity) return { done: true };
      const task = entity.doc;
      const at = now();

      if (isFinal(task.Status)) {
        const purgeAt = Date.parse(task.finishedAt!) + deps.deletionTaskRetentionMs;
        if (at < purgeAt) return { done: false, runAt: purgeAt };
        await tx.delete(job.account, DELETION_TASK_KIND, key);
        return { done: true };
      }

      if (task.Status === 'NOT_STARTED') {
        await saveTask(tx, job.account, { ...task, Status: 'IN_PROGRESS' });
        return { done: false, runAt: at + deps.jobDelayMs };
      }

      const failure = await roleInUse(tx, deps.linkedServices, job.account, task, at);
      const finished: DeletionTaskDoc = { ...task, finishedAt: new Date(at).toISOString() };
      if (failure) {
        finished.Status = 'FAILED';
        finished.Reason = failure;
      } else {
        finished.Status = 'SUCCEEDED';
        await removeRole(tx, job.account, task);
      }
      await saveTask(tx, job.account, finished);
      return { done: false, runAt: at + deps.deletionTaskRetentionMs };
    });
}

/** Why the role cannot go yet: what its service still uses, and where it has unexpired sessions. */
async function roleInUse(tx: Tx, services: LinkedServiceRegistry, account: string, task: DeletionTaskDoc, now: number): Promise<DeletionTaskFailure | undefined> {
  const reports = (await services.get(task.servicePrincipal)?.usage(tx, account, task.roleArn)) ?? [];
  const sessionRegions = [...new Set((await activeRoleSessions(tx, account, { arn: task.roleArn, id: task.roleId }, now)).map((s) => s.region))].sort();
  if (reports.length === 0 && sessionRegions.length === 0) return undefined;

  const byRegion = new Map<string, Set<string> | undefined>();
  for (const report of reports) {
    const known = byRegion.get(report.region);
    if (report.resources === undefined) {
      if (!byRegion.has(report.region)) byRegion.set(report.region, undefined);
    } else {
      const merged = known ?? new Set<string>();
      for (const arn of report.resources) merged.add(arn);
      byRegion.set(report.region, merged);
    }
  }
  for (const region of sessionRegions) if (!byRegion.has(region)) byRegion.set(region, undefined);
  const RoleUsageList: RoleUsage[] = [...byRegion.keys()].sort().map((Region) => {
    const resources = byRegion.get(Region);
    return resources && resources.size > 0 ? { Region, Resources: [...resources].sort() } : { Region };
  });

  const reasons: string[] = [];
  if (reports.length > 0) {
    const regions = [...new Set(reports.map((r) => r.region))].sort();
    reasons.push(`Service-linked role ${task.roleName} is still used by ${task.servicePrincipal} in ${regions.join(', ')}.`);
  }
  if (sessionRegions.length > 0) {
    reasons.push(`Service-linked role ${task.roleName} has active sessions in ${sessionRegions.join(', ')}.`);
  }
  return { Reason: reasons.join(' '), RoleUsageList };
}

/** Removes the role the task is for, with everything keyed by it. Nothing to do when it is gone already. */
async function removeRole(tx: Tx, account: string, task: DeletionTaskDoc): Promise<void> {
  const role = await tx.get<RoleDoc>(account, KIND.role, nameKey(task.roleName));
  if (!role || role.doc.RoleId !== task.roleId) return;
  const owned = { keyPrefix: `${ownerKey('role', task.roleName)}/` };
  for (const kind of [KIND.attachment, KIND.inlinePolicy]) {
    for (const e of await tx.list(account, kind, owned)) await tx.delete(account, kind, e.key);
  }
  await tx.delete(account, KIND.boundaryUse, ownerKey('role', task.roleName));
  await tx.delete(account, KIND.role, nameKey(task.roleName));
  await forgetRoleSessions(tx, account, task.roleArn);
  await tx.bumpGeneration(account);
}

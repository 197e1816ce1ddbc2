// Deletion tasks: what DeleteServiceLinkedRole starts and GetServiceLinkedRoleDeletionStatus reports.
// A task is an entity of its account (key: its UUID, ref: the role's id, so the task still pending for
// a role is one indexed read away); the work is a durable job (deletion-job.ts) that moves the task
// NOT_STARTED → IN_PROGRESS → SUCCEEDED | FAILED and finally purges it after the retention period.

import { randomUUID } from 'node:crypto';
import type { Tx } from '../../store/types.ts';

export const DELETION_TASK_KIND = 'slr-deletion-task';

export type DeletionTaskStatus = 'NOT_STARTED' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';

export interface RoleUsage {
  Region: string;
  Resources?: string[];
}

export interface DeletionTaskFailure {
  Reason: string;
  RoleUsageList: RoleUsage[];
}

export interface DeletionTaskDoc {
  DeletionTaskId: string;
  Status: DeletionTaskStatus;
  roleName: string;
  roleId: string;
  roleArn: string;
  servicePrincipal: string;
  /** ISO-8601. */
  createdAt: string;
  /** ISO-8601; set when the task reached SUCCEEDED or FAILED. */
  finishedAt?: string;
  Reason?: DeletionTaskFailure;
}

export const isFinal = (status: DeletionTaskStatus): boolean => status === 'SUCCEEDED' || status === 'FAILED';

// AWS's format: task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([\w+=,.@-]{1,64})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export interface ParsedTaskId {
  servicePrincipal: string;
  roleName: string;
  uuid: string;
}

export function parseDeletionTaskId(id: string): ParsedTaskId | undefined {
  const m = TASK_ID.exec(id);
  return m ? { servicePrincipal: m[1]!, roleName: m[2]!, uuid: m[3]! } : undefined;
}

export function newDeletionTask(role: { RoleName: string; RoleId: string; Arn: string }, servicePrincipal: string, now: Date): DeletionTaskDoc {
  return {
    DeletionTaskId: `task/aws-service-role/${servicePrincipal}/${role.RoleName}/${randomUUID()}`,
    Status: 'NOT_STARTED',
    roleName: role.RoleName,
    roleId: role.RoleId,
    roleArn: role.Arn,
    servicePrincipal,
    createdAt: now.toISOString(),
  };
}

export const taskKey = (task: Pick<DeletionTaskDoc, 'DeletionTaskId'>): string => parseDeletionTaskId(task.DeletionTaskId)!.uuid;

export async function insertTask(tx: Tx, account: string, task: DeletionTaskDoc): Promise<void> {
  await tx.insert(account, DELETION_TASK_KIND, taskKey(task), task, task.roleId);
}

export async function saveTask(tx: Tx, account: string, task: DeletionTaskDoc): Promise<void> {
  await tx.update(account, DELETION_TASK_KIND, taskKey(task), task, task.roleId);
}

/** Whether a finished task has outlived its retention and is to be treated as gone. */
export const isExpired = (task: DeletionTaskDoc, retentionMs: number, now: number): boolean =>
  task.finishedAt !== undefined && Date.parse(task.finishedAt) + retentionMs <= now;

/** The task `id` names, unless it does not exist (or has expired). */
export async function findTask(tx: Tx, account: string, id: ParsedTaskId & { id: string }, retentionMs: number, now: number): Promise<DeletionTaskDoc | undefined> {
  const entity = await tx.get<DeletionTaskDoc>(account, DELETION_TASK_KIND, id.uuid);
  if (!entity || entity.doc.DeletionTaskId !== id.id || isExpired(entity.doc, retentionMs, now)) return undefined;
  return entity.doc;
}

/** The task of this role that has not finished yet, if any: a repeated request answers with it. */
export async function pendingTaskOf(tx: Tx, account: string, roleId: string): Promise<DeletionTaskDoc | undefined> {
  const tasks = await tx.listByRef<DeletionTaskDoc>(account, DELETION_TASK_KIND, roleId);
  return tasks.map((e) => e.doc).find((t) => !isFinal(t.Status));
}

/** GetServiceLinkedRoleDeletionStatus's output. */
export function statusOut(task: DeletionTaskDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { Status: task.Status };
  if (task.Reason) {
    out.Reason = {
      Reason: task.Reason.Reason,
      RoleUsageList: task.Reason.RoleUsageList.map((u) => (u.Resources ? { Region: u.Region, Resources: [...u.Resources] } : { Region: u.Region })),
    };
  }
  return out;
}

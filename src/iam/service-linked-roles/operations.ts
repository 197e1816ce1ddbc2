// CreateServiceLinkedRole, DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus.

import type { CallContext, Operation } from '../../common/call.ts';
import { UniqueViolation, type Tx } from '../../store/types.ts';
import type { ServiceCatalog, ServiceLinkedRoleSpec } from '../catalog/service-linked-roles.ts';
import { check, roleCheck } from '../checks.ts';
import { requireRole } from '../lookups.ts';
import { attachmentKey, KIND, nameKey, newId, roleArn, type AttachmentDoc, type RoleDoc } from '../model.ts';
import { roleOut } from '../output.ts';
import { SERVICE_ROLE_PATH } from './protection.ts';
import { SERVICE_LINKED_ROLE_REF } from './quota.ts';
import { DELETION_JOB_TYPE, type DeletionJobPayload } from './deletion-job.ts';
import {
  customSuffixNotAllowed,
  invalidDeletionTaskId,
  noSuchDeletionTask,
  notServiceLinked,
  roleNameTaken,
  roleNameTooLong,
  unknownServicePrincipal,
} from './errors.ts';
import { findTask, insertTask, newDeletionTask, parseDeletionTaskId, pendingTaskOf, statusOut, taskKey } from './tasks.ts';


/** Every service-linked role has AWS's default session limit; it cannot be changed. */
const SERVICE_LINKED_MAX_SESSION_DURATION = 3600;
const MAX_ROLE_NAME_LENGTH = 64;

/** Exactly AWS's trust policy for a service-linked role (compact, this key order, strings not arrays). */
export const serviceLinkedTrustPolicy = (servicePrincipal: string): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: servicePrincipal }, Action: 'sts:AssumeRole' }] });

export const serviceRolePath = (servicePrincipal: string): string => `${SERVICE_ROLE_PATH}${servicePrincipal}/`;

export interface ServiceLinkedRoleOpsDeps {
  catalog: ServiceCatalog;
  jobDelayMs: number;
  deletionTaskRetentionMs: number;
  /** Nudges the job runner once a task is enqueued. */
  kick?: (delayMs: number) => void;
}

interface CreateInput {
  AWSServiceName: string;
  Description?: string;
  CustomSuffix?: string;
}

const roleNameFor = (spec: ServiceLinkedRoleSpec, suffix: string | undefined): string =>
  suffix === undefined ? spec.roleName : `${spec.roleName}_${suffix}`;

export function serviceLinkedRoleOperations(deps: ServiceLinkedRoleOpsDeps): Operation[] {
  const { catalog } = deps;

  const create: Operation<CreateInput> = {
    service: 'iam',
    name: 'CreateServiceLinkedRole',
    authorize(input, ctx) {
      const principal = input.AWSServiceName;
      const spec = catalog.get(principal);
      const name = spec ? roleNameFor(spec, spec.customSuffixAllowed ? input.CustomSuffix : undefined) : '';
      return [check('CreateServiceLinkedRole', roleArn(ctx.account, serviceRolePath(principal), name), { 'iam:AWSServiceName': principal })];
    },
    async handle(input, ctx, tx) {
      const principal = input.AWSServiceName;
      const spec = catalog.get(principal);
      if (!spec) throw unknownServicePrincipal(principal);
      if (input.CustomSuffix !== undefined && !spec.customSuffixAllowed) throw customSuffixNotAllowed(principal);
      const name = roleNameFor(spec, input.CustomSuffix);
      if (name.length > MAX_ROLE_NAME_LENGTH) throw roleNameTooLong(name);

      const path = serviceRolePath(principal);
      const role: RoleDoc = {
        RoleName: name,
        RoleId: newId('AROA'),
        Path: path,
        Arn: roleArn(ctx.account, path, name),
        CreateDate: ctx.now.toISOString(),
        AssumeRolePolicyDocument: serviceLinkedTrustPolicy(principal),
        MaxSessionDuration: SERVICE_LINKED_MAX_SESSION_DURATION,
        Tags: [],
        serviceLinked: { servicePrincipal: principal },
      };
      if (input.Description !== undefined) role.Description = input.Description;
      try {
        // The primary key (lower-cased name) decides among concurrent requests: exactly one wins.
        await tx.insert(ctx.account, KIND.role, nameKey(name), role, SERVICE_LINKED_ROLE_REF);
      } catch (e) {
        if (e instanceof UniqueViolation) throw roleNameTaken(name);
        throw e;
      }
      for (const policyArn of spec.policyArns) await attachServicePolicy(tx, ctx, role, policyArn);
      await tx.bumpGeneration(ctx.account);
      return { Role: roleOut(role, 'create') };
    },
  };

  /** The catalog's service-role policy, attached as any attachment is (ListAttachedRolePolicies, AttachmentCount). */
  async function attachServicePolicy(tx: Tx, ctx: CallContext, role: RoleDoc, policyArn: string): Promise<void> {
    const policy = catalog.policies().get(policyArn);
    if (!policy) return; // The catalog guarantees its ARNs resolve (tested); nothing to attach otherwise.
    const doc: AttachmentDoc = { ownerKind: 'role', ownerName: role.RoleName, ownerId: role.RoleId, PolicyArn: policy.Arn, PolicyName: policy.PolicyName };
    await tx.insert(ctx.account, KIND.attachment, attachmentKey('role', role.RoleName, policy.Arn), doc, policy.Arn);
  }

  const remove: Operation<{ RoleName: string }> = {
    service: 'iam',
    name: 'DeleteServiceLinkedRole',
    authorize: async (input, ctx, tx) => [await roleCheck(tx, ctx, 'DeleteServiceLinkedRole', input.RoleName)],
    async handle(input, ctx, tx) {
      const { doc: role } = await requireRole(tx, ctx.account, input.RoleName);
      if (!role.serviceLinked) throw notServiceLinked(role.RoleName);
      const pending = await pendingTaskOf(tx, ctx.account, role.RoleId);
      if (pending) return { DeletionTaskId: pending.DeletionTaskId };

      const task = newDeletionTask(role, role.serviceLinked.servicePrincipal, ctx.now);
      await insertTask(tx, ctx.account, task);
      const payload: DeletionJobPayload = { task: taskKey(task) };
      await tx.enqueueJob({ type: DELETION_JOB_TYPE, account: ctx.account, runAt: ctx.now.getTime() + deps.jobDelayMs, payload });
      deps.kick?.(deps.jobDelayMs);
      return { DeletionTaskId: task.DeletionTaskId };
    },
  };

  const status: Operation<{ DeletionTaskId: string }> = {
    service: 'iam',
    name: 'GetServiceLinkedRoleDeletionStatus',
    readOnly: true,
    authorize(input, ctx) {
      const id = parseDeletionTaskId(input.DeletionTaskId);
      if (!id) throw invalidDeletionTaskId(input.DeletionTaskId);
      return [check('GetServiceLinkedRoleDeletionStatus', roleArn(ctx.account, serviceRolePath(id.servicePrincipal), id.roleName))];
    },
    async handle(input, ctx, tx) {
      const id = parseDeletionTaskId(input.DeletionTaskId);
      if (!id) throw invalidDeletionTaskId(input.DeletionTaskId);
      const task = await findTask(tx, ctx.account, { ...id, id: input.DeletionTaskId }, deps.deletionTaskRetentionMs, ctx.now.getTime());
      if (!task) throw noSuchDeletionTask(input.DeletionTaskId);
      return statusOut(task);
    },
  };

  return [create, remove, status] as Operation[];
}

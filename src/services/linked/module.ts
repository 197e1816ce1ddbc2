// How a linked service plugs into the server: one value from its factory, installed by one line in
// app.ts — its API operations (with how its API words a denial), the job handlers that drive its
// resources' lifecycles, and what it reports to IAM when its role is to be deleted.

import type { Operation } from '../../common/call.ts';
import type { LinkedService, LinkedServiceRegistry } from '../../iam/service-linked-roles/index.ts';
import type { JobHandler, JobRunner } from '../../jobs/runner.ts';
import type { AccessDeniedMapper, Dispatcher } from '../../dispatch/dispatcher.ts';

export interface LinkedServiceModule {
  operations: Operation[];
  accessDenied?: AccessDeniedMapper;
  /** Job type → handler (types are prefixed with the service name: `memorydb:cluster`). */
  jobs: Record<string, JobHandler>;
  /** `usage(tx, account, roleArn)`: what DeleteServiceLinkedRole's task reports while resources exist. */
  usage: LinkedService;
}

export interface LinkedServiceSlots {
  dispatcher: Dispatcher;
  jobs: JobRunner;
  linkedServices: LinkedServiceRegistry;
}

export function installLinkedService(slots: LinkedServiceSlots, module: LinkedServiceModule): void {
  slots.dispatcher.register(module.operations, module.accessDenied ? { accessDenied: module.accessDenied } : {});
  for (const [type, handler] of Object.entries(module.jobs)) slots.jobs.register(type, handler);
  slots.linkedServices.register(module.usage);
}

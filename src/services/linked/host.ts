// What a linked service needs from the server it runs in, handed to its factory once by app.ts.
// A linked service does everything else through these: it creates its role with IAM's own operation,
// acts through STS-style sessions of that role, and calls EC2, CloudWatch and Logs through the
// dispatcher like any client.

import type { ServiceCatalog } from '../../iam/catalog/service-linked-roles.ts';
import type { Secrets } from '../../secrets/index.ts';
import type { Dispatcher } from '../../dispatch/dispatcher.ts';
import type { Store, Tx } from '../../store/types.ts';

export interface LinkedHost {
  store: Store;
  dispatcher: Dispatcher;
  /** Which role (name, policy) each service principal gets. */
  catalog: ServiceCatalog;
  /** How long each lifecycle step waits (`--job-delay-ms`; zero in tests). */
  jobDelayMs: number;
  /** Nudges the job runner once a job is enqueued. */
  kick(delayMs: number): void;
  /** Seals the secrets of the sessions a service holds through its role. */
  secrets: Secrets;
}

/**
 * Enqueues a lifecycle step of a linked service (`creating` → `available`, `deleting` → gone) in the
 * transaction that changes the resource, so the step exists exactly when the change does.
 */
export async function scheduleStep<P>(host: LinkedHost, tx: Tx, step: { type: string; account: string; payload: P; delayMs?: number }): Promise<void> {
  const delayMs = step.delayMs ?? host.jobDelayMs;
  await tx.enqueueJob({ type: step.type, account: step.account, runAt: Date.now() + delayMs, payload: step.payload });
  host.kick(delayMs);
}

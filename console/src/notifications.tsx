// Service-linked role deletions in flight: each a notification that follows its deletion task with
// GetServiceLinkedRoleDeletionStatus until SUCCEEDED or FAILED, and on failure offers the resources
// still using the role (RoleUsageList by region), each linking to its page.

import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { deletionStatus, roleUsage, type DeletionStatus } from './aws/iam.ts';
import { list } from './aws/xml.ts';
import { Badge, ErrorBox, statusKind } from './ui/components.tsx';
import { href } from './ui/router.ts';

interface Deletion {
  roleName: string;
  taskId: string;
  status?: DeletionStatus;
  error?: unknown;
}

let deletions: Deletion[] = [];
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());

const POLL_MS = 400;

export function trackDeletion(roleName: string, taskId: string): void {
  const deletion: Deletion = { roleName, taskId };
  deletions = [deletion, ...deletions];
  changed();
  const poll = async (): Promise<void> => {
    try {
      deletion.status = await deletionStatus(taskId);
      deletion.error = undefined;
    } catch (error) {
      deletion.error = error;
    }
    deletions = [...deletions];
    changed();
    const s = deletion.status?.Status;
    if (s !== 'SUCCEEDED' && s !== 'FAILED' && deletions.includes(deletion)) setTimeout(poll, POLL_MS);
  };
  void poll();
}

/** Where a resource named in a RoleUsageList is shown: the linked services page, on that resource. */
export const resourceHref = (arn: string): string => href('linked', arn);

function Notification({ deletion, dismiss }: { deletion: Deletion; dismiss: () => void }): VNode {
  const [open, setOpen] = useState(false);
  const status = deletion.status?.Status ?? 'NOT_STARTED';
  const usage = deletion.status ? roleUsage(deletion.status) : [];
  const reason = typeof deletion.status?.Reason === 'object' ? deletion.status.Reason.Reason : undefined;
  return (
    <div class={`notification n-${statusKind(status)}`} role="status" data-role={deletion.roleName}>
      <div class="notification-head">
        <span>
          Deleting <strong>{deletion.roleName}</strong>: <Badge kind={statusKind(status)}>{status}</Badge>
        </span>
        <button type="button" class="link" onClick={dismiss} aria-label={`Dismiss the notification about ${deletion.roleName}`}>
          ✕
        </button>
      </div>
      {deletion.error !== undefined && <ErrorBox error={deletion.error} />}
      {status === 'FAILED' && (
        <>
          {reason && <p class="reason">{reason}</p>}
          <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Hide resources' : 'View resources'}
          </button>
          {open && (
            <ul class="usage">
              {usage.map((u) => (
                <li>
                  <strong>{u.Region}</strong>
                  <ul>
                    {list(u.Resources).map((arn) => (
                      <li>
                        <a href={resourceHref(arn)}>{arn}</a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

export function Notifications(): VNode {
  const [, setRound] = useState(0);
  useEffect(() => {
    const l = () => setRound((n) => n + 1);
    listeners.add(l);
    return () => listeners.delete(l);
  }, []);
  return (
    <aside class="notifications" aria-label="Notifications" aria-live="polite">
      {deletions.map((d) => (
        <Notification
          key={d.taskId}
          deletion={d}
          dismiss={() => {
            deletions = deletions.filter((x) => x !== d);
            changed();
          }}
        />
      ))}
    </aside>
  );
}

export function clearNotifications(): void {
  deletions = [];
  changed();
}

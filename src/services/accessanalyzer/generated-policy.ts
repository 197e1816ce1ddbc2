// What a policy generation job builds: from the calls a principal made (iamd's own event log, the
// record CloudTrail's LookupEvents reads), an identity policy allowing exactly the actions it used, one
// statement per service. Pure: the caller reads the events.

import type { StoredEvent } from '../../audit/index.ts';

/** iamd's service names whose IAM action prefix differs from the name. */
const ACTION_PREFIX: Record<string, string> = { accessanalyzer: 'access-analyzer' };

export const actionOf = (e: Pick<StoredEvent, 's' | 'op'>): string => `${ACTION_PREFIX[e.s] ?? e.s}:${e.op}`;

/** Whether the event was made by `principalArn` — the user itself, or any session of the role. */
export function madeBy(e: StoredEvent, principalArn: string): boolean {
  const who = e.who;
  if (who.k === 'IAMUser') return who.arn === principalArn;
  if (who.k === 'AssumedRole') return who.role.arn === principalArn;
  return false;
}

/**
 * The policy allowing the actions of the successful calls among `events`, grouped by service in
 * alphabetical order; undefined when there were none. Resources are `*` — iamd does not write resource
 * placeholders (`includeResourcePlaceholders` is accepted and has no effect).
 */
export function policyFromEvents(events: Iterable<StoredEvent>): string | undefined {
  const byService = new Map<string, Set<string>>();
  for (const e of events) {
    if (e.err) continue;
    const action = actionOf(e);
    const prefix = action.slice(0, action.indexOf(':'));
    const set = byService.get(prefix) ?? new Set<string>();
    set.add(action);
    byService.set(prefix, set);
  }
  if (byService.size === 0) return undefined;
  const statements = [...byService.keys()].sort().map((prefix) => ({
    Effect: 'Allow',
    Action: [...byService.get(prefix)!].sort(),
    Resource: '*',
  }));
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

// A service last accessed report, as GenerateServiceLastAccessedDetails' job builds it once and the
// Get* operations page through it. AWS's rules:
// - the services listed are those the target's permissions policies allow, sorted by namespace; a
//   service never used is listed with its name, namespace and TotalAuthenticatedEntities 0 only;
// - LastAuthenticatedEntity is the user or role itself for a user or role report, the member user for
//   a group's, and the user or role the policy is attached to (directly or through a group) for a
//   policy's; TotalAuthenticatedEntities counts those that used the service;
// - ACTION_LEVEL adds TrackedActionsLastAccessed: iamd sees every call, so every action it recorded is
//   tracked (AWS tracks a chosen few); an action never called is not listed.

import type { Tx } from '../../store/types.ts';
import type { EntityInfo, Target } from './target.ts';
import { namespacesAllowedBy, serviceName } from './services.ts';

export type Granularity = 'SERVICE_LEVEL' | 'ACTION_LEVEL';

/** A use by one entity: when (ISO), where, and the entity's ARN. */
interface Use {
  time: string;
  region: string;
  entity: string;
}

export interface TrackedAction {
  ActionName: string;
  LastAccessedEntity: string;
  LastAccessedTime: string;
  LastAccessedRegion: string;
}

export interface ServiceReport {
  ServiceName: string;
  ServiceNamespace: string;
  TotalAuthenticatedEntities: number;
  LastAuthenticated?: string;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TrackedActionsLastAccessed?: TrackedAction[];
  /** Every entity that could have used the service, most recent use first, then never-used ones by name. */
  entities: { info: EntityInfo; lastAuthenticated?: string }[];
}

const later = (a: Use | undefined, b: Use): Use => (a === undefined || b.time > a.time ? b : a);

export async function buildReport(tx: Tx, account: string, target: Target, granularity: Granularity): Promise<ServiceReport[]> {
  const allowed = new Set<string>();
  for (const policy of target.policies) for (const ns of await namespacesAllowedBy(policy.document)) allowed.add(ns);

  // namespace → entity id → its latest use of the service, and action → latest use by anyone.
  const byService = new Map<string, Map<string, Use>>();
  const byAction = new Map<string, Map<string, Use>>();
  for (const entity of target.candidates) {
    for (const row of await tx.listAccess(account, [entity.Id])) {
      if (!allowed.has(row.namespace)) continue;
      const use: Use = { time: new Date(row.lastUsed).toISOString(), region: row.region, entity: entity.Arn };
      const entities = byService.get(row.namespace) ?? new Map<string, Use>();
      entities.set(entity.Id, later(entities.get(entity.Id), use));
      byService.set(row.namespace, entities);
      const actions = byAction.get(row.namespace) ?? new Map<string, Use>();
      actions.set(row.action, later(actions.get(row.action), use));
      byAction.set(row.namespace, actions);
    }
  }

  const reports: ServiceReport[] = [];
  for (const namespace of [...allowed].sort()) {
    const uses = byService.get(namespace) ?? new Map<string, Use>();
    let last: Use | undefined;
    for (const use of uses.values()) last = later(last, use);
    const report: ServiceReport = {
      ServiceName: await serviceName(namespace),
      ServiceNamespace: namespace,
      TotalAuthenticatedEntities: uses.size,
      entities: target.candidates
        .map((info) => {
          const use = uses.get(info.Id);
          return use ? { info, lastAuthenticated: use.time } : { info };
        })
        .sort((a, b) => (b.lastAuthenticated ?? '').localeCompare(a.lastAuthenticated ?? '') || a.info.Name.localeCompare(b.info.Name)),
    };
    if (last) {
      report.LastAuthenticated = last.time;
      report.LastAuthenticatedEntity = last.entity;
      report.LastAuthenticatedRegion = last.region;
    }
    const actions = byAction.get(namespace);
    if (granularity === 'ACTION_LEVEL' && actions) {
      report.TrackedActionsLastAccessed = [...actions.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([ActionName, use]) => ({ ActionName, LastAccessedEntity: use.entity, LastAccessedTime: use.time, LastAccessedRegion: use.region }));
    }
    reports.push(report);
  }
  return reports;
}

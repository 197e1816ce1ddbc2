// Access Advisor's last-accessed data: which principal called which action of which service, in which
// region, last. Every authenticated call is noted — allowed or denied, reads included, as AWS counts
// "attempts" — by the dispatcher (src/dispatch/), coalesced in memory by the server and upserted into
// the store's access_usage table, where the later time always wins (several nodes may write).
//
// A role session's call counts for its role (a linked service acting through its service-linked role
// included); root's for the account's root. A federated user (GetFederationToken) and anonymous
// callers are not IAM principals Access Advisor reports on, so their calls are not noted.

import type { CallContext } from '../../common/call.ts';
import type { AccessUse, Tx } from '../../store/types.ts';
import type { RoleDoc } from '../model.ts';

/**
 * The Access Advisor row a call adds, or undefined when its caller is no IAM principal. Runs on every
 * call: one object literal, no spread (a spread here cost ~50 times as much, measured).
 */
export function accessUseOf(ctx: CallContext, namespace: string, action: string): AccessUse | undefined {
  const { caller } = ctx;
  let principalId: string;
  let principalArn: string;
  switch (caller.principal.kind) {
    case 'user':
      principalId = caller.userId;
      principalArn = caller.principal.arn;
      break;
    case 'root':
      principalId = caller.account;
      principalArn = caller.principal.arn;
      break;
    case 'assumed-role':
      if (!caller.session) return undefined;
      principalId = caller.session.roleId;
      principalArn = caller.session.roleArn;
      break;
    default:
      return undefined;
  }
  return { account: caller.account, principalId, principalArn, namespace, action, region: ctx.region, lastUsed: ctx.now.getTime() };
}

/** The row's identity: uses under one key coalesce into the latest. */
export const accessUseKey = (u: AccessUse): string => `${u.account}\n${u.principalId}\n${u.namespace}\n${u.action}\n${u.region}`;

/** What the server's usage recorder needs to write Access Advisor rows (src/server/usage-recorder.ts). */
export const ACCESS_USAGE = {
  label: 'Access Advisor data',
  time: (u: AccessUse): number => u.lastUsed,
  // The key already names the principal, service, action and region: any use under it repeats.
  repeats: (): boolean => true,
  write: (tx: Tx, batch: ReadonlyMap<string, AccessUse>): Promise<void> => tx.recordAccess([...batch.values()]),
};

/** A latest use: when, and in which region. */
export interface LastUse {
  lastUsed: Date;
  region: string;
}

/** One principal's last-accessed data, by service namespace. */
export interface PrincipalLastAccess {
  /** The unique id (`AIDA…`, `AROA…`, or the account id for root). */
  principalId: string;
  /** The ARN of its latest call. */
  principalArn: string;
  /** By namespace (`iam`, `memorydb`): the latest use of the service, and of each action by name. */
  services: Map<string, LastUse & { actions: Map<string, LastUse> }>;
}

/**
 * For an account, each principal's last use per service and per action — exactly the data Access
 * Advisor keeps, read in one query. Meant for analyses of unused access (an unused role, an unused
 * permission): a principal absent from the answer has never made an authenticated call; a service
 * absent from a principal's map was never called by it. Principals deleted since are still here, under
 * their unique id (a user made again with the same name has a new id and starts with no history). Rows
 * still in the server's memory (at most a second old, see src/server/usage-recorder.ts) are not yet here.
 */
export async function lastAccessByPrincipal(tx: Tx, account: string): Promise<Map<string, PrincipalLastAccess>> {
  const out = new Map<string, PrincipalLastAccess>();
  const latestArn = new Map<string, number>();
  for (const row of await tx.listAccess(account)) {
    let principal = out.get(row.principalId);
    if (!principal) {
      principal = { principalId: row.principalId, principalArn: row.principalArn, services: new Map() };
      out.set(row.principalId, principal);
    }
    if (row.lastUsed >= (latestArn.get(row.principalId) ?? -Infinity)) {
      principal.principalArn = row.principalArn;
      latestArn.set(row.principalId, row.lastUsed);
    }
    const when = new Date(row.lastUsed);
    let service = principal.services.get(row.namespace);
    if (!service) {
      service = { lastUsed: when, region: row.region, actions: new Map() };
      principal.services.set(row.namespace, service);
    } else if (row.lastUsed > service.lastUsed.getTime()) {
      service.lastUsed = when;
      service.region = row.region;
    }
    const action = service.actions.get(row.action);
    if (!action || row.lastUsed > action.lastUsed.getTime()) service.actions.set(row.action, { lastUsed: when, region: row.region });
  }
  return out;
}

type LatestUse = { date: Date; region: string };

/** Each principal's latest use (any call of one of its sessions), in one read: RoleLastUsed's source. */
export async function latestUsesOf(tx: Tx, account: string, principalIds: readonly string[]): Promise<Map<string, LatestUse>> {
  const latest = new Map<string, AccessUse>();
  for (const row of await tx.listAccess(account, principalIds)) {
    const seen = latest.get(row.principalId);
    if (!seen || row.lastUsed > seen.lastUsed) latest.set(row.principalId, row);
  }
  return new Map([...latest].map(([id, row]) => [id, { date: new Date(row.lastUsed), region: row.region }]));
}

/** A role's latest use (any call of one of its sessions): GetRole's RoleLastUsed. */
export async function latestUseOf(tx: Tx, account: string, principalId: string): Promise<LatestUse | undefined> {
  return (await latestUsesOf(tx, account, [principalId])).get(principalId);
}

/**
 * The role with its RoleLastUsed brought up to date: the later of its last assumption (written on the
 * role by STS and by linked services acting through it) and its sessions' latest call.
 */
export async function withLatestUse(tx: Tx, account: string, role: RoleDoc): Promise<RoleDoc> {
  return withUse(role, await latestUseOf(tx, account, role.RoleId));
}

/** `withLatestUse` with the latest use already read (`latestUsesOf`). */
export function withUse(role: RoleDoc, used: LatestUse | undefined): RoleDoc {
  if (!used) return role;
  if (role.RoleLastUsed && Date.parse(role.RoleLastUsed.LastUsedDate) >= used.date.getTime()) return role;
  return { ...role, RoleLastUsed: { LastUsedDate: used.date.toISOString(), Region: used.region } };
}

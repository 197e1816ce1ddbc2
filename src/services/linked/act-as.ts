// actAs: a linked service assumes its service-linked role AS ITS SERVICE PRINCIPAL, through iamd's
// internal path (never with a client's credentials). STS judges the trust policy and keeps the session
// (src/sts/service-sessions.ts: an active session for the deletion check while it lasts; RoleLastUsed
// moves), and every call made with it goes through the dispatcher: authorized by the role's permission
// policy like any client's call.
//
// Sessions are short: `asService` ends its session when the work is done, so a role whose resources
// are gone can be deleted at once; a session left by a crash runs out after SESSION_SECONDS.

import { randomUUID } from 'node:crypto';
import type { CallContext, Caller } from '../../common/call.ts';
import { sessionCaller } from '../../auth/callers.ts';
import { recordRoleUse } from '../../iam/index.ts';
import { assumeRoleAsService, endSession, serviceCannotAssume } from '../../sts/service-sessions.ts';
import type { LinkedHost } from './host.ts';
import { findServiceRole } from './role.ts';

/** AWS's shortest session; long enough for one lifecycle step. */
export const SESSION_SECONDS = 900;

export interface ServiceSession {
  readonly caller: Caller;
  readonly accessKeyId: string;
  readonly region: string;
  /** A fresh context (request id, time) for one call made as the role. */
  context(): CallContext;
  /** `dispatcher.call` as the role: authorized by its policy, denials in the target service's words. */
  call<O = Record<string, unknown>>(service: string, operation: string, input: Record<string, unknown>): Promise<O>;
  /** Ends the session (its credentials expire now). */
  end(): Promise<void>;
}


export async function actAs(host: LinkedHost, account: string, servicePrincipal: string, region: string): Promise<ServiceSession> {
  const stored = await host.store.transaction(async (tx) => {
    const role = await findServiceRole(host, tx, account, servicePrincipal);
    if (!role) {
      const spec = host.catalog.get(servicePrincipal)!;
      throw serviceCannotAssume(servicePrincipal, `arn:aws:iam::${account}:role${spec.path}${spec.roleName}`);
    }
    const now = new Date();
    const assumed = await assumeRoleAsService(tx, host.secrets, { account, role, servicePrincipal, region, now, durationSeconds: SESSION_SECONDS });
    await recordRoleUse(tx, account, role.RoleName, now, region);
    return { accessKeyId: assumed.accessKeyId, doc: assumed.session };
  });

  const caller = sessionCaller(stored.doc, stored.accessKeyId)!;
  const context = (): CallContext => ({
    requestId: randomUUID(),
    caller,
    account,
    region,
    now: new Date(),
    // CloudTrail shows a service's calls as coming from the service principal, not an address.
    sourceIp: servicePrincipal,
    secureTransport: true,
    userAgent: servicePrincipal,
  });
  return {
    caller,
    accessKeyId: stored.accessKeyId,
    region,
    context,
    call: async <O>(service: string, operation: string, input: Record<string, unknown>) =>
      (await host.dispatcher.call(service, operation, input, context())) as O,
    end: () => host.store.transaction((tx) => endSession(tx, stored.accessKeyId, Date.now())),
  };
}

/** Runs `work` as the service's role and ends the session afterwards, whatever happened. */
export async function asService<T>(
  host: LinkedHost,
  account: string,
  servicePrincipal: string,
  region: string,
  work: (session: ServiceSession) => Promise<T>,
): Promise<T> {
  const session = await actAs(host, account, servicePrincipal, region);
  try {
    return await work(session);
  } finally {
    await session.end();
  }
}

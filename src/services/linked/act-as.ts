// actAs: a linked service assumes its service-linked role AS ITS SERVICE PRINCIPAL, through iamd's
// internal path (never with a client's credentials). The role's trust policy is evaluated for the
// service principal by the policy engine, a real session is stored (so it is an active session for
// the deletion check while it lasts, and RoleLastUsed moves), and every call made with it goes through
// the dispatcher: authorized by the role's permission policy like any client's call.
//
// Sessions are short: `asService` ends its session when the work is done, so a role whose resources
// are gone can be deleted at once; a session left by a crash runs out after SESSION_SECONDS.

import { randomUUID } from 'node:crypto';
import type { CallContext, Caller, RoleSession } from '../../common/call.ts';
import { ApiError } from '../../common/errors.ts';
import { compileStored } from '../../authz/compile.ts';
import { sessionCaller } from '../../auth/callers.ts';
import { recordRoleUse } from '../../iam/index.ts';
import { evaluate } from '../../policy/index.ts';
import { GLOBAL } from '../../store/types.ts';
import { findSession, newSessionCredentials, saveSession, SESSION_KIND, type NewSession } from '../../sts/sessions.ts';
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

/** The role is missing or does not trust the service: the service cannot act, as on AWS. */
export const cannotAssume = (servicePrincipal: string, roleArn: string): ApiError =>
  new ApiError('AccessDenied', `${servicePrincipal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);

/** The session name a service uses: its principal's first label and a unique suffix. */
const sessionNameFor = (servicePrincipal: string): string => `${servicePrincipal.split('.')[0]}-${randomUUID().slice(0, 8)}`;

export async function actAs(host: LinkedHost, account: string, servicePrincipal: string, region: string): Promise<ServiceSession> {
  const stored = await host.store.transaction(async (tx) => {
    const role = await findServiceRole(host, tx, account, servicePrincipal);
    if (!role) {
      const spec = host.catalog.get(servicePrincipal)!;
      throw cannotAssume(servicePrincipal, `arn:aws:iam::${account}:role${spec.path}${spec.roleName}`);
    }
    const trust = compileStored(role.AssumeRolePolicyDocument, 'trust', `${role.Arn} trust policy`);
    const now = new Date();
    const decision = evaluate(
      { identity: [], resource: trust },
      {
        principal: { kind: 'service', arn: servicePrincipal },
        action: 'sts:AssumeRole',
        resource: role.Arn,
        resourceAccount: account,
        context: {
          'aws:principalisawsservice': 'true',
          'aws:principaltype': 'Service',
          'aws:requestedregion': region,
          'aws:currenttime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'aws:epochtime': String(Math.floor(now.getTime() / 1000)),
        },
      },
    );
    if (decision.decision !== 'Allow') throw cannotAssume(servicePrincipal, role.Arn);

    const issuedAt = now.getTime();
    const session: RoleSession = {
      roleArn: role.Arn,
      roleName: role.RoleName,
      roleId: role.RoleId,
      sessionName: sessionNameFor(servicePrincipal),
      issuedAt,
      expiresAt: issuedAt + SESSION_SECONDS * 1000,
      sessionPolicies: [],
      tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key, t.Value])),
      viaService: servicePrincipal,
    };
    const credentials = newSessionCredentials();
    const doc: NewSession = {
      account,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      issuedAt,
      expiresAt: session.expiresAt,
      region,
      role: session,
    };
    await saveSession(tx, host.secrets, credentials.accessKeyId, doc);
    await recordRoleUse(tx, account, role.RoleName, now, region);
    return { accessKeyId: credentials.accessKeyId, doc };
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
    end: () => endSession(host, stored.accessKeyId),
  };
}

async function endSession(host: LinkedHost, accessKeyId: string): Promise<void> {
  await host.store.transaction(async (tx) => {
    const session = await findSession(tx, accessKeyId);
    const now = Date.now();
    if (!session || session.expiresAt <= now) return;
    const ended = { ...session, expiresAt: now, role: session.role && { ...session.role, expiresAt: now } };
    await tx.update(GLOBAL, SESSION_KIND, accessKeyId, ended, session.account);
  });
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

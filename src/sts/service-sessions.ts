// A service acting through its service-linked role asks STS for the session, as any AWS service does:
// STS evaluates the role's trust policy for the service principal, with the same global condition keys
// every request carries, stores a real session (an active session for the role's deletion check while
// it lasts) and ends it when the service is done. Services never write sessions or judge trust
// themselves.

import { randomUUID } from 'node:crypto';
import type { CallContext, Caller, RoleSession } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { compileStored } from '../authz/compile.ts';
import { globalContext } from '../authz/context.ts';
import { evaluate } from '../policy/index.ts';
import { GLOBAL, type Tx } from '../store/types.ts';
import type { AssumableRole } from './operations.ts';
import type { Secrets } from '../secrets/index.ts';
import { findSession, issueSession, SESSION_KIND, type SessionRecord } from './sessions.ts';

/** The role is missing or does not trust the service: the service cannot act, as on AWS. */
export const serviceCannotAssume = (servicePrincipal: string, roleArn: string): ApiError =>
  new ApiError('AccessDenied', `${servicePrincipal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);

/** The session name a service uses: its principal's first label and a unique suffix. */
const sessionNameFor = (servicePrincipal: string): string => `${servicePrincipal.split('.')[0]}-${randomUUID().slice(0, 8)}`;

function serviceCaller(account: string, servicePrincipal: string): Caller {
  return { account, principal: { kind: 'service', arn: servicePrincipal }, userId: servicePrincipal, tags: {} };
}

export interface ServiceRoleRequest {
  account: string;
  role: AssumableRole & { Path?: string };
  servicePrincipal: string;
  region: string;
  now: Date;
  durationSeconds: number;
}

/** `servicePrincipal` assumes `role`: refused unless the trust policy lets the service in. */
export async function assumeRoleAsService(tx: Tx, secrets: Secrets, request: ServiceRoleRequest): Promise<{ accessKeyId: string; session: SessionRecord }> {
  const { account, role, servicePrincipal, region, now } = request;
  const trust = compileStored(role.AssumeRolePolicyDocument, 'trust', `${role.Arn} trust policy`);
  const asked: CallContext = {
    requestId: randomUUID(), caller: serviceCaller(account, servicePrincipal), account, region, now, sourceIp: servicePrincipal, secureTransport: true,
  };
  // A service's request has no source address, and names the service it comes from.
  const { 'aws:sourceip': _noAddress, ...context } = globalContext(asked);
  context['aws:principalservicename'] = servicePrincipal;
  const decision = evaluate(
    { identity: [], resource: trust },
    { principal: asked.caller.principal, action: 'sts:AssumeRole', resource: role.Arn, resourceAccount: account, context },
  );
  if (decision.decision !== 'Allow') throw serviceCannotAssume(servicePrincipal, role.Arn);

  const issuedAt = now.getTime();
  const roleSession: RoleSession = {
    roleArn: role.Arn,
    roleName: role.RoleName,
    roleId: role.RoleId,
    sessionName: sessionNameFor(servicePrincipal),
    issuedAt,
    expiresAt: issuedAt + request.durationSeconds * 1000,
    sessionPolicies: [],
    tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key, t.Value])),
    viaService: servicePrincipal,
  };
  const session: SessionRecord = { account, issuedAt, expiresAt: roleSession.expiresAt, region, role: roleSession };
  const { accessKeyId } = await issueSession(tx, secrets, session);
  return { accessKeyId, session };
}

/** Ends a session now: its credentials stop working and it no longer holds its role. */
export async function endSession(tx: Tx, accessKeyId: string, now: number): Promise<void> {
  const session = await findSession(tx, accessKeyId);
  if (!session || session.expiresAt <= now) return;
  const ended = { ...session, expiresAt: now, role: session.role && { ...session.role, expiresAt: now } };
  await tx.update(GLOBAL, SESSION_KIND, accessKeyId, ended, session.account);
}

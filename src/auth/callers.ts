// From an access key id to the Caller an operation sees: the root user, an IAM user, or a session
// (an assumed role, or a user's GetSessionToken credentials).

import type { Caller } from '../common/call.ts';
import type { Tx } from '../store/types.ts';
import type { OpenedSession, SessionRecord } from '../sts/sessions.ts';

/** A long-term access key as the IAM module stores it. */
export interface LongTermKey {
  account: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  /** Absent for the root user's keys. */
  userName?: string;
}

export interface IdentityDirectory {
  findAccessKey(tx: Tx, accessKeyId: string): Promise<LongTermKey | undefined>;
  getUser(tx: Tx, account: string, name: string): Promise<{ UserName: string; UserId: string; Arn: string; Tags?: { Key: string; Value: string }[] } | undefined>;
  getRole(tx: Tx, account: string, name: string): Promise<{ RoleId: string } | undefined>;
  findSession(tx: Tx, accessKeyId: string): Promise<OpenedSession | undefined>;
  /** Whether `token` shows that the session of `accessKeyId`, which is gone, has expired (src/sts/token-stamp.ts). */
  expiredSessionToken(tx: Tx, accessKeyId: string, token: string, now: number): Promise<boolean>;
}

export interface ResolvedCredentials {
  secretAccessKey: string;
  sessionToken?: OpenedSession['sessionToken'];
  expiresAt?: number;
  caller: Caller;
}

export function rootCaller(account: string, accessKeyId?: string): Caller {
  return {
    account,
    principal: { kind: 'root', arn: `arn:aws:iam::${account}:root`, account },
    userId: account,
    tags: {},
    accessKeyId,
  };
}

/** `userId`: the user the credentials were issued to; a user of the same name made since is someone else. */
async function userCaller(directory: IdentityDirectory, tx: Tx, account: string, name: string, accessKeyId: string, userId?: string): Promise<Caller | undefined> {
  const user = await directory.getUser(tx, account, name);
  if (!user || (userId !== undefined && user.UserId !== userId)) return undefined;
  const tags: Record<string, string> = {};
  for (const t of user.Tags ?? []) tags[t.Key] = t.Value;
  return {
    account,
    principal: { kind: 'user', arn: user.Arn, account },
    userId: user.UserId,
    userName: user.UserName,
    identity: { type: 'user', name: user.UserName },
    tags,
    accessKeyId,
  };
}

export function sessionCaller(session: SessionRecord, accessKeyId?: string): Caller | undefined {
  const role = session.role;
  if (!role) return undefined;
  return {
    account: session.account,
    principal: {
      kind: 'assumed-role',
      arn: `arn:aws:sts::${session.account}:assumed-role/${role.roleName}/${role.sessionName}`,
      account: session.account,
      roleArn: role.roleArn,
    },
    userId: `${role.roleId}:${role.sessionName}`,
    identity: { type: 'role', name: role.roleName },
    tags: role.tags,
    accessKeyId,
    session: role,
  };
}

/** A federated user's session: refused once the user who asked for it is gone (or replaced). */
async function federatedCaller(
  directory: IdentityDirectory,
  tx: Tx,
  account: string,
  federated: NonNullable<SessionRecord['federated']>,
  accessKeyId: string,
): Promise<Caller | undefined> {
  const { issuer } = federated;
  if (issuer.type === 'user') {
    const user = await directory.getUser(tx, account, issuer.name);
    if (!user || user.UserId !== issuer.id) return undefined;
  }
  return {
    account,
    principal: { kind: 'federated-user', arn: `arn:aws:sts::${account}:federated-user/${federated.name}`, account },
    userId: `${account}:${federated.name}`,
    ...(issuer.type === 'user' ? { identity: { type: 'user' as const, name: issuer.name } } : {}),
    tags: federated.tags,
    accessKeyId,
    federation: { name: federated.name, sessionPolicies: federated.sessionPolicies, viaRoot: issuer.type === 'root' },
  };
}

/**
 * Looks a key up among long-term keys, then sessions, and builds the caller it stands for; undefined
 * when the key is unknown, inactive, or its user no longer exists.
 */
export async function resolveCredentials(
  directory: IdentityDirectory,
  tx: Tx,
  accessKeyId: string,
): Promise<ResolvedCredentials | undefined> {
  const key = await directory.findAccessKey(tx, accessKeyId);
  if (key) {
    if (key.status !== 'Active') return undefined;
    const caller =
      key.userName === undefined
        ? rootCaller(key.account, accessKeyId)
        : await userCaller(directory, tx, key.account, key.userName, accessKeyId);
    return caller && { secretAccessKey: key.secretAccessKey, caller };
  }
  const session = await directory.findSession(tx, accessKeyId);
  if (!session) return undefined;
  let caller: Caller | undefined;
  if (session.role) {
    // A session belongs to the role's unique id: once that role is deleted its sessions act no more,
    // even under a role made again with the same name.
    const role = await directory.getRole(tx, session.account, session.role.roleName);
    caller = role?.RoleId === session.role.roleId ? sessionCaller(session, accessKeyId) : undefined;
  } else if (session.federated) {
    caller = await federatedCaller(directory, tx, session.account, session.federated, accessKeyId);
  } else {
    caller = !session.owner || session.owner.type === 'root'
      ? rootCaller(session.account, accessKeyId)
      : await userCaller(directory, tx, session.account, session.owner.name, accessKeyId, session.owner.id);
    if (caller) caller.sessionToken = { issuedAt: session.issuedAt };
  }
  if (caller && session.mfaAuthenticatedAt !== undefined) caller.mfaAuthenticatedAt = session.mfaAuthenticatedAt;
  return caller && { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiresAt: session.expiresAt, caller };
}

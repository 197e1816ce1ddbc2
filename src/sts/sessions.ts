// Temporary credentials. A session is stored under its access key id in the GLOBAL account so that
// the authentication step finds it with one point read, whichever account it belongs to.

import { randomBytes } from 'node:crypto';
import type { RoleSession } from '../common/call.ts';
import { GLOBAL, type Tx } from '../store/types.ts';

export const SESSION_KIND = 'sts-session';

export interface StoredSession {
  account: string;
  secretAccessKey: string;
  sessionToken: string;
  issuedAt: number;
  expiresAt: number;
  /** The region the credentials were issued in (a service-linked role's deletion names it). */
  region: string;
  /** A role session (AssumeRole, or a linked service acting through its role)… */
  role?: RoleSession;
  /** …or an IAM user's or the root user's own session (GetSessionToken). */
  owner?: { type: 'user'; name: string; /** The user's unique id (absent in sessions stored before it was kept). */ id?: string } | { type: 'root' };
  /** Epoch milliseconds at which the session was authenticated with an MFA code (absent: without MFA). */
  mfaAuthenticatedAt?: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` + uppercase base32, the shape of AWS's unique ids and access key ids. */
export function awsId(prefix: string, length: number): string {
  const bytes = randomBytes(length - prefix.length);
  let id = prefix;
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

export function newSessionCredentials(): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return {
    accessKeyId: awsId('ASIA', 20),
    secretAccessKey: randomBytes(30).toString('base64'),
    // Real tokens are long opaque blobs; SDKs only pass them back, so any unguessable text works.
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
  };
}

export async function saveSession(tx: Tx, accessKeyId: string, session: StoredSession): Promise<void> {
  await tx.insert(GLOBAL, SESSION_KIND, accessKeyId, session, session.account);
}

export async function findSession(tx: Tx, accessKeyId: string): Promise<StoredSession | undefined> {
  return (await tx.get<StoredSession>(GLOBAL, SESSION_KIND, accessKeyId))?.doc;
}

/** Unexpired sessions of a role, for a service-linked role's deletion check. */
export async function activeRoleSessions(tx: Tx, account: string, roleArn: string, now: number): Promise<StoredSession[]> {
  const sessions = await tx.listByRef<StoredSession>(GLOBAL, SESSION_KIND, account);
  return sessions.map((e) => e.doc).filter((s) => s.role?.roleArn === roleArn && s.expiresAt > now);
}

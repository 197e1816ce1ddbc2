// Temporary credentials. A session is stored under its access key id in the GLOBAL account so that
// the authentication step finds it with one point read, whichever account it belongs to. Its secret
// is sealed and its token kept only as a hash (src/secrets/): the store never holds either in clear.
// A role session is also entered in its role's index (ROLE_SESSION_KIND, under the session's account),
// keyed by the role's ARN and the session's expiry: a service-linked role's deletion asks for the
// role's unexpired sessions, and reads only those, however many sessions the account has had. And every
// session is entered in the expiry index (SESSION_EXPIRY_KIND), by which expired sessions are purged
// (src/sts/session-purge.ts); an entry's ref names the session's entry in its role's index, if any, so
// the purge removes both without reading the session.

import { randomBytes } from 'node:crypto';
import type { RoleSession } from '../common/call.ts';
import { SessionTokenCheck, tokenDigest, type Sealed, type SealContext, type SecretHolder, type Secrets } from '../secrets/index.ts';
import { GLOBAL, type Tx } from '../store/types.ts';
import { keyIdOfAccount } from './key-ids.ts';
import { stampedToken, tokenKey } from './token-stamp.ts';

export const SESSION_KIND = 'sts-session';
/** A role session's entry in its role's index: key `<role ARN> <expiry, 13 digits> <access key id>`, an empty document. */
export const ROLE_SESSION_KIND = 'sts-role-session';
/**
 * A session's entry in the expiry index, in the GLOBAL account: key `<expiry, 13 digits> <access key id>`,
 * ref `<account> <key of its role index entry>` for a role session (else none), an empty document.
 */
export const SESSION_EXPIRY_KIND = 'sts-session-expiry';

const pad13 = (ms: number): string => String(Math.max(0, Math.trunc(ms))).padStart(13, '0');
const roleIndexPrefix = (roleArn: string): string => `${roleArn} `;
const roleIndexKey = (roleArn: string, expiresAt: number, accessKeyId: string): string => `${roleIndexPrefix(roleArn)}${pad13(expiresAt)} ${accessKeyId}`;
const expiryKey = (expiresAt: number, accessKeyId: string): string => `${pad13(expiresAt)} ${accessKeyId}`;

/** A session, without its credentials. */
export interface SessionRecord {
  account: string;
  issuedAt: number;
  expiresAt: number;
  /** The region the credentials were issued in (a service-linked role's deletion names it). */
  region: string;
  /** A role session (AssumeRole, or a linked service acting through its role)… */
  role?: RoleSession;
  /** …or an IAM user's or the root user's own session (GetSessionToken). */
  owner?: { type: 'user'; name: string; /** The user's unique id (absent in sessions stored before it was kept). */ id?: string } | { type: 'root' };
  /** …or a federated user's session (GetFederationToken), issued by an IAM user or the root. */
  federated?: {
    name: string;
    issuer: { type: 'user'; name: string; id: string } | { type: 'root' };
    sessionPolicies: { label: string; document: string }[];
    tags: Record<string, string>;
  };
  /** Epoch milliseconds at which the session was authenticated with an MFA code (absent: without MFA). */
  mfaAuthenticatedAt?: number;
}

/** A session as it is issued: its credentials in plaintext, for the caller's answer. */
export interface NewSession extends SessionRecord {
  secretAccessKey: string;
  sessionToken: string;
}

/** A session as it is stored. */
export interface StoredSession extends SessionRecord {
  secretAccessKey: Sealed;
  /** SHA-256 of the token (src/secrets/token.ts). */
  sessionTokenHash: string;
}

/** A session ready to verify a request: its secret opened, its token checkable. */
export interface OpenedSession extends SessionRecord {
  secretAccessKey: string;
  sessionToken: SessionTokenCheck;
}

const secretAt = (accessKeyId: string): SealContext => ({ kind: SESSION_KIND, key: accessKeyId, field: 'secretAccessKey' });

/** How the secrets module finds, re-seals and (from an earlier version's plaintext) seals sessions. */
export const sessionSecrets: SecretHolder = {
  kind: SESSION_KIND,
  sealedFields: ['secretAccessKey'],
  fromPlaintext: ({ sessionToken, ...doc }, seal) => ({
    ...doc,
    secretAccessKey: seal('secretAccessKey', String(doc.secretAccessKey)),
    sessionTokenHash: tokenDigest(String(sessionToken)),
  }),
};

/** A new session's credentials, shown to its caller this once. */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * Issues and stores a session: a key id that carries its account (as AWS's do), a random secret, and a
 * token stamped with the session's expiry (src/sts/token-stamp.ts).
 */
export async function issueSession(tx: Tx, secrets: Secrets, record: SessionRecord): Promise<SessionCredentials> {
  const accessKeyId = keyIdOfAccount('ASIA', record.account);
  const credentials = {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: stampedToken(await tokenKey(tx, secrets), accessKeyId, record.expiresAt),
  };
  await saveSession(tx, secrets, accessKeyId, { ...record, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
  return credentials;
}

/** STS's `Credentials` answer: the new key, its secret and token (shown this once), and the expiry to the second. */
export function credentialsOut(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, expiresAt: number): Record<string, unknown> {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: new Date(Math.floor(expiresAt / 1000) * 1000),
  };
}

export async function saveSession(tx: Tx, secrets: Secrets, accessKeyId: string, session: NewSession): Promise<void> {
  const { secretAccessKey, sessionToken, ...record } = session;
  const stored: StoredSession = {
    ...record,
    secretAccessKey: await secrets.seal(tx, secretAccessKey, secretAt(accessKeyId)),
    sessionTokenHash: tokenDigest(sessionToken),
  };
  await tx.insert(GLOBAL, SESSION_KIND, accessKeyId, stored, session.account);
  const roleEntry = session.role && roleIndexKey(session.role.roleArn, session.expiresAt, accessKeyId);
  if (roleEntry) await tx.insert(session.account, ROLE_SESSION_KIND, roleEntry, {});
  await tx.insert(GLOBAL, SESSION_EXPIRY_KIND, expiryKey(session.expiresAt, accessKeyId), {}, roleEntry ? `${session.account} ${roleEntry}` : null);
}

export async function findSession(tx: Tx, accessKeyId: string): Promise<StoredSession | undefined> {
  return (await tx.get<StoredSession>(GLOBAL, SESSION_KIND, accessKeyId))?.doc;
}

/** The session with its secret opened: for verifying a signature, and nothing else. */
export async function openSession(tx: Tx, secrets: Secrets, accessKeyId: string): Promise<OpenedSession | undefined> {
  const stored = await findSession(tx, accessKeyId);
  if (!stored) return undefined;
  const { secretAccessKey, sessionTokenHash, ...record } = stored;
  return { ...record, secretAccessKey: secrets.open(secretAccessKey, secretAt(accessKeyId)), sessionToken: new SessionTokenCheck(sessionTokenHash) };
}

/**
 * Unexpired sessions of a role, for a service-linked role's deletion check: the role's index read from
 * `now` on (entries of expired sessions are never read), each session then read to see it still holds
 * the role (a session ended early keeps its entry until its first expiry; one of an earlier role of the
 * same name holds nothing).
 */
export async function activeRoleSessions(tx: Tx, account: string, role: { arn: string; id: string }, now: number): Promise<StoredSession[]> {
  const prefix = roleIndexPrefix(role.arn);
  const entries = await tx.listKeyRefs(account, ROLE_SESSION_KIND, { keyPrefix: prefix, after: `${prefix}${pad13(now)}` });
  const sessions: StoredSession[] = [];
  for (const entry of entries) {
    const session = await findSession(tx, entry.key.slice(entry.key.lastIndexOf(' ') + 1));
    // A session of an earlier role of the same name no longer acts (it belongs to that role's id).
    if (session?.role?.roleArn === role.arn && session.role.roleId === role.id && session.expiresAt > now) sessions.push(session);
  }
  return sessions;
}

/**
 * Deletes up to `limit` sessions that expired before `before` (epoch ms), the oldest first, with their
 * entries in both indexes; returns how many. A session ended early (endSession) keeps the entries of
 * its first expiry, and goes then.
 */
export async function purgeExpiredSessions(tx: Tx, before: number, limit: number): Promise<number> {
  const entries = await tx.listKeyRefs(GLOBAL, SESSION_EXPIRY_KIND, { limit });
  const cutoff = pad13(before);
  let purged = 0;
  for (const { key, ref } of entries) {
    if (key >= cutoff) break;
    await tx.delete(GLOBAL, SESSION_KIND, key.slice(key.indexOf(' ') + 1));
    if (ref !== null) {
      const split = ref.indexOf(' ');
      await tx.delete(ref.slice(0, split), ROLE_SESSION_KIND, ref.slice(split + 1));
    }
    await tx.delete(GLOBAL, SESSION_EXPIRY_KIND, key);
    purged++;
  }
  return purged;
}

/** Removes a role's index: its role is gone, and no session can hold it again. */
export async function forgetRoleSessions(tx: Tx, account: string, roleArn: string): Promise<void> {
  for (const entry of await tx.listKeyRefs(account, ROLE_SESSION_KIND, { keyPrefix: roleIndexPrefix(roleArn) })) {
    await tx.delete(account, ROLE_SESSION_KIND, entry.key);
  }
}

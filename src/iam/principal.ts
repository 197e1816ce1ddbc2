// What the server needs from IAM on every request: credentials by access key id, and the policies
// that govern a user or role. Kept to a handful of indexed reads; the server caches the result
// per account generation.

import type { Secrets } from '../secrets/index.ts';
import type { Tx } from '../store/types.ts';
import type { IamDeps } from './deps.ts';
import { defaultDocument, findManagedPolicy } from './managed.ts';
import {
  accessKeyOwnerRef,
  GLOBAL,
  KIND,
  nameKey,
  newId,
  newSecret,
  ownerKey,
  type AccessKeyDoc,
  type AccountDoc,
  type AttachmentDoc,
  type InlinePolicyDoc,
  type MembershipDoc,
  type OwnerKind,
  type RoleDoc,
  type UserDoc,
} from './model.ts';
import { findRole, findUser } from './lookups.ts';
import { withCurrentTrust } from './named-principals.ts';
import { accessKeySecretAt } from './sealed.ts';
import { findSession } from '../sts/sessions.ts';

export interface LabelledPolicy {
  label: string;
  document: string;
}

export interface PrincipalPolicies {
  policies: LabelledPolicy[];
  boundary?: LabelledPolicy;
}

export interface IdentityRef {
  type: 'user' | 'role';
  name: string;
}

export interface FoundAccessKey {
  account: string;
  userName?: string;
  root?: true;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
}

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One of an entity's own policies: labelled for explanations, and said where it comes from. */
export interface OwnedPolicy extends LabelledPolicy {
  /** The inline policy's or the managed policy's name. */
  name: string;
  ownerKind: OwnerKind;
  ownerName: string;
  /** For an attached managed policy: its ARN, and whether AWS manages it. */
  managed?: { arn: string; aws: boolean };
}

/** The inline and attached policies of one user, group or role, labelled for explanations. */
export async function ownedPolicies(tx: Tx, deps: IamDeps, account: string, kind: OwnerKind, name: string): Promise<OwnedPolicy[]> {
  const prefix = `${ownerKey(kind, name)}/`;
  const [inline, attached] = await Promise.all([
    tx.list<InlinePolicyDoc>(account, KIND.inlinePolicy, { keyPrefix: prefix }),
    tx.list<AttachmentDoc>(account, KIND.attachment, { keyPrefix: prefix }),
  ]);
  const out: OwnedPolicy[] = inline.map((e) => ({
    label: `${kind}/${e.doc.ownerName}/inline/${e.doc.PolicyName}`,
    document: e.doc.PolicyDocument,
    name: e.doc.PolicyName,
    ownerKind: kind,
    ownerName: e.doc.ownerName,
  }));
  for (const a of attached) {
    const view = await findManagedPolicy(tx, deps, account, a.doc.PolicyArn);
    if (view) {
      out.push({ label: view.Arn, document: defaultDocument(view), name: view.PolicyName, ownerKind: kind, ownerName: a.doc.ownerName, managed: { arn: view.Arn, aws: view.aws } });
    }
  }
  return out;
}

/** A user's groups' names, in the store's order. */
export async function groupsOfUser(tx: Tx, account: string, userName: string): Promise<string[]> {
  return (await tx.listByRef<MembershipDoc>(account, KIND.membership, nameKey(userName))).map((m) => m.doc.GroupName);
}

/** The permissions boundary's managed policy (labelled by its ARN), if it (still) exists. */
export async function boundaryPolicy(tx: Tx, deps: IamDeps, account: string, arn: string | undefined): Promise<(LabelledPolicy & { name: string }) | undefined> {
  if (arn === undefined) return undefined;
  const view = await findManagedPolicy(tx, deps, account, arn);
  return view && { label: view.Arn, document: defaultDocument(view), name: view.PolicyName };
}

export function principalAccess(deps: IamDeps) {
  /**
   * A user's own inline and attached policies plus those of its groups; a role's inline and
   * attached policies; and the permissions boundary. Undefined when the identity does not exist.
   */
  async function principalPolicies(tx: Tx, account: string, identity: IdentityRef): Promise<PrincipalPolicies | undefined> {
    if (identity.type === 'role') {
      const role = await findRole(tx, account, identity.name);
      if (!role) return undefined;
      const result: PrincipalPolicies = { policies: await ownedPolicies(tx, deps, account, 'role', role.RoleName) };
      const boundary = await boundaryPolicy(tx, deps, account, role.PermissionsBoundary);
      if (boundary) result.boundary = boundary;
      return result;
    }
    const user = await findUser(tx, account, identity.name);
    if (!user) return undefined;
    const policies = await ownedPolicies(tx, deps, account, 'user', user.UserName);
    for (const group of await groupsOfUser(tx, account, user.UserName)) policies.push(...(await ownedPolicies(tx, deps, account, 'group', group)));
    const result: PrincipalPolicies = { policies };
    const boundary = await boundaryPolicy(tx, deps, account, user.PermissionsBoundary);
    if (boundary) result.boundary = boundary;
    return result;
  }
  /** The default version's document of a managed policy visible to `account` (STS `PolicyArns`). */
  async function managedPolicyDocument(tx: Tx, account: string, arn: string): Promise<string | undefined> {
    const view = await findManagedPolicy(tx, deps, account, arn);
    return view && defaultDocument(view);
  }
  return { principalPolicies, managedPolicyDocument };
}

export const getRole = (tx: Tx, account: string, name: string): Promise<RoleDoc | undefined> => findRole(tx, account, name);

/** A role as AssumeRole evaluates it: its trust policy naming only users and roles that still exist. */
export async function getAssumableRole(tx: Tx, account: string, name: string): Promise<RoleDoc | undefined> {
  const role = await findRole(tx, account, name);
  return role && withCurrentTrust(tx, role);
}
export const getUser = (tx: Tx, account: string, name: string): Promise<UserDoc | undefined> => findUser(tx, account, name);

/** The account a key iamd issued belongs to: a long-term key's or a session's (STS GetAccessKeyInfo). */
export async function accountOfAccessKey(tx: Tx, accessKeyId: string): Promise<string | undefined> {
  const key = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyId);
  if (key) return key.doc.account;
  return (await findSession(tx, accessKeyId))?.account;
}

/** The key with its secret opened: for verifying a signature, and nothing else. */
export async function findAccessKey(tx: Tx, secrets: Secrets, accessKeyId: string): Promise<FoundAccessKey | undefined> {
  const e = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyId);
  if (!e) return undefined;
  const secretAccessKey = secrets.open(e.doc.SecretAccessKey, accessKeySecretAt(accessKeyId));
  const found: FoundAccessKey = { account: e.doc.account, secretAccessKey, status: e.doc.Status };
  if (e.doc.userName !== undefined) found.userName = e.doc.userName;
  if (e.doc.root) found.root = true;
  return found;
}

/** Account ids in ascending order after `after`, for sweeps that visit every account in turn. */
export async function listAccountIds(tx: Tx, after: string | undefined, limit: number): Promise<string[]> {
  return (await tx.list(GLOBAL, KIND.account, { ...(after !== undefined ? { after } : {}), limit })).map((e) => e.key);
}

/**
 * Creates the account (idempotent) and its root access key: `rootKeys` when given (a deployment's
 * configured credentials), otherwise generated. Returns the root credentials, which only this call
 * ever sees in plaintext: the store keeps the secret sealed.
 */
export async function createAccount(tx: Tx, secrets: Secrets, accountId: string, rootKeys?: RootCredentials, now: Date = new Date()): Promise<RootCredentials> {
  if (!(await tx.get(GLOBAL, KIND.account, accountId))) {
    const doc: AccountDoc = { accountId, CreateDate: now.toISOString() };
    await tx.insert(GLOBAL, KIND.account, accountId, doc);
  }
  const keys = rootKeys ?? { accessKeyId: newId('AKIA'), secretAccessKey: newSecret() };
  const existing = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, keys.accessKeyId);
  const doc: AccessKeyDoc = {
    AccessKeyId: keys.accessKeyId,
    account: accountId,
    root: true,
    SecretAccessKey: await secrets.seal(tx, keys.secretAccessKey, accessKeySecretAt(keys.accessKeyId)),
    Status: 'Active',
    CreateDate: existing?.doc.CreateDate ?? now.toISOString(),
  };
  if (existing) await tx.update(GLOBAL, KIND.accessKey, keys.accessKeyId, doc, accessKeyOwnerRef(accountId, undefined));
  else await tx.insert(GLOBAL, KIND.accessKey, keys.accessKeyId, doc, accessKeyOwnerRef(accountId, undefined));
  return keys;
}

/** One use of an access key: when, for which service (the signing name, e.g. `iam`), in which region. */
export interface KeyUse {
  date: Date;
  service: string;
  region: string;
}

/** Notes a key's use for GetAccessKeyLastUsed. */
export async function recordAccessKeyUse(tx: Tx, accessKeyId: string, use: KeyUse): Promise<void> {
  const e = await tx.get<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyId);
  if (!e) return;
  const lastUsed = { date: use.date.toISOString(), service: use.service, region: use.region };
  await tx.update(GLOBAL, KIND.accessKey, accessKeyId, { ...e.doc, lastUsed }, e.ref);
}

/** What the server's usage recorder needs to write key uses, keyed by access key id. */
export const ACCESS_KEY_USAGE = {
  label: 'access key use',
  time: (u: KeyUse): number => u.date.getTime(),
  repeats: (last: KeyUse, next: KeyUse): boolean => last.service === next.service && last.region === next.region,
  async write(tx: Tx, batch: ReadonlyMap<string, KeyUse>): Promise<void> {
    for (const [accessKeyId, use] of batch) await recordAccessKeyUse(tx, accessKeyId, use);
  },
};

/** Notes a role's use (an assumed session's call) for GetRole's RoleLastUsed. */
export async function recordRoleUse(tx: Tx, account: string, roleName: string, when: Date, region: string): Promise<void> {
  const e = await tx.get<RoleDoc>(account, KIND.role, nameKey(roleName));
  if (!e) return;
  await tx.update(account, KIND.role, e.key, { ...e.doc, RoleLastUsed: { LastUsedDate: when.toISOString(), Region: region } });
}

// The IAM domain's entities as the Store holds them: their kinds, their documents and their keys.
//
// Every entity is a JSON document addressed by (account, kind, key). IAM names are unique regardless
// of case, so keys built from names are lower-cased names (the document keeps the name as written);
// the database's primary key then enforces AWS's uniqueness rule without a read-then-write race.
// Timestamps are ISO-8601 strings in documents and become `Date`s only in API outputs.

import { randomFillSync } from 'node:crypto';
import type { Sealed } from '../secrets/index.ts';
import { GLOBAL } from '../store/types.ts';

export { GLOBAL };

export const KIND = {
  /** key: lower-cased user name. */
  user: 'user',
  /** key: lower-cased group name. */
  group: 'group',
  /** key: lower-cased role name. */
  role: 'role',
  /** A customer managed policy with its versions. key: lower-cased policy name (unique per account, whatever the path). */
  policy: 'policy',
  /** key: `<owner kind>/<lower owner name>/<lower policy name>`. */
  inlinePolicy: 'inline-policy',
  /** A managed policy attached to a user, group or role. key: `<owner kind>/<lower owner name>/<policy ARN>`, ref: policy ARN. */
  attachment: 'attachment',
  /** A managed policy used as a user's or role's permissions boundary. key: `<owner kind>/<lower owner name>`, ref: policy ARN. */
  boundaryUse: 'boundary-use',
  /** A user in a group. key: `<lower group>/<lower user>`, ref: lower-cased user name (for ListGroupsForUser). */
  membership: 'membership',
  /** GLOBAL. key: access key id, ref: `<account>/<owner key>` (see `accessKeyOwnerRef`). */
  accessKey: 'access-key',
  /** GLOBAL. key: account id. */
  account: 'account',
  /** GLOBAL. key: the alias (lower case by its pattern), ref: the account. */
  accountAlias: 'account-alias',
  /** key: lower-cased instance profile name, ref: lower-cased name of its role (at most one). */
  instanceProfile: 'instance-profile',
  /** A virtual MFA device (mfa/devices.ts). key: lower-cased device name, ref: its owner (`user/<UserId>`, `root`) while enabled. */
  mfaDevice: 'mfa-device',
  /** A user's password (login-profiles.ts). key: the user's UserId. */
  loginProfile: 'login-profile',
  /** The account password policy (password-policy.ts). key: `policy`. */
  passwordPolicy: 'password-policy',
  /** The account's last credential report (credential-report.ts). key: `report`. */
  credentialReport: 'credential-report',
  /** An OpenID Connect provider. key: its URL without `https://` (the ARN's resource part, as written). */
  oidcProvider: 'oidc-provider',
  /** key: lower-cased SAML provider name (saml-providers.ts). */
  samlProvider: 'saml-provider',
  /** key: lower-cased server certificate name (src/iam/ops/server-certificates.ts). */
  serverCertificate: 'server-certificate',
  /** GLOBAL, so rotation re-seals it. key: the server certificate's id, ref: its account. */
  serverCertificateKey: 'server-certificate-key',
  /** key: certificate id, ref: `user/<lower user>` or `root` (src/iam/ops/signing-certificates.ts). */
  signingCertificate: 'signing-certificate',
  /** key: SSH public key id, ref: lower-cased user name (src/iam/ops/ssh-public-keys.ts). */
  sshPublicKey: 'ssh-public-key',
  /** GLOBAL, so rotation re-seals it. key: credential id, ref: `<account>/user/<lower user>` (src/iam/ops/service-credentials.ts). */
  serviceCredential: 'service-specific-credential',
  /** The account's outbound web identity federation switch and issuer (src/iam/ops/outbound-federation.ts). key: `settings`. */
  outboundFederation: 'outbound-federation',
} as const;

export type OwnerKind = 'user' | 'group' | 'role';

export interface Tag {
  Key: string;
  Value: string;
}

export interface UserDoc {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  /** ARN of the managed policy used as permissions boundary. */
  PermissionsBoundary?: string;
  Tags: Tag[];
  PasswordLastUsed?: string;
}

export interface GroupDoc {
  GroupName: string;
  GroupId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
}

/** ARN → unique id of each IAM user or role a policy names, as they were when it was written (named-principals.ts). */
export type NamedPrincipals = Record<string, string>;

export interface RoleDoc {
  RoleName: string;
  RoleId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  /** The trust policy exactly as the caller sent it. */
  AssumeRolePolicyDocument: string;
  /** The users and roles the trust policy names, with their unique ids then. */
  trustPrincipals?: NamedPrincipals;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  RoleLastUsed?: { LastUsedDate: string; Region: string };
  /** Set for service-linked roles: the service that owns the role. */
  serviceLinked?: { servicePrincipal: string };
}

export interface InstanceProfileDoc {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  /** The role in the profile, as named when added (AWS allows one). */
  RoleName?: string;
  Tags: Tag[];
}

export interface OidcProviderDoc {
  /** The URL without `https://`, as the caller wrote it: GetOpenIDConnectProvider's `Url`. */
  Url: string;
  Arn: string;
  ClientIDList: string[];
  /** Hex SHA-1 thumbprints of the issuer's certificate, as written (compared regardless of case). */
  ThumbprintList: string[];
  CreateDate: string;
  Tags: Tag[];
}

export interface PolicyVersionDoc {
  VersionId: string;
  /** The document exactly as the caller sent it. */
  Document: string;
  CreateDate: string;
}

/**
 * A customer managed policy. Its (at most five) versions live in the same document: every read of
 * the policy needs the default version, and a version never outlives its policy.
 */
export interface PolicyDoc {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  DefaultVersionId: string;
  /** The number the next version gets: AWS never reuses a version id of a policy. */
  nextVersion: number;
  versions: PolicyVersionDoc[];
  Tags: Tag[];
}

export interface InlinePolicyDoc {
  ownerKind: OwnerKind;
  ownerName: string;
  PolicyName: string;
  PolicyDocument: string;
}

export interface AttachmentDoc {
  ownerKind: OwnerKind;
  ownerName: string;
  ownerId: string;
  PolicyArn: string;
  PolicyName: string;
}

export interface BoundaryUseDoc {
  ownerKind: 'user' | 'role';
  ownerName: string;
  ownerId: string;
  PolicyArn: string;
}

export interface MembershipDoc {
  GroupName: string;
  UserName: string;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

/** An access key; GLOBAL so that the server finds the owner from the key id alone. */
export interface AccessKeyDoc {
  AccessKeyId: string;
  account: string;
  /** The IAM user owning the key (display name); absent for the account root's keys. */
  userName?: string;
  root?: true;
  /** Sealed (src/secrets/): opened only to verify a signature. */
  SecretAccessKey: Sealed;
  Status: AccessKeyStatus;
  CreateDate: string;
  lastUsed?: { date: string; service: string; region: string };
}

export interface AccountDoc {
  accountId: string;
  CreateDate: string;
  /** SetSecurityTokenServicePreferences: which tokens STS's global endpoint issues (v1 by default). */
  globalEndpointTokenVersion?: 'v1Token' | 'v2Token';
}

/** An account alias; GLOBAL, since aliases are unique across every account. */
export interface AccountAliasDoc {
  AccountAlias: string;
  account: string;
}

// ---- keys ----

export const nameKey = (name: string): string => name.toLowerCase();
export const ownerKey = (kind: OwnerKind, name: string): string => `${kind}/${nameKey(name)}`;
export const inlinePolicyKey = (kind: OwnerKind, owner: string, policyName: string): string =>
  `${ownerKey(kind, owner)}/${nameKey(policyName)}`;
export const attachmentKey = (kind: OwnerKind, owner: string, policyArn: string): string =>
  `${ownerKey(kind, owner)}/${policyArn}`;
export const membershipKey = (group: string, user: string): string => `${nameKey(group)}/${nameKey(user)}`;
/** The ref under which a user's (or the root's) access keys are listed. */
export const accessKeyOwnerRef = (account: string, userName: string | undefined): string =>
  userName === undefined ? `${account}/root` : `${account}/user/${nameKey(userName)}`;

// ---- ARNs ----

export const PARTITION = 'aws';

export const userArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:user${path}${name}`;
export const groupArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:group${path}${name}`;
export const roleArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:role${path}${name}`;
export const instanceProfileArn = (account: string, path: string, name: string): string =>
  `arn:${PARTITION}:iam::${account}:instance-profile${path}${name}`;
export const policyArn = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:policy${path}${name}`;
export const oidcProviderArn = (account: string, id: string): string => `arn:${PARTITION}:iam::${account}:oidc-provider/${id}`;
export const rootArn = (account: string): string => `arn:${PARTITION}:iam::${account}:root`;

export interface ParsedPolicyArn {
  /** `aws` for AWS managed policies, else the owning account. */
  account: string;
  path: string;
  name: string;
}

/** Splits `arn:aws:iam::<account|aws>:policy<path><name>`; undefined when it is not a policy ARN. */
export function parsePolicyArn(arn: string): ParsedPolicyArn | undefined {
  const m = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn);
  if (!m) return undefined;
  return { account: m[1]!, path: m[2]!, name: m[3]! };
}

// ---- identifiers ----

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Random bytes drawn from the CSPRNG a pool at a time, as Node's randomUUID does: one call per id cost
 * more than the rest of building it. Each byte is handed out once; the pool is refilled before reuse.
 */
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;

function randomFrom(alphabet: string, length: number): string {
  if (randomPoolOffset + length > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  let out = '';
  // Both alphabets have a power-of-two size, so masking keeps the distribution uniform.
  for (let i = 0; i < length; i++) out += alphabet[randomPool[randomPoolOffset + i]! & (alphabet.length - 1)];
  randomPoolOffset += length;
  return out;
}

/** AWS unique-id prefixes: AIDA user, AGPA group, AROA role, AIPA instance profile, ANPA managed policy, AKIA long-term key, ASIA session key. */
export type IdPrefix = 'AIDA' | 'AGPA' | 'AROA' | 'AIPA' | 'ANPA' | 'AKIA' | 'ASIA';

/** A unique id shaped like AWS's: 21 characters for entities, 20 for access key ids. */
export function newId(prefix: IdPrefix): string {
  const length = prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17;
  return prefix + randomFrom(BASE32, length);
}

/** AWS-shaped ids the IdPrefix list does not name: `ASCA` server certificates, `APKA` SSH keys, `ACCA` service credentials, bare signing certificate ids. */
export const newRandomId = (prefix: string, length: number): string => prefix + randomFrom(BASE32, length);

/** A 40-character secret access key. */
export const newSecret = (): string => randomFrom(SECRET_ALPHABET, 40);

// SAML identity providers as the store holds them, and how an ARN names one. A provider is kept
// under its lower-cased name (names are unique regardless of case, as for IAM's other entities) with
// the metadata document as given and what verifying an assertion needs of it (issuer, certificates).
// AWS answers an ARN that names no provider of the account with "Manifest not found" (recorded).

import { randomBytes } from 'node:crypto';
import type { AuthzCheck, CallContext } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import type { Entity, Tx } from '../store/types.ts';
import { MetadataError, readIdpMetadata, type IdpMetadata } from '../saml/metadata.ts';
import { check } from './checks.ts';
import { invalidInput } from './errors.ts';
import { KIND, nameKey, PARTITION, type Tag } from './model.ts';
import { resourceTagContext } from './tags.ts';
import type { Secrets } from '../secrets/index.ts';
import { openPrivateKeys, type SamlPrivateKeyRef } from './saml-private-keys.ts';

export interface SamlProviderDoc {
  Name: string;
  Arn: string;
  SAMLProviderUUID: string;
  /** The metadata exactly as the caller sent it. */
  SAMLMetadataDocument: string;
  CreateDate: string;
  ValidUntil: string;
  AssertionEncryptionMode: 'Allowed' | 'Required';
  /** The ids of its private keys (saml-private-keys.ts), oldest first; absent in documents written before keys were taken. */
  PrivateKeyList?: SamlPrivateKeyRef[];
  Tags: Tag[];
  /** What the metadata says, read once when it is set. */
  idp: IdpMetadata;
}

export const samlProviderArn = (account: string, name: string): string => `arn:${PARTITION}:iam::${account}:saml-provider/${name}`;

const SAML_PROVIDER_ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]+)$/;

/** The name an ARN gives the account's provider; undefined when it names none of the account's. */
export function samlProviderName(account: string, arn: string): string | undefined {
  const m = SAML_PROVIDER_ARN.exec(arn);
  return m && m[1] === account ? m[2] : undefined;
}

// recorded
export const noSuchSamlProvider = (arn: string) => new ApiError('NoSuchEntity', `Manifest not found for arn ${arn}`, 404);
// not in the recordings: AWS's wording as users report it for every metadata document it cannot use
export const badMetadata = () => invalidInput('Could not parse metadata');
// not in the recordings; the pattern of IAM's other EntityAlreadyExists texts
export const samlProviderExists = (name: string) => new ApiError('EntityAlreadyExists', `SAMLProvider ${name} already exists.`, 409);

/** Metadata as AWS accepts it, or its InvalidInput. */
export function requireMetadata(document: string): IdpMetadata {
  try {
    return readIdpMetadata(document);
  } catch (e) {
    if (e instanceof MetadataError) throw badMetadata();
    throw e;
  }
}

/** AWS's ValidUntil when the metadata sets none: a hundred years on. */
export function validUntilOf(idp: IdpMetadata, now: Date): string {
  if (idp.validUntil) return idp.validUntil;
  const later = new Date(now);
  later.setUTCFullYear(later.getUTCFullYear() + 100);
  return later.toISOString();
}

const UUID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** 26 characters of [A-Z0-9], within the model's privateKeyIdType. */
export function newProviderUuid(): string {
  return [...randomBytes(26)].map((b) => UUID_ALPHABET[b % UUID_ALPHABET.length]).join('');
}

export async function findSamlProvider(tx: Tx, account: string, arn: string): Promise<Entity<SamlProviderDoc> | undefined> {
  const name = samlProviderName(account, arn);
  return name === undefined ? undefined : tx.get<SamlProviderDoc>(account, KIND.samlProvider, nameKey(name));
}

export async function requireSamlProvider(tx: Tx, account: string, arn: string): Promise<Entity<SamlProviderDoc>> {
  const e = await findSamlProvider(tx, account, arn);
  if (!e) throw noSuchSamlProvider(arn);
  return e;
}

/** A check on the provider `arn`, with its tags as `aws:ResourceTag/…` when it exists. */
export async function samlProviderCheck(tx: Tx, ctx: CallContext, action: string, arn: string, extra: Record<string, string | string[]> = {}): Promise<AuthzCheck> {
  const doc = (await findSamlProvider(tx, ctx.account, arn))?.doc;
  return check(action, arn, { ...resourceTagContext(doc?.Tags ?? [], false), ...extra });
}

/** What STS's AssumeRoleWithSAML needs of a provider: who signs, and the keys that decrypt. */
export interface SamlProviderForSts {
  arn: string;
  name: string;
  issuer: string;
  signingCertificates: string[];
  /** PEMs of the private keys, opened for this call only. */
  decryptionKeys: string[];
  encryptionRequired: boolean;
}

/** What STS's AssumeRoleWithSAML needs of the provider `arn` of `account`. */
export async function samlProviderForSts(tx: Tx, secrets: Secrets, account: string, arn: string): Promise<SamlProviderForSts | undefined> {
  const doc = (await findSamlProvider(tx, account, arn))?.doc;
  if (!doc) return undefined;
  return {
    arn: doc.Arn,
    name: doc.Name,
    issuer: doc.idp.entityId,
    signingCertificates: doc.idp.signingCertificates,
    decryptionKeys: await openPrivateKeys(tx, secrets, account, doc.PrivateKeyList ?? []),
    encryptionRequired: doc.AssertionEncryptionMode === 'Required',
  };
}

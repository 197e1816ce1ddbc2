// The private keys a SAML provider decrypts its IdP's encrypted assertions with (AddPrivateKey).
// Each is sealed at rest (src/secrets/) in a GLOBAL entity of its own keyed by its KeyId, so the
// holder mechanism that seals, migrates and rotates every other secret covers it too; the provider's
// own document lists only their ids and upload times, which GetSAMLProvider answers.

import { createPrivateKey, randomBytes } from 'node:crypto';
import type { Sealed, SealContext, SecretHolder, Secrets } from '../secrets/index.ts';
import { GLOBAL, type Tx } from '../store/types.ts';
import { invalidInput } from './errors.ts';

export const SAML_PRIVATE_KEY_KIND = 'saml-private-key';

/** AWS keeps at most two per provider: the current key and the next one, for rotation. */
export const MAX_PRIVATE_KEYS = 2;

interface PrivateKeyDoc {
  account: string;
  PrivateKey: Sealed;
}

/** What a provider's document holds of a key: never the key itself. */
export interface SamlPrivateKeyRef {
  KeyId: string;
  Timestamp: string;
}

const sealedAt = (keyId: string): SealContext => ({ kind: SAML_PRIVATE_KEY_KIND, key: keyId, field: 'PrivateKey' });

export const samlPrivateKeySecrets: SecretHolder = {
  kind: SAML_PRIVATE_KEY_KIND,
  sealedFields: ['PrivateKey'],
  fromPlaintext: (doc, seal) => ({ ...doc, PrivateKey: seal('PrivateKey', String(doc.PrivateKey)) }),
};

// iamd's wording: AWS's text for a key it cannot use is not recorded.
const badKey = () => invalidInput('The private key must be an unencrypted PEM-encoded RSA private key.');

/** The PEM as given, once it is an RSA private key iamd can decrypt with (no passphrase: nobody could type it in). */
export function requireRsaPrivateKey(pem: string): string {
  let type: string | undefined;
  try {
    type = createPrivateKey({ key: pem, format: 'pem' }).asymmetricKeyType;
  } catch {
    throw badKey();
  }
  if (type !== 'rsa') throw badKey();
  return pem;
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** 26 characters of [A-Z0-9], within the model's privateKeyIdType. */
const newKeyId = (): string => [...randomBytes(26)].map((b) => KEY_ID_ALPHABET[b % KEY_ID_ALPHABET.length]).join('');

export async function keepPrivateKey(tx: Tx, secrets: Secrets, account: string, pem: string, now: Date): Promise<SamlPrivateKeyRef> {
  const KeyId = newKeyId();
  const doc: PrivateKeyDoc = { account, PrivateKey: await secrets.seal(tx, pem, sealedAt(KeyId)) };
  await tx.insert(GLOBAL, SAML_PRIVATE_KEY_KIND, KeyId, doc, account);
  return { KeyId, Timestamp: now.toISOString() };
}

export async function forgetPrivateKey(tx: Tx, keyId: string): Promise<void> {
  await tx.delete(GLOBAL, SAML_PRIVATE_KEY_KIND, keyId);
}

/** The PEMs of `refs`, opened for one decryption and never kept. */
export async function openPrivateKeys(tx: Tx, secrets: Secrets, account: string, refs: readonly SamlPrivateKeyRef[]): Promise<string[]> {
  const pems: string[] = [];
  for (const { KeyId } of refs) {
    const e = await tx.get<PrivateKeyDoc>(GLOBAL, SAML_PRIVATE_KEY_KIND, KeyId);
    if (!e || e.doc.account !== account) throw new Error(`the SAML private key ${KeyId} is missing`);
    pems.push(secrets.open(e.doc.PrivateKey, sealedAt(KeyId)));
  }
  return pems;
}

// The keys STS signs an account's outbound web identity tokens with (GetWebIdentityToken), one per
// algorithm, made when the account first asks for that algorithm. The private half is sealed at rest
// (src/secrets/) in a GLOBAL entity, so rotation of the master key re-seals it; the public half is
// kept as a JWK, which the issuer's JWKS document serves.

import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Sealed, SealContext, SecretHolder, Secrets } from '../secrets/index.ts';
import { GLOBAL, type Tx } from '../store/types.ts';
import { accountOfIssuer, indexIssuer, issuerId, outboundFederation } from './outbound-federation.ts';

export const OUTBOUND_SIGNING_KEY_KIND = 'outbound-signing-key';

/** The algorithms GetWebIdentityToken signs with (the model's documentation). */
export const SIGNING_ALGORITHMS = ['RS256', 'ES384'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

interface SigningKeyDoc {
  account: string;
  alg: SigningAlgorithm;
  kid: string;
  publicJwk: JWK;
  privateKey: Sealed;
  createdAt: string;
}

const keyOf = (account: string, alg: SigningAlgorithm) => `${account}/${alg}`;
const sealedAt = (key: string): SealContext => ({ kind: OUTBOUND_SIGNING_KEY_KIND, key, field: 'privateKey' });

export const outboundSigningKeySecrets: SecretHolder = {
  kind: OUTBOUND_SIGNING_KEY_KIND,
  sealedFields: ['privateKey'],
  fromPlaintext: (doc, seal) => ({ ...doc, privateKey: seal('privateKey', String(doc.privateKey)) }),
};

function newKeyPair(alg: SigningAlgorithm): { privatePem: string; publicJwk: JWK } {
  const { privateKey, publicKey } = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicJwk: publicKey.export({ format: 'jwk' }) as JWK };
}

/** What signing a token needs: the issuer, and the account's key for `alg` (made now if it has none). */
export interface TokenSigner {
  issuer: string;
  kid: string;
  key: KeyObject;
}

/** The account's signer for `alg`, or undefined while its outbound federation is disabled. */
export async function outboundTokenSigner(tx: Tx, secrets: Secrets, account: string, alg: SigningAlgorithm): Promise<TokenSigner | undefined> {
  const federation = await outboundFederation(tx, account);
  if (!federation?.enabled) return undefined;
  // Accounts enabled before tokens were minted have no index entry yet.
  await indexIssuer(tx, account, federation.issuer);
  const key = keyOf(account, alg);
  const held = (await tx.get<SigningKeyDoc>(GLOBAL, OUTBOUND_SIGNING_KEY_KIND, key))?.doc;
  if (held) return { issuer: federation.issuer, kid: held.kid, key: createPrivateKey(secrets.open(held.privateKey, sealedAt(key))) };
  const { privatePem, publicJwk } = newKeyPair(alg);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const doc: SigningKeyDoc = {
    account,
    alg,
    kid,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    privateKey: await secrets.seal(tx, privatePem, sealedAt(key)),
    createdAt: new Date().toISOString(),
  };
  await tx.insert(GLOBAL, OUTBOUND_SIGNING_KEY_KIND, key, doc, account);
  return { issuer: federation.issuer, kid, key: createPrivateKey(privatePem) };
}

/** The issuer's public documents, by its id; undefined when no enabled account has that issuer. */
export async function outboundIssuerKeys(tx: Tx, id: string): Promise<{ issuer: string; keys: JWK[] } | undefined> {
  const account = await accountOfIssuer(tx, id);
  if (!account) return undefined;
  const federation = await outboundFederation(tx, account);
  // A disabled switch withdraws the keys too: relying parties stop accepting the account's tokens.
  if (!federation?.enabled || issuerId(federation.issuer) !== id) return undefined;
  const keys: JWK[] = [];
  for (const alg of SIGNING_ALGORITHMS) {
    const held = (await tx.get<SigningKeyDoc>(GLOBAL, OUTBOUND_SIGNING_KEY_KIND, keyOf(account, alg)))?.doc;
    if (held) keys.push(held.publicJwk);
  }
  return { issuer: federation.issuer, keys };
}

// A virtual MFA device's seed is a secret iamd must read back to check codes. It is sealed at rest
// by the secrets module (src/secrets/), in a GLOBAL entity of its own keyed by account and device, so
// the same holder mechanism that seals, migrates and rotates access key and session secrets covers it.

import type { Sealed, SecretHolder, Secrets } from '../../secrets/index.ts';
import { GLOBAL, type Tx } from '../../store/types.ts';
import { nameKey } from '../model.ts';

export const MFA_SEED_KIND = 'mfa-seed';

interface SeedDoc {
  seed: Sealed;
}

const keyOf = (account: string, deviceName: string): string => `${account}/${nameKey(deviceName)}`;
const sealedAt = (key: string) => ({ kind: MFA_SEED_KIND, key, field: 'seed' });

export async function keepSeed(tx: Tx, secrets: Secrets, account: string, deviceName: string, seed: string): Promise<void> {
  const key = keyOf(account, deviceName);
  await tx.insert(GLOBAL, MFA_SEED_KIND, key, { seed: await secrets.seal(tx, seed, sealedAt(key)) } satisfies SeedDoc);
}

export async function openSeed(tx: Tx, secrets: Secrets, account: string, deviceName: string): Promise<string> {
  const key = keyOf(account, deviceName);
  const e = await tx.get<SeedDoc>(GLOBAL, MFA_SEED_KIND, key);
  if (!e) throw new Error(`the seed of MFA device ${key} is missing`);
  return secrets.open(e.doc.seed, sealedAt(key));
}

export async function forgetSeed(tx: Tx, account: string, deviceName: string): Promise<void> {
  await tx.delete(GLOBAL, MFA_SEED_KIND, keyOf(account, deviceName));
}

export const mfaSeedSecrets: SecretHolder = {
  kind: MFA_SEED_KIND,
  sealedFields: ['seed'],
  fromPlaintext: (doc, seal) => ({ ...doc, seed: seal('seed', String(doc.seed)) }),
};

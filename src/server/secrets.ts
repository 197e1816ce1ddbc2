// The store's secrets as every iamd command opens them (the server, `iamd accounts`, `iamd keys`):
// the master key from IAMD_MASTER_KEY, else the key file in the data folder; and the entities that
// hold secrets, which the first start seals and a rotation re-seals.

import { accessKeySecrets, mfaSeedSecrets, outboundSigningKeySecrets, samlPrivateKeySecrets, serverCertificateKeySecrets, serviceCredentialSecrets } from '../iam/index.ts';
import { keyFilePath, openSecrets, type MasterKey, type SecretHolder, type Secrets } from '../secrets/index.ts';
import type { Store } from '../store/types.ts';
import { sessionSecrets } from '../sts/sessions.ts';
import { tokenKeySecrets } from '../sts/token-stamp.ts';

export const SECRET_HOLDERS: readonly SecretHolder[] = [
  accessKeySecrets,
  sessionSecrets,
  mfaSeedSecrets,
  serverCertificateKeySecrets,
  serviceCredentialSecrets,
  samlPrivateKeySecrets,
  outboundSigningKeySecrets,
  tokenKeySecrets,
];

export function storeSecrets(store: Store, options: { masterKey?: MasterKey; dataDir: string }): Promise<Secrets> {
  return openSecrets(store, {
    ...(options.masterKey ? { masterKey: options.masterKey } : {}),
    keyFile: keyFilePath(options.dataDir),
    holders: SECRET_HOLDERS,
  });
}

// Where IAM keeps a secret: an access key's secret, sealed in its GLOBAL `access-key` entity. Its
// seal is bound to that entity and field, and the holder tells the secrets module how to seal what an
// iamd before sealing stored in plaintext there, and which field to re-seal on rotation.

import type { SealContext, SecretHolder } from '../secrets/index.ts';
import { KIND } from './model.ts';

export const accessKeySecretAt = (accessKeyId: string): SealContext => ({ kind: KIND.accessKey, key: accessKeyId, field: 'SecretAccessKey' });

export const accessKeySecrets: SecretHolder = {
  kind: KIND.accessKey,
  sealedFields: ['SecretAccessKey'],
  fromPlaintext: (doc, seal) => ({ ...doc, SecretAccessKey: seal('SecretAccessKey', String(doc.SecretAccessKey)) }),
};

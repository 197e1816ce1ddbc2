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

/** A server certificate's private key, in a GLOBAL entity of its own (keyed by the certificate's id) so rotation finds it. */
export const serverCertificateKeyAt = (certificateId: string): SealContext => ({ kind: KIND.serverCertificateKey, key: certificateId, field: 'PrivateKey' });

export const serverCertificateKeySecrets: SecretHolder = {
  kind: KIND.serverCertificateKey,
  sealedFields: ['PrivateKey'],
  fromPlaintext: (doc, seal) => ({ ...doc, PrivateKey: seal('PrivateKey', String(doc.PrivateKey)) }),
};

/** A service-specific credential's password (or Bedrock API key secret), in its GLOBAL entity. */
export const serviceCredentialSecretAt = (credentialId: string): SealContext => ({ kind: KIND.serviceCredential, key: credentialId, field: 'ServicePassword' });

export const serviceCredentialSecrets: SecretHolder = {
  kind: KIND.serviceCredential,
  sealedFields: ['ServicePassword'],
  fromPlaintext: (doc, seal) => ({ ...doc, ServicePassword: seal('ServicePassword', String(doc.ServicePassword)) }),
};

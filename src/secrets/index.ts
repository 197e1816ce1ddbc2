// Secrets at rest: everything iamd must keep but never show — access key secrets, session secrets,
// session tokens, passwords — passes through here, and nothing outside this folder knows the cipher.
// Secrets are sealed (AES-256-GCM under the master key), tokens kept as hashes, passwords as scrypt
// hashes. docs/security.md tells the whole story.

export { type Sealed, type SealContext, SealError } from './box.ts';
export { MasterKeyError, parseMasterKey, generateMasterKey, formatMasterKey, type MasterKey } from './master-key.ts';
export { keyFilePath, nextKeyFilePath, readKeyFile, writeNextKeyFile, replaceKeyFile, KEY_FILE_NAME } from './key-file.ts';
export { Secrets, openSecrets, rotateSecrets, MASTER_KEY_KIND, type SecretHolder, type OpenSecretsOptions } from './at-rest.ts';
export { tokenDigest, SessionTokenCheck } from './token.ts';
export { hashPassword, verifyPassword } from './password.ts';

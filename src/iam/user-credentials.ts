// What a user's certificate, SSH key and service-specific credentials hang on: the refs they are
// listed under, the DeleteUser refusals while any remain, and their move when the user is renamed.
// Here, below the operations, so that users.ts can ask without importing the operations that
// themselves resolve the calling user through it.

import type { Tx } from '../store/types.ts';
import { mustDeleteSigningCertificates, mustDeleteSshPublicKeys, mustRemoveReferencedObjects } from './credential-errors.ts';
import { GLOBAL, KIND, nameKey } from './model.ts';

/** The ref a user's (or, with no name, the root's) signing certificates are listed under. */
export const signingCertificateOwnerRef = (userName: string | undefined): string => (userName === undefined ? 'root' : `user/${nameKey(userName)}`);

/** The ref a user's SSH public keys are listed under (the root has none). */
export const sshKeyOwnerRef = (userName: string): string => nameKey(userName);

/** The ref a user's service-specific credentials (GLOBAL, like access keys) are listed under. */
export const serviceCredentialOwnerRef = (account: string, userName: string): string => `${account}/user/${nameKey(userName)}`;

/** DeleteUser's refusals for the credentials kept here, in the order AWS's documentation lists them. */
export async function refuseWhileUserHasCredentials(tx: Tx, account: string, userName: string): Promise<void> {
  if ((await tx.count(account, KIND.signingCertificate, { ref: signingCertificateOwnerRef(userName) })) > 0) throw mustDeleteSigningCertificates();
  if ((await tx.count(account, KIND.sshPublicKey, { ref: sshKeyOwnerRef(userName) })) > 0) throw mustDeleteSshPublicKeys();
  if ((await tx.count(GLOBAL, KIND.serviceCredential, { ref: serviceCredentialOwnerRef(account, userName) })) > 0) throw mustRemoveReferencedObjects();
}

/** Moves the credentials of user `oldName` to `newName` (UpdateUser), in the caller's transaction. */
export async function moveUserCredentials(tx: Tx, account: string, oldName: string, newName: string): Promise<void> {
  for (const e of await tx.listByRef<{ userName?: string }>(account, KIND.signingCertificate, signingCertificateOwnerRef(oldName))) {
    await tx.update(account, KIND.signingCertificate, e.key, { ...e.doc, userName: newName }, signingCertificateOwnerRef(newName));
  }
  for (const e of await tx.listByRef<{ UserName: string }>(account, KIND.sshPublicKey, sshKeyOwnerRef(oldName))) {
    await tx.update(account, KIND.sshPublicKey, e.key, { ...e.doc, UserName: newName }, sshKeyOwnerRef(newName));
  }
  for (const e of await tx.listByRef<{ UserName: string }>(GLOBAL, KIND.serviceCredential, serviceCredentialOwnerRef(account, oldName))) {
    await tx.update(GLOBAL, KIND.serviceCredential, e.key, { ...e.doc, UserName: newName }, serviceCredentialOwnerRef(account, newName));
  }
}

// SSH public keys: UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys, UpdateSSHPublicKey,
// DeleteSSHPublicKey — the keys a user authenticates to CodeCommit with. Public material, parsed on
// upload (src/iam/ssh-keys.ts) so that malformed, weak and duplicate keys are refused and both
// encodings can be answered.

import type { CallContext } from '../../common/call.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { cannotSetExpired, duplicateSshPublicKey, noSuchSshPublicKey } from '../credential-errors.ts';
import type { IamDeps } from '../deps.ts';
import { quotaExceeded } from '../errors.ts';
import { KIND, newRandomId, type AccessKeyStatus } from '../model.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { parseSshPublicKey } from '../ssh-keys.ts';
import { sshKeyOwnerRef } from '../user-credentials.ts';
import { credentialOwner, credentialOwnerCheck } from './credential-owner.ts';
import { defineOp, nowIso } from './define.ts';

export interface SshPublicKeyDoc {
  SSHPublicKeyId: string;
  UserName: string;
  /** As uploaded. */
  SSHPublicKeyBody: string;
  /** The OpenSSH form, and the SubjectPublicKeyInfo PEM, for GetSSHPublicKey. */
  ssh: string;
  pem: string;
  uploadedAs: 'SSH' | 'PEM';
  Fingerprint: string;
  blob: string;
  Status: AccessKeyStatus;
  UploadDate: string;
}

const metadataOut = (doc: SshPublicKeyDoc) => ({ UserName: doc.UserName, SSHPublicKeyId: doc.SSHPublicKeyId, Status: doc.Status, UploadDate: new Date(doc.UploadDate) });

const keyOut = (doc: SshPublicKeyDoc, body: string) => ({ ...metadataOut(doc), Fingerprint: doc.Fingerprint, SSHPublicKeyBody: body });

async function requireOwnKey(tx: Tx, ctx: CallContext, owner: string | undefined, id: string): Promise<Entity<SshPublicKeyDoc>> {
  const e = await tx.get<SshPublicKeyDoc>(ctx.account, KIND.sshPublicKey, id);
  if (!e || owner === undefined || e.ref !== sshKeyOwnerRef(owner)) throw noSuchSshPublicKey(id);
  return e;
}

export function sshPublicKeyOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const upload = defineOp<{ UserName: string; SSHPublicKeyBody: string }>('UploadSSHPublicKey', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'UploadSSHPublicKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = (await credentialOwner(tx, ctx, input.UserName))!;
      const key = parseSshPublicKey(input.SSHPublicKeyBody);
      const ref = sshKeyOwnerRef(owner);
      const held = await tx.listByRef<SshPublicKeyDoc>(ctx.account, KIND.sshPublicKey, ref);
      if (held.some((e) => e.doc.blob === key.blob)) throw duplicateSshPublicKey();
      if (held.length >= quotas.sshPublicKeysPerUser) throw quotaExceeded('SSHPublicKeysPerUser', quotas.sshPublicKeysPerUser);
      const doc: SshPublicKeyDoc = {
        SSHPublicKeyId: newRandomId('APKA', 17),
        UserName: owner,
        SSHPublicKeyBody: input.SSHPublicKeyBody,
        ssh: key.ssh,
        pem: key.pem,
        uploadedAs: input.SSHPublicKeyBody.trim().startsWith('-----BEGIN') ? 'PEM' : 'SSH',
        Fingerprint: key.fingerprint,
        blob: key.blob,
        Status: 'Active',
        UploadDate: nowIso(ctx),
      };
      await tx.insert(ctx.account, KIND.sshPublicKey, doc.SSHPublicKeyId, doc, ref);
      await tx.bumpGeneration(ctx.account);
      return { SSHPublicKey: keyOut(doc, doc.SSHPublicKeyBody) };
    },
  });

  const get = defineOp<{ UserName: string; SSHPublicKeyId: string; Encoding: 'SSH' | 'PEM' }>('GetSSHPublicKey', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'GetSSHPublicKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const { doc } = await requireOwnKey(tx, ctx, owner, input.SSHPublicKeyId);
      // The body as uploaded when it is already in the asked encoding; else the key re-encoded.
      const body = input.Encoding === doc.uploadedAs ? doc.SSHPublicKeyBody : input.Encoding === 'PEM' ? doc.pem : doc.ssh;
      return { SSHPublicKey: keyOut(doc, body) };
    },
  });

  const list = defineOp<{ UserName?: string } & PageInput>('ListSSHPublicKeys', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'ListSSHPublicKeys', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      // The root has no SSH keys of its own.
      const keys = owner === undefined ? [] : await tx.listByRef<SshPublicKeyDoc>(ctx.account, KIND.sshPublicKey, sshKeyOwnerRef(owner));
      const page = paginate(keys, (e) => e.key, input);
      return { SSHPublicKeys: page.items.map((e) => metadataOut(e.doc)), ...pageMembers(page) };
    },
  });

  const update = defineOp<{ UserName: string; SSHPublicKeyId: string; Status: AccessKeyStatus | 'Expired' }>('UpdateSSHPublicKey', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'UpdateSSHPublicKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnKey(tx, ctx, owner, input.SSHPublicKeyId);
      if (input.Status === 'Expired') throw cannotSetExpired();
      if (e.doc.Status !== input.Status) {
        await tx.update(ctx.account, KIND.sshPublicKey, e.key, { ...e.doc, Status: input.Status }, e.ref);
        await tx.bumpGeneration(ctx.account);
      }
      return {};
    },
  });

  const del = defineOp<{ UserName: string; SSHPublicKeyId: string }>('DeleteSSHPublicKey', {
    authorize: async (input, ctx, tx) => [await credentialOwnerCheck(tx, ctx, 'DeleteSSHPublicKey', input.UserName)],
    async handle(input, ctx, tx) {
      const owner = await credentialOwner(tx, ctx, input.UserName);
      const e = await requireOwnKey(tx, ctx, owner, input.SSHPublicKeyId);
      await tx.delete(ctx.account, KIND.sshPublicKey, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [upload, get, list, update, del];
}

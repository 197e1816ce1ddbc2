// Renaming a user or group (UpdateUser / UpdateGroup). Keys are built from names, so a rename moves
// the entity and everything keyed by its name: inline policies, attachments, the boundary use,
// memberships and (for users) the access keys' owner reference. All in the caller's transaction.

import type { Tx } from '../store/types.ts';
import {
  accessKeyOwnerRef,
  GLOBAL,
  KIND,
  membershipKey,
  nameKey,
  ownerKey,
  type AccessKeyDoc,
  type AttachmentDoc,
  type BoundaryUseDoc,
  type InlinePolicyDoc,
  type MembershipDoc,
} from './model.ts';

async function moveByPrefix<T extends { ownerName: string }>(tx: Tx, account: string, kind: string, from: string, to: string, newName: string): Promise<void> {
  for (const e of await tx.list<T>(account, kind, { keyPrefix: from })) {
    await tx.delete(account, kind, e.key);
    await tx.insert(account, kind, to + e.key.slice(from.length), { ...e.doc, ownerName: newName }, e.ref);
  }
}

/** Moves what hangs off a user or group named `oldName` to `newName` (the entity itself is the caller's job). */
export async function moveOwnedEntities(tx: Tx, account: string, kind: 'user' | 'group', oldName: string, newName: string): Promise<void> {
  const from = `${ownerKey(kind, oldName)}/`;
  const to = `${ownerKey(kind, newName)}/`;
  await moveByPrefix<InlinePolicyDoc>(tx, account, KIND.inlinePolicy, from, to, newName);
  await moveByPrefix<AttachmentDoc>(tx, account, KIND.attachment, from, to, newName);

  if (kind === 'group') {
    for (const m of await tx.list<MembershipDoc>(account, KIND.membership, { keyPrefix: `${nameKey(oldName)}/` })) {
      await tx.delete(account, KIND.membership, m.key);
      await tx.insert(account, KIND.membership, membershipKey(newName, m.doc.UserName), { ...m.doc, GroupName: newName }, m.ref);
    }
    return;
  }

  const boundary = await tx.get<BoundaryUseDoc>(account, KIND.boundaryUse, ownerKey('user', oldName));
  if (boundary) {
    await tx.delete(account, KIND.boundaryUse, boundary.key);
    await tx.insert(account, KIND.boundaryUse, ownerKey('user', newName), { ...boundary.doc, ownerName: newName }, boundary.ref);
  }
  for (const m of await tx.listByRef<MembershipDoc>(account, KIND.membership, nameKey(oldName))) {
    await tx.delete(account, KIND.membership, m.key);
    await tx.insert(account, KIND.membership, membershipKey(m.doc.GroupName, newName), { ...m.doc, UserName: newName }, nameKey(newName));
  }
  for (const k of await tx.listByRef<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyOwnerRef(account, oldName))) {
    await tx.update(GLOBAL, KIND.accessKey, k.key, { ...k.doc, userName: newName }, accessKeyOwnerRef(account, newName));
  }
}

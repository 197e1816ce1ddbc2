// The usage records iamd already keeps, for unused-access analyzers: each role's RoleLastUsed (noted
// when one of its sessions makes a call), each active access key's last use, each console password's
// PasswordLastUsed — with the creation dates that count for never-used ones. Service-linked roles are
// left out: their service uses them, not the account. The last-accessed data being built per service
// and action can take this function's place (unused-access.ts: UsageSource).

import { GLOBAL, type Tx } from '../../store/types.ts';
import { accessKeyOwnerRef, KIND, type AccessKeyDoc, type RoleDoc, type UserDoc } from '../../iam/model.ts';
import type { UsageRecord, UsageSource } from './unused-access.ts';

/** The part of a login profile this reads (src/iam/ops/login-profiles.ts keeps the rest). */
interface LoginProfileDates {
  CreateDate: string;
}

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

export const iamUsage: UsageSource = async (account: string, tx: Tx): Promise<UsageRecord[]> => {
  const records: UsageRecord[] = [];
  for (const { doc: role } of await tx.list<RoleDoc>(account, KIND.role)) {
    if (role.serviceLinked) continue;
    records.push({ type: 'role', principalArn: role.Arn, createdAt: new Date(role.CreateDate), lastUsedAt: date(role.RoleLastUsed?.LastUsedDate) });
  }
  for (const { doc: user } of await tx.list<UserDoc>(account, KIND.user)) {
    for (const { doc: key } of await tx.listByRef<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyOwnerRef(account, user.UserName))) {
      if (key.Status !== 'Active') continue;
      records.push({ type: 'accessKey', principalArn: user.Arn, accessKeyId: key.AccessKeyId, createdAt: new Date(key.CreateDate), lastUsedAt: date(key.lastUsed?.date) });
    }
    const profile = await tx.get<LoginProfileDates>(account, KIND.loginProfile, user.UserId);
    if (profile) records.push({ type: 'password', principalArn: user.Arn, createdAt: new Date(profile.doc.CreateDate), lastUsedAt: date(user.PasswordLastUsed) });
  }
  return records;
};

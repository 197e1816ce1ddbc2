// What an unused-access analyzer reads from iamd: each role's and user's credentials with their last
// use — a role's RoleLastUsed (its last assumption) or its sessions' latest call, each active access
// key's last use, each console password's PasswordLastUsed — and, for UnusedPermission, each service
// a principal's permissions policies allow with the last use of it and of each of its allowed actions
// (Access Advisor's last-accessed data, src/iam/access-advisor/). Which services and actions a policy
// allows is decided by the one helper Access Advisor lists services with. Service-linked roles are left
// out: their service uses them, not the account.

import { GLOBAL, type Tx } from '../../store/types.ts';
import {
  accessKeyOwnerRef, actionsAllowedBy, KIND, lastAccessByPrincipal, namespacesAllowedBy, permissionsPoliciesOf,
  type AccessKeyDoc, type IamDeps, type PrincipalLastAccess, type RoleDoc, type UserDoc,
} from '../../iam/index.ts';
import type { PrincipalPolicy } from './recommendation.ts';
import type { PermissionUsage, UnusedAccessData, UsageRecord } from './unused-access.ts';

/** The part of a login profile this reads (src/iam/ops/login-profiles.ts keeps the rest). */
interface LoginProfileDates {
  CreateDate: string;
}

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

const later = (a: Date | undefined, b: Date | undefined): Date | undefined => (a === undefined ? b : b === undefined || a >= b ? a : b);

/** The principal's latest call of any service. */
function latestCall(access: PrincipalLastAccess | undefined): Date | undefined {
  let latest: Date | undefined;
  for (const service of access?.services.values() ?? []) latest = later(latest, service.lastUsed);
  return latest;
}

/** One record per service the principal's policies allow, with the last use of it and of each allowed action. */
async function permissionUsage(tx: Tx, deps: IamDeps, account: string, arn: string, createdAt: Date, access: PrincipalLastAccess | undefined): Promise<PermissionUsage[]> {
  const documents = (await permissionsPoliciesOf(tx, deps, account, arn)).map((p) => p.document);
  const namespaces = new Set<string>();
  for (const document of documents) for (const ns of await namespacesAllowedBy(document)) namespaces.add(ns);
  const out: PermissionUsage[] = [];
  for (const serviceNamespace of [...namespaces].sort()) {
    const used = access?.services.get(serviceNamespace);
    // Recorded actions are operation names; the reference's spelling may differ in case.
    const byName = new Map([...(used?.actions ?? [])].map(([name, use]) => [name.toLowerCase(), use.lastUsed]));
    const actions = (await actionsAllowedBy(documents, serviceNamespace)).map((action) => {
      const lastUsedAt = byName.get(action.toLowerCase());
      return lastUsedAt ? { action, lastUsedAt } : { action };
    });
    out.push({ type: 'permission', principalArn: arn, createdAt, serviceNamespace, ...(used ? { lastUsedAt: used.lastUsed } : {}), actions });
  }
  return out;
}

export function iamUnusedAccessData(deps: IamDeps): UnusedAccessData {
  return {
    async usage(account: string, tx: Tx): Promise<UsageRecord[]> {
      const access = await lastAccessByPrincipal(tx, account);
      const records: UsageRecord[] = [];
      for (const { doc: role } of await tx.list<RoleDoc>(account, KIND.role)) {
        if (role.serviceLinked) continue;
        const createdAt = new Date(role.CreateDate);
        const used = access.get(role.RoleId);
        const lastUsedAt = later(date(role.RoleLastUsed?.LastUsedDate), latestCall(used));
        records.push({ type: 'role', principalArn: role.Arn, createdAt, ...(lastUsedAt ? { lastUsedAt } : {}) });
        records.push(...(await permissionUsage(tx, deps, account, role.Arn, createdAt, used)));
      }
      for (const { doc: user } of await tx.list<UserDoc>(account, KIND.user)) {
        for (const { doc: key } of await tx.listByRef<AccessKeyDoc>(GLOBAL, KIND.accessKey, accessKeyOwnerRef(account, user.UserName))) {
          if (key.Status !== 'Active') continue;
          records.push({ type: 'accessKey', principalArn: user.Arn, accessKeyId: key.AccessKeyId, createdAt: new Date(key.CreateDate), lastUsedAt: date(key.lastUsed?.date) });
        }
        const profile = await tx.get<LoginProfileDates>(account, KIND.loginProfile, user.UserId);
        if (profile) records.push({ type: 'password', principalArn: user.Arn, createdAt: new Date(profile.doc.CreateDate), lastUsedAt: date(user.PasswordLastUsed) });
        records.push(...(await permissionUsage(tx, deps, account, user.Arn, new Date(user.CreateDate), access.get(user.UserId))));
      }
      return records;
    },
    async policiesGranting(account: string, tx: Tx, principalArn: string, namespace: string): Promise<PrincipalPolicy[]> {
      const out: PrincipalPolicy[] = [];
      for (const p of await permissionsPoliciesOf(tx, deps, account, principalArn)) {
        if (!(await namespacesAllowedBy(p.document)).includes(namespace)) continue;
        out.push({ id: p.PolicyArn ?? p.PolicyName, document: p.document, ...(p.updatedAt ? { updatedAt: p.updatedAt } : {}) });
      }
      return out;
    },
  };
}

// The account at a glance: GetAccountSummary's counts against their quotas, and how many of the roles
// are service-linked (IAM's summary does not tell them apart: a ListRoles under /aws-service-role/).

import type { VNode } from 'preact';
import { accountSummary, listAll, listRoles } from '../aws/iam.ts';
import { useAsync } from '../ui/async.ts';
import { Show } from '../ui/components.tsx';
import { href } from '../ui/router.ts';

const CARDS: [string, string, string | undefined, string][] = [
  ['Users', 'Users', 'UsersQuota', 'users'],
  ['User groups', 'Groups', 'GroupsQuota', 'groups'],
  ['Roles', 'Roles', 'RolesQuota', 'roles'],
  ['Customer managed policies', 'Policies', 'PoliciesQuota', 'policies'],
  ['Identity providers', 'Providers', undefined, ''],
  ['Instance profiles', 'InstanceProfiles', 'InstanceProfilesQuota', ''],
];

export function Dashboard(): VNode {
  const [summary] = useAsync(accountSummary, []);
  const [slrs] = useAsync(() => listAll((Marker) => listRoles({ PathPrefix: '/aws-service-role/', Marker, MaxItems: 1000 })), []);
  return (
    <section>
      <h1>Dashboard</h1>
      <Show value={summary}>
        {(s) => (
          <>
            <div class="cards">
              {CARDS.map(([title, key, quota, page]) => (
                <div class="card" data-card={key}>
                  <div class="card-title">{page ? <a href={href(page)}>{title}</a> : title}</div>
                  <div class="card-value">{s[key] ?? '—'}</div>
                  {quota && <div class="card-quota">quota {s[quota]}</div>}
                </div>
              ))}
              <div class="card" data-card="ServiceLinkedRoles">
                <div class="card-title">
                  <a href={href('roles')}>Service-linked roles</a>
                </div>
                <div class="card-value">{slrs.state === 'done' ? slrs.value.length : slrs.state === 'error' ? '?' : '…'}</div>
                <div class="card-quota">not counted in the roles quota</div>
              </div>
            </div>
            <h2>Quotas</h2>
            <table class="grid compact">
              <thead>
                <tr>
                  <th>Quota</th>
                  <th>Value</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s)
                  .filter(([k]) => k.endsWith('Quota'))
                  .map(([k, v]) => (
                    <tr>
                      <td>{k}</td>
                      <td>{v}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </>
        )}
      </Show>
      {slrs.state === 'error' && <Show value={slrs}>{() => null}</Show>}
    </section>
  );
}

// User groups: the list, and a group's members and policies.

import type { VNode } from 'preact';
import { query } from '../aws/client.ts';
import { listAll, listGroups, pagedField, type AttachedPolicy, type Group, type User } from '../aws/iam.ts';
import { list } from '../aws/xml.ts';
import { useAsync } from '../ui/async.ts';
import { Pager, Show, when } from '../ui/components.tsx';
import { usePaging } from '../ui/paging.ts';
import { href } from '../ui/router.ts';

export function Groups(): VNode {
  const paging = usePaging();
  const [groups] = useAsync(() => listGroups(paging.marker), [paging.marker]);
  return (
    <section>
      <h1>User groups</h1>
      <Show value={groups}>
        {(p) => (
          <>
            <table class="grid" aria-label="Groups">
              <thead>
                <tr>
                  <th>Group name</th>
                  <th>Path</th>
                  <th>Created</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((g) => (
                  <tr>
                    <td>
                      <a href={href('groups', g.GroupName)}>{g.GroupName}</a>
                    </td>
                    <td class="mono">{g.Path}</td>
                    <td>{when(g.CreateDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.items.length === 0 && <p class="empty">No groups.</p>}
            <Pager paging={paging} next={p.marker} />
          </>
        )}
      </Show>
    </section>
  );
}

export function GroupPage({ name }: { name: string }): VNode {
  const [group] = useAsync(async () => {
    const r = await query<{ Group: Group; Users?: User[] | string }>('iam', 'GetGroup', { GroupName: name });
    const attached = await listAll((Marker) => query('iam', 'ListAttachedGroupPolicies', { GroupName: name, Marker }).then(pagedField<AttachedPolicy>('AttachedPolicies')));
    const inline = await listAll((Marker) => query('iam', 'ListGroupPolicies', { GroupName: name, Marker }).then(pagedField<string>('PolicyNames')));
    return { group: r.Group, users: list(r.Users), attached, inline };
  }, [name]);
  return (
    <section>
      <p class="crumbs">
        <a href={href('groups')}>User groups</a> › {name}
      </p>
      <Show value={group}>
        {({ group: g, users, attached, inline }) => (
          <>
            <h1>{g.GroupName}</h1>
            <dl class="summary">
              <dt>ARN</dt>
              <dd class="mono">{g.Arn}</dd>
              <dt>Created</dt>
              <dd>{when(g.CreateDate)}</dd>
            </dl>
            <h2>Members</h2>
            {users.length === 0 && <p class="empty">None.</p>}
            <ul>
              {users.map((u) => (
                <li>
                  <a href={href('users', u.UserName)}>{u.UserName}</a>
                </li>
              ))}
            </ul>
            <h2>Attached policies</h2>
            {attached.length === 0 && <p class="empty">None.</p>}
            <ul>
              {attached.map((p) => (
                <li>
                  <a href={href('policies', p.PolicyArn)}>{p.PolicyName}</a>
                </li>
              ))}
            </ul>
            <h2>Inline policies</h2>
            {inline.length === 0 && <p class="empty">None.</p>}
            <ul>
              {inline.map((n) => (
                <li>{n}</li>
              ))}
            </ul>
          </>
        )}
      </Show>
    </section>
  );
}

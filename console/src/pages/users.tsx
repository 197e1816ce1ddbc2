// Users: the list, and a user's page — policies (attached, inline, through groups), access keys
// (a new key's secret shown once, with a CSV download as AWS's console offers), tags.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import { decodeDocument, listAll, listUsers, pagedField, type AccessKeyMetadata, type AttachedPolicy, type Group, type Tag, type User } from '../aws/iam.ts';
import { useAsync } from '../ui/async.ts';
import { Badge, download, ErrorBox, JsonView, Pager, Show, Tabs, when } from '../ui/components.tsx';
import { usePaging } from '../ui/paging.ts';
import { TagTable } from '../ui/tags.tsx';
import { href } from '../ui/router.ts';

export function Users(): VNode {
  const paging = usePaging();
  const [users] = useAsync(() => listUsers(paging.marker), [paging.marker]);
  return (
    <section>
      <h1>Users</h1>
      <Show value={users}>
        {(p) => (
          <>
            <table class="grid" aria-label="Users">
              <thead>
                <tr>
                  <th>User name</th>
                  <th>Path</th>
                  <th>Created</th>
                  <th>Password last used</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((u) => (
                  <tr>
                    <td>
                      <a href={href('users', u.UserName)}>{u.UserName}</a>
                    </td>
                    <td class="mono">{u.Path}</td>
                    <td>{when(u.CreateDate)}</td>
                    <td>{when(u.PasswordLastUsed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.items.length === 0 && <p class="empty">No users.</p>}
            <Pager paging={paging} next={p.marker} />
          </>
        )}
      </Show>
    </section>
  );
}

const TABS: [string, string][] = [
  ['permissions', 'Permissions'],
  ['groups', 'Groups'],
  ['keys', 'Security credentials'],
  ['tags', 'Tags'],
];

export function UserPage({ name, tab }: { name: string; tab: string }): VNode {
  const [user] = useAsync(() => query<{ User: User }>('iam', 'GetUser', { UserName: name }).then((r) => r.User), [name]);
  return (
    <section>
      <p class="crumbs">
        <a href={href('users')}>Users</a> › {name}
      </p>
      <Show value={user}>
        {(u) => (
          <>
            <h1>{u.UserName}</h1>
            <dl class="summary">
              <dt>ARN</dt>
              <dd class="mono">{u.Arn}</dd>
              <dt>Created</dt>
              <dd>{when(u.CreateDate)}</dd>
            </dl>
            <Tabs base={['users', name]} current={tab} tabs={TABS} />
            <div class="tab-panel">
              {tab === 'permissions' && <UserPolicies name={name} />}
              {tab === 'groups' && <UserGroups name={name} />}
              {tab === 'keys' && <AccessKeys name={name} />}
              {tab === 'tags' && <TagTable key={name} load={() => listAll((Marker) => query('iam', 'ListUserTags', { UserName: name, Marker }).then(pagedField<Tag>('Tags')))} />}
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function UserPolicies({ name }: { name: string }): VNode {
  const [policies] = useAsync(async () => {
    const attached = await listAll((Marker) => query('iam', 'ListAttachedUserPolicies', { UserName: name, Marker }).then(pagedField<AttachedPolicy>('AttachedPolicies')));
    const inlineNames = await listAll((Marker) => query('iam', 'ListUserPolicies', { UserName: name, Marker }).then(pagedField<string>('PolicyNames')));
    const inline = await Promise.all(
      inlineNames.map(async (PolicyName) => ({
        name: PolicyName,
        document: decodeDocument((await query<{ PolicyDocument: string }>('iam', 'GetUserPolicy', { UserName: name, PolicyName })).PolicyDocument),
      })),
    );
    return { attached, inline };
  }, [name]);
  return (
    <Show value={policies}>
      {({ attached, inline }) => (
        <>
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
          {inline.map((p) => (
            <details open class="policy">
              <summary>{p.name}</summary>
              <JsonView text={p.document} />
            </details>
          ))}
        </>
      )}
    </Show>
  );
}

function UserGroups({ name }: { name: string }): VNode {
  const [groups] = useAsync(() => listAll((Marker) => query('iam', 'ListGroupsForUser', { UserName: name, Marker }).then(pagedField<Group>('Groups'))), [name]);
  return (
    <Show value={groups}>
      {(gs) => (
        <ul>
          {gs.length === 0 && <p class="empty">In no group.</p>}
          {gs.map((g) => (
            <li>
              <a href={href('groups', g.GroupName)}>{g.GroupName}</a>
            </li>
          ))}
        </ul>
      )}
    </Show>
  );
}

function AccessKeys({ name }: { name: string }): VNode {
  const [keys, reload] = useAsync(() => listAll((Marker) => query('iam', 'ListAccessKeys', { UserName: name, Marker }).then(pagedField<AccessKeyMetadata>('AccessKeyMetadata'))), [name]);
  const [created, setCreated] = useState<{ AccessKeyId: string; SecretAccessKey: string }>();
  const [error, setError] = useState<unknown>();
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const create = () =>
    act(async () => {
      const r = await query<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>('iam', 'CreateAccessKey', { UserName: name });
      setCreated(r.AccessKey);
    });
  return (
    <div>
      {created && (
        <div class="secret" role="alert">
          <p>
            This is the only time the secret access key can be seen or downloaded. <strong>Save it now.</strong>
          </p>
          <dl class="summary">
            <dt>Access key ID</dt>
            <dd class="mono">{created.AccessKeyId}</dd>
            <dt>Secret access key</dt>
            <dd class="mono" data-field="secret">
              {created.SecretAccessKey}
            </dd>
          </dl>
          <button type="button" onClick={() => download(`${name}_accessKeys.csv`, `Access key ID,Secret access key\n${created.AccessKeyId},${created.SecretAccessKey}\n`)}>
            Download .csv file
          </button>{' '}
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      <Show value={keys}>
        {(ks) => (
          <table class="grid compact" aria-label="Access keys">
            <thead>
              <tr>
                <th>Access key ID</th>
                <th>Status</th>
                <th>Created</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {ks.map((k) => (
                <tr>
                  <td class="mono">{k.AccessKeyId}</td>
                  <td>
                    <Badge kind={k.Status === 'Active' ? 'ok' : 'warn'}>{k.Status}</Badge>
                  </td>
                  <td>{when(k.CreateDate)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => act(() => query('iam', 'UpdateAccessKey', { UserName: name, AccessKeyId: k.AccessKeyId, Status: k.Status === 'Active' ? 'Inactive' : 'Active' }))}
                    >
                      {k.Status === 'Active' ? 'Deactivate' : 'Activate'}
                    </button>{' '}
                    <button type="button" class="danger" onClick={() => act(() => query('iam', 'DeleteAccessKey', { UserName: name, AccessKeyId: k.AccessKeyId }))}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      <button type="button" class="primary" onClick={create}>
        Create access key
      </button>
      {error !== undefined && <ErrorBox error={error} />}
    </div>
  );
}



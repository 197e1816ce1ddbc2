// One role: its summary (the description editable — the only thing IAM lets change on a
// service-linked role), and tabs for permissions, trust, last accessed (Access Advisor), revoking
// sessions, and tags.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import {
  attachedRolePolicies,
  decodeDocument,
  getRole,
  isServiceLinked,
  policyDocument,
  roleInlinePolicies,
  roleTags,
  updateRoleDescription,
  type Role,
} from '../aws/iam.ts';
import { list } from '../aws/xml.ts';
import { useAsync } from '../ui/async.ts';
import { ago, Badge, ErrorBox, JsonView, Show, Tabs, when } from '../ui/components.tsx';
import { TagTable } from '../ui/tags.tsx';
import { href } from '../ui/router.ts';

const TABS: [string, string][] = [
  ['permissions', 'Permissions'],
  ['trust', 'Trust relationships'],
  ['last-accessed', 'Last accessed'],
  ['sessions', 'Revoke sessions'],
  ['tags', 'Tags'],
];

export function RolePage({ name, tab }: { name: string; tab: string }): VNode {
  const [role, reload] = useAsync(() => getRole(name), [name]);
  return (
    <section>
      <p class="crumbs">
        <a href={href('roles')}>Roles</a> › {name}
      </p>
      <Show value={role}>
        {(r) => (
          <>
            <h1>
              {r.RoleName} {isServiceLinked(r) && <Badge>Service-linked role</Badge>}
            </h1>
            <Summary role={r} onSaved={reload} />
            <Tabs base={['roles', name]} current={tab} tabs={TABS} />
            <div class="tab-panel">
              {tab === 'permissions' && <Permissions role={r} />}
              {tab === 'trust' && <JsonView text={decodeDocument(r.AssumeRolePolicyDocument)} label="Trust policy" />}
              {tab === 'last-accessed' && <LastAccessed arn={r.Arn} />}
              {tab === 'sessions' && <RevokeSessions role={r} />}
              {tab === 'tags' && <Tags role={r} />}
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function Summary({ role, onSaved }: { role: Role; onSaved: () => void }): VNode {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>();
  const lastUsed = typeof role.RoleLastUsed === 'object' ? role.RoleLastUsed : undefined;
  const save = async (e: Event) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget as HTMLFormElement).get('description') ?? '');
    try {
      await updateRoleDescription(role.RoleName, text);
      setEditing(false);
      setError(undefined);
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <dl class="summary">
      <dt>ARN</dt>
      <dd class="mono" data-field="arn">
        {role.Arn}
      </dd>
      <dt>Description</dt>
      <dd data-field="description">
        {editing ? (
          <form onSubmit={save} class="inline-form">
            <textarea name="description" aria-label="Description" maxLength={1000} rows={2} autoFocus onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
              {role.Description ?? ''}
            </textarea>
            <button type="submit" class="primary">
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <span class="description-text">{role.Description || '—'}</span>{' '}
            <button type="button" class="link" onClick={() => setEditing(true)}>
              Edit
            </button>
          </>
        )}
        {error !== undefined && <ErrorBox error={error} />}
      </dd>
      <dt>Path</dt>
      <dd class="mono">{role.Path}</dd>
      <dt>Creation date</dt>
      <dd>{when(role.CreateDate)}</dd>
      <dt>Maximum session duration</dt>
      <dd>{role.MaxSessionDuration ? `${Number(role.MaxSessionDuration) / 3600} hour(s)` : '—'}</dd>
      <dt>Last activity</dt>
      <dd data-field="last-activity">
        {ago(lastUsed?.LastUsedDate)}
        {lastUsed?.Region ? ` in ${lastUsed.Region}` : ''}
      </dd>
    </dl>
  );
}

function Permissions({ role }: { role: Role }): VNode {
  const [policies] = useAsync(async () => {
    const attached = await attachedRolePolicies(role.RoleName);
    const managed = await Promise.all(attached.map(async (p) => ({ name: p.PolicyName, arn: p.PolicyArn, document: await policyDocument(p.PolicyArn) })));
    const inline = await roleInlinePolicies(role.RoleName);
    return [...managed, ...inline.map((p) => ({ ...p, arn: undefined }))];
  }, [role.RoleName]);
  return (
    <Show value={policies}>
      {(ps) => (
        <>
          {isServiceLinked(role) && <p class="hint">The service that owns this role defines its permissions; IAM does not let them be changed.</p>}
          {ps.length === 0 && <p class="empty">No policies.</p>}
          {ps.map((p) => (
            <details open class="policy">
              <summary>
                {p.arn ? <a href={href('policies', p.arn)}>{p.name}</a> : p.name} <Badge>{p.arn ? (p.arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed') : 'Inline'}</Badge>
              </summary>
              <JsonView text={p.document} label={`Policy ${p.name}`} />
            </details>
          ))}
        </>
      )}
    </Show>
  );
}

interface ServiceLastAccessed {
  ServiceName: string;
  ServiceNamespace: string;
  LastAuthenticated?: string;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TrackedActionsLastAccessed?: { ActionName: string; LastAccessedTime?: string; LastAccessedRegion?: string; LastAccessedEntity?: string }[] | string;
}

/** Access Advisor: a report job (GenerateServiceLastAccessedDetails) read until it completes. */
async function lastAccessed(Arn: string): Promise<ServiceLastAccessed[]> {
  const { JobId } = await query<{ JobId: string }>('iam', 'GenerateServiceLastAccessedDetails', { Arn, Granularity: 'ACTION_LEVEL' });
  for (let i = 0; ; i++) {
    const r = await query<{ JobStatus: string; ServicesLastAccessed?: ServiceLastAccessed[] | string; Error?: { Message?: string; Code?: string } }>('iam', 'GetServiceLastAccessedDetails', { JobId });
    if (r.JobStatus === 'COMPLETED') return list(r.ServicesLastAccessed);
    if (r.JobStatus === 'FAILED') throw new Error(r.Error?.Message ?? 'The report failed.');
    if (i > 50) throw new Error('The report did not complete.');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function LastAccessed({ arn }: { arn: string }): VNode {
  const [report] = useAsync(() => lastAccessed(arn), [arn]);
  return (
    <Show value={report}>
      {(services) => (
        <table class="grid" aria-label="Services last accessed">
          <thead>
            <tr>
              <th>Service</th>
              <th>Last accessed</th>
              <th>Entity</th>
              <th>Region</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr data-namespace={s.ServiceNamespace}>
                <td>
                  {s.ServiceName} <span class="hint">({s.ServiceNamespace})</span>
                </td>
                <td data-field="last">{s.LastAuthenticated ? when(s.LastAuthenticated) : 'Not accessed in the tracking period'}</td>
                <td class="mono" data-field="entity">
                  {s.LastAuthenticatedEntity ?? '—'}
                </td>
                <td data-field="region">{s.LastAuthenticatedRegion ?? '—'}</td>
                <td data-field="actions">
                  {list(s.TrackedActionsLastAccessed)
                    .filter((a) => a.LastAccessedTime)
                    .map((a) => (
                      <div>
                        {a.ActionName}: {when(a.LastAccessedTime)}
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Show>
  );
}

/**
 * As AWS's console does: an inline policy denying every action to sessions issued before now. IAM
 * refuses any policy change on a service-linked role, so the button is disabled there.
 */
function RevokeSessions({ role }: { role: Role }): VNode {
  const [result, setResult] = useState<unknown>();
  if (isServiceLinked(role)) {
    return (
      <div>
        <button type="button" disabled>
          Revoke active sessions
        </button>
        <p class="hint" data-reason="slr">
          You cannot revoke sessions of a service-linked role: only its service may modify it. IAM answers a policy change on it with UnmodifiableEntity
          (“Cannot perform the operation on the protected role '{role.RoleName}' - this role is only modifiable by AWS”).
        </p>
      </div>
    );
  }
  const revoke = async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date().toISOString() } } }],
    });
    try {
      await query('iam', 'PutRolePolicy', { RoleName: role.RoleName, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: document });
      setResult('done');
    } catch (error) {
      setResult(error);
    }
  };
  return (
    <div>
      <p>Every session of this role issued before now loses all its permissions (an inline policy AWSRevokeOlderSessions denies them).</p>
      <button type="button" class="danger" onClick={revoke}>
        Revoke active sessions
      </button>
      {result === 'done' ? <p role="status">Sessions issued before now are revoked.</p> : result !== undefined && <ErrorBox error={result} />}
    </div>
  );
}

function Tags({ role }: { role: Role }): VNode {
  return (
    <TagTable
      key={role.RoleName}
      load={() => roleTags(role.RoleName)}
      empty={isServiceLinked(role) ? 'Service-linked roles have no tags.' : 'No tags.'}
    />
  );
}

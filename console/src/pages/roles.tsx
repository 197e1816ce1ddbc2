// Roles: a paged list (ListRoles by markers, 50 a page) with path, trusted entities and last activity
// (ListRoles does not carry it: GetRole per row shown, after the list is up), a badge on service-linked
// roles, a search for names or paths containing the text (in the roles read once for the tab, see
// aws/role-index.ts), and deletion of the selection.

import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import { decodeDocument, deleteServiceLinkedRole, getRole, isServiceLinked, listRoles, type Role } from '../aws/iam.ts';
import { heldRoleIndex, revalidateRoleIndex, roleIndex, rolesChanged, searchIndex } from '../aws/role-index.ts';
import { trackDeletion } from '../notifications.tsx';
import { useAsync } from '../ui/async.ts';
import { ago, Badge, ErrorBox, Pager, Show } from '../ui/components.tsx';
import { usePaging } from '../ui/paging.ts';
import { href } from '../ui/router.ts';

const PAGE_SIZE = 50;

/** Who may assume the role, as its trust policy names them. */
export function trustedEntities(role: Pick<Role, 'AssumeRolePolicyDocument'>): string[] {
  try {
    const doc = JSON.parse(decodeDocument(role.AssumeRolePolicyDocument)) as { Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    const names = new Set<string>();
    for (const s of statements as { Principal?: unknown }[]) {
      const p = s.Principal;
      if (p === '*') names.add('Anyone');
      else if (p && typeof p === 'object') {
        for (const [kind, v] of Object.entries(p)) {
          for (const name of Array.isArray(v) ? v : [v]) names.add(kind === 'Service' ? `AWS service: ${String(name).replace(/\.amazonaws\.com$/, '')}` : String(name));
        }
      }
    }
    return [...names];
  } catch {
    return [];
  }
}

/**
 * How many GetRole calls for last activity run at once: the browser opens six connections to one
 * origin, so a few are always free for the page the user opens next.
 */
const ACTIVITY_LANES = 3;

/** Last activity, read per row once the page is shown (ListRoles does not carry it); dropped on leaving. */
function useLastActivity(names: string[]): Record<string, string | undefined> {
  const [seen, setSeen] = useState<Record<string, string | undefined>>({});
  useEffect(() => {
    const abort = new AbortController();
    const queue = [...names];
    const lane = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined && !abort.signal.aborted; name = queue.shift()) {
        const read = name;
        try {
          const r = await getRole(read, abort.signal);
          setSeen((s) => ({ ...s, [read]: typeof r.RoleLastUsed === 'object' ? (r.RoleLastUsed.LastUsedDate ?? '') : '' }));
        } catch {
          if (!abort.signal.aborted) setSeen((s) => ({ ...s, [read]: undefined }));
        }
      }
    };
    for (let i = 0; i < ACTIVITY_LANES; i++) void lane();
    return () => abort.abort();
  }, [names.join('\n')]);
  return seen;
}

export function Roles(): VNode {
  const paging = usePaging();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [deleting, setDeleting] = useState(false);
  const [indexed, setIndexed] = useState(heldRoleIndex());
  /** The background reading failed: a search then reads (and shows ListRoles' error) itself. */
  const [indexFailed, setIndexFailed] = useState(false);
  const [rolesPage, reload] = useAsync(async () => {
    if (!search) return { ...(await listRoles({ Marker: paging.marker, MaxItems: PAGE_SIZE })), note: '' };
    // A search pages through its matches in the index; the marker is the offset of the page.
    const index = await roleIndex();
    const matches = searchIndex(index, search);
    const from = Number(paging.marker ?? 0);
    const to = from + PAGE_SIZE;
    return {
      items: matches.slice(from, to),
      ...(to < matches.length ? { marker: String(to) } : {}),
      note: `${matches.length} of ${index.roles.length} roles match (roles read ${new Date(index.readAt).toLocaleTimeString()})`,
    };
  }, [paging.marker, search, search ? indexed : undefined]);
  // Once the page is up: the search index is read in the background if it is not held yet, and after
  // a search it is checked, the search answered again when it was out of date.
  useEffect(() => {
    if (rolesPage.state !== 'done') return;
    let live = true;
    const update = (index: unknown) => {
      if (live && index) {
        setIndexed(heldRoleIndex());
        setIndexFailed(false);
      }
    };
    const failed = () => live && setIndexFailed(true);
    if (!search) void roleIndex().then(update, failed);
    else void revalidateRoleIndex().then(update, failed);
    return () => {
      live = false;
    };
  }, [rolesPage.state, search]);
  const names = rolesPage.state === 'done' ? rolesPage.value.items.map((r) => r.RoleName) : [];
  const activity = useLastActivity(names);
  const toggle = (name: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  return (
    <section>
      <div class="title-row">
        <h1>Roles</h1>
        <div class="actions">
          <button type="button" disabled={selected.size === 0} onClick={() => setDeleting(true)}>
            Delete{selected.size ? ` (${selected.size})` : ''}
          </button>
          <a class="button primary" href={href('create-role')}>
            Create role
          </a>
        </div>
      </div>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const text = String(new FormData(e.currentTarget).get('q') ?? '').trim();
          paging.reset();
          // The same search again is answered again (and the index checked again).
          if (text === search) reload();
          else setSearch(text);
        }}
      >
        <input name="q" type="search" placeholder="Search roles by name or path" aria-label="Search roles" defaultValue={search} />
        <button type="submit">Search</button>
        <span class="hint" data-field="index" data-took={indexed ? Math.round(indexed.tookMs) : undefined}>
          {indexFailed ? 'the roles could not be read for search' : indexed ? `${indexed.roles.length} roles ready to search` : 'reading the roles for search…'}
        </span>
      </form>
      <Show value={rolesPage}>
        {(p) => (
          <>
            {p.note && <p class="hint">{p.note}</p>}
            <table class="grid" aria-label="Roles">
              <thead>
                <tr>
                  <th>
                    <span class="sr-only">Select</span>
                  </th>
                  <th>Role name</th>
                  <th>Path</th>
                  <th>Trusted entities</th>
                  <th>Last activity</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((r) => (
                  <tr data-role={r.RoleName}>
                    <td>
                      <input type="checkbox" checked={selected.has(r.RoleName)} onChange={() => toggle(r.RoleName)} aria-label={`Select ${r.RoleName}`} />
                    </td>
                    <td>
                      <a href={href('roles', r.RoleName)}>{r.RoleName}</a> {isServiceLinked(r) && <Badge>Service-linked role</Badge>}
                    </td>
                    <td class="mono">{r.Path}</td>
                    <td>{trustedEntities(r).join(', ') || '—'}</td>
                    <td>{r.RoleName in activity ? ago(activity[r.RoleName]) : '…'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.items.length === 0 && <p class="empty">No roles.</p>}
            <Pager paging={paging} next={p.marker} />
          </>
        )}
      </Show>
      {deleting && (
        <DeleteDialog
          names={[...selected]}
          onClose={(done) => {
            setDeleting(false);
            if (done) {
              setSelected(new Set());
              reload();
            }
          }}
        />
      )}
    </section>
  );
}

/** Confirmation listing each role's last activity; service-linked roles go through their deletion task. */
function DeleteDialog({ names, onClose }: { names: string[]; onClose: (done: boolean) => void }): VNode {
  const [roles] = useAsync(() => Promise.all(names.map((n) => getRole(n))), [names.join('\n')]);
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ name: string; error: unknown }[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const failed: { name: string; error: unknown }[] = [];
    for (const role of roles.state === 'done' ? roles.value : []) {
      try {
        if (isServiceLinked(role)) trackDeletion(role.RoleName, await deleteServiceLinkedRole(role.RoleName));
        else await query('iam', 'DeleteRole', { RoleName: role.RoleName });
      } catch (error) {
        failed.push({ name: role.RoleName, error });
      }
    }
    setBusy(false);
    rolesChanged();
    setErrors(failed);
    if (failed.length === 0) onClose(true);
  };
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="delete-title">
      <form onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose(false)}>
        <h2 id="delete-title">Delete {names.length === 1 ? names[0] : `${names.length} roles`}?</h2>
        <Show value={roles}>
          {(rs) => (
            <table class="grid compact">
              <thead>
                <tr>
                  <th>Role</th>
                  <th>Last activity</th>
                </tr>
              </thead>
              <tbody>
                {rs.map((r) => (
                  <tr>
                    <td>
                      {r.RoleName} {isServiceLinked(r) && <Badge>Service-linked role</Badge>}
                    </td>
                    <td>{ago(typeof r.RoleLastUsed === 'object' ? r.RoleLastUsed.LastUsedDate : undefined)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
        <p class="hint">A service-linked role is deleted by a deletion task, which fails while a resource of its service still uses the role.</p>
        <label>
          To confirm, type <strong>delete</strong>
          <input name="confirm" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} autoFocus autoComplete="off" />
        </label>
        {errors.map(({ name, error }) => (
          <div>
            <strong>{name}</strong>
            <ErrorBox error={error} />
          </div>
        ))}
        <div class="actions">
          <button type="button" onClick={() => onClose(errors.length > 0)}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={confirm !== 'delete' || busy || roles.state !== 'done'}>
            Delete
          </button>
        </div>
      </form>
      </div>
    </div>
  );
}

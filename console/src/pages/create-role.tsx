// The create-role wizard for a service-linked role: trusted entity type → the service and its use case
// (from iamd's catalog of service-linked roles, /console/catalog.json) → the fixed permissions → the
// name (fixed, or the service's name plus a custom suffix where the service allows one) → description
// → review → CreateServiceLinkedRole.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { createServiceLinkedRole, policyDocument } from '../aws/iam.ts';
import { rolesChanged } from '../aws/role-index.ts';
import { useAsync } from '../ui/async.ts';
import { ErrorBox, JsonView, Show } from '../ui/components.tsx';
import { go, href } from '../ui/router.ts';

interface CatalogEntry {
  servicePrincipal: string;
  roleName: string;
  customSuffixAllowed: boolean;
  policyArns: string[];
  description?: string;
}

async function loadCatalog(): Promise<CatalogEntry[]> {
  const response = await fetch('/console/catalog.json', { credentials: 'omit' });
  if (!response.ok) throw new Error(`The service catalog could not be read (HTTP ${response.status}).`);
  return (await response.json()) as CatalogEntry[];
}

const STEPS = ['Trusted entity type', 'Service', 'Permissions', 'Name', 'Description', 'Review'];

export function CreateRole(): VNode {
  const [catalog] = useAsync(loadCatalog, []);
  const [step, setStep] = useState(0);
  const [entry, setEntry] = useState<CatalogEntry>();
  const [suffix, setSuffix] = useState('');
  const [description, setDescription] = useState('');
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const roleName = entry ? (suffix ? `${entry.roleName}_${suffix}` : entry.roleName) : '';
  const create = async () => {
    if (!entry) return;
    setBusy(true);
    setError(undefined);
    try {
      const role = await createServiceLinkedRole({
        AWSServiceName: entry.servicePrincipal,
        ...(description ? { Description: description } : {}),
        ...(suffix ? { CustomSuffix: suffix } : {}),
      });
      rolesChanged();
      go('roles', role.RoleName);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const next = (
    <button type="button" class="primary" onClick={() => setStep(step + 1)} disabled={step === 1 && !entry}>
      Next
    </button>
  );
  return (
    <section>
      <p class="crumbs">
        <a href={href('roles')}>Roles</a> › Create role
      </p>
      <h1>Create role</h1>
      <ol class="steps" aria-label="Steps">
        {STEPS.map((title, i) => (
          <li class={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            {title}
          </li>
        ))}
      </ol>
      <div class="wizard-panel">
        {step === 0 && (
          <fieldset>
            <legend>Trusted entity type</legend>
            <label class="choice">
              <input type="radio" name="entity" checked />
              <span>
                <strong>AWS service</strong> — a service-linked role: the service defines its permissions and who may assume it.
              </span>
            </label>
            <p class="hint">Roles for AWS accounts, web identities or SAML are created through the API (CreateRole) with a trust policy of your own.</p>
          </fieldset>
        )}
        {step === 1 && (
          <Show value={catalog}>
            {(entries) => {
              const shown = entries.filter((e) => e.servicePrincipal.includes(filter.toLowerCase()) || e.roleName.toLowerCase().includes(filter.toLowerCase()));
              return (
                <fieldset>
                  <legend>Service and use case</legend>
                  <input type="search" placeholder="Find a service" aria-label="Find a service" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} autoFocus />
                  <div class="service-list" role="radiogroup" aria-label="Services">
                    {shown.slice(0, 60).map((e) => (
                      <label class="choice">
                        <input
                          type="radio"
                          name="service"
                          value={e.servicePrincipal}
                          checked={entry?.servicePrincipal === e.servicePrincipal}
                          onChange={() => {
                            setEntry(e);
                            setSuffix('');
                            setDescription(e.description ?? '');
                          }}
                        />
                        <span>
                          <strong>{e.servicePrincipal.replace(/\.amazonaws\.com$/, '')}</strong> — {e.roleName}
                        </span>
                      </label>
                    ))}
                  </div>
                  {shown.length > 60 && <p class="hint">{shown.length - 60} more: narrow the search.</p>}
                </fieldset>
              );
            }}
          </Show>
        )}
        {step === 2 && entry && <FixedPermissions entry={entry} />}
        {step === 3 && entry && (
          <fieldset>
            <legend>Role name</legend>
            {entry.customSuffixAllowed ? (
              <label>
                {entry.roleName}_<input name="suffix" aria-label="Custom suffix" value={suffix} onInput={(e) => setSuffix(e.currentTarget.value)} maxLength={64} />
                <span class="hint">Optional custom suffix.</span>
              </label>
            ) : (
              <p>
                <strong class="mono">{entry.roleName}</strong> <span class="hint">— this service names its role; it takes no custom suffix.</span>
              </p>
            )}
          </fieldset>
        )}
        {step === 4 && (
          <label>
            Description
            <textarea name="description" rows={3} maxLength={1000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
        )}
        {step === 5 && entry && (
          <>
            <dl class="summary">
              <dt>Service</dt>
              <dd>{entry.servicePrincipal}</dd>
              <dt>Role name</dt>
              <dd class="mono">{roleName}</dd>
              <dt>Path</dt>
              <dd class="mono">/aws-service-role/{entry.servicePrincipal}/</dd>
              <dt>Permissions</dt>
              <dd>{entry.policyArns.join(', ') || 'none'}</dd>
              <dt>Description</dt>
              <dd>{description || '—'}</dd>
            </dl>
            {error !== undefined && <ErrorBox error={error} />}
          </>
        )}
      </div>
      <div class="actions">
        <button type="button" onClick={() => (step === 0 ? go('roles') : setStep(step - 1))}>
          {step === 0 ? 'Cancel' : 'Previous'}
        </button>
        {step < STEPS.length - 1 ? (
          next
        ) : (
          <button type="button" class="primary" onClick={create} disabled={busy}>
            Create role
          </button>
        )}
      </div>
    </section>
  );
}

/** The service's managed policies, read through IAM like any other policy. */
function FixedPermissions({ entry }: { entry: CatalogEntry }): VNode {
  const [docs] = useAsync(() => Promise.all(entry.policyArns.map(async (arn) => ({ arn, document: await policyDocument(arn) }))), [entry.servicePrincipal]);
  return (
    <div>
      <p class="hint">The service defines these permissions; they cannot be changed.</p>
      <Show value={docs}>
        {(ds) => (
          <>
            {ds.length === 0 && <p class="empty">This service's role has no managed policy.</p>}
            {ds.map((d) => (
              <details open class="policy">
                <summary class="mono">{d.arn}</summary>
                <JsonView text={d.document} />
              </details>
            ))}
          </>
        )}
      </Show>
    </div>
  );
}

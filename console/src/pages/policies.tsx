// Managed policies: the list (the account's own, or AWS's), and a policy's page with its versions —
// any one's document, or the difference between two.

import { diffLines } from 'diff';
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import { getPolicy, listAll, listPolicies, pagedField, policyDocument, type PolicyVersion } from '../aws/iam.ts';
import { useAsync } from '../ui/async.ts';
import { Badge, JsonView, Pager, Show, when } from '../ui/components.tsx';
import { usePaging } from '../ui/paging.ts';
import { href } from '../ui/router.ts';

export function Policies(): VNode {
  const paging = usePaging();
  const [scope, setScope] = useState<'Local' | 'AWS'>('Local');
  const [policies] = useAsync(() => listPolicies({ Marker: paging.marker, Scope: scope }), [paging.marker, scope]);
  return (
    <section>
      <h1>Policies</h1>
      <div class="tabs" role="radiogroup" aria-label="Which policies">
        {(['Local', 'AWS'] as const).map((s) => (
          <button
            type="button"
            role="radio"
            aria-checked={scope === s}
            class={scope === s ? 'tab active' : 'tab'}
            onClick={() => {
              paging.reset();
              setScope(s);
            }}
          >
            {s === 'Local' ? 'Customer managed' : 'AWS managed'}
          </button>
        ))}
      </div>
      <Show value={policies}>
        {(p) => (
          <>
            <table class="grid" aria-label="Policies">
              <thead>
                <tr>
                  <th>Policy name</th>
                  <th>Path</th>
                  <th>Attachments</th>
                  <th>Updated</th>
                </tr>
              </thead>
              <tbody>
                {p.items.map((x) => (
                  <tr>
                    <td>
                      <a href={href('policies', x.Arn)}>{x.PolicyName}</a>
                    </td>
                    <td class="mono">{x.Path}</td>
                    <td>{x.AttachmentCount}</td>
                    <td>{when(x.UpdateDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.items.length === 0 && <p class="empty">No policies.</p>}
            <Pager paging={paging} next={p.marker} />
          </>
        )}
      </Show>
    </section>
  );
}

const pretty = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** Two version ids, the older (v1 before v2 before v10) first. */
const older = (ids: string[]): string[] => [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

function VersionDiff({ arn, from, to }: { arn: string; from: string; to: string }): VNode {
  const [docs] = useAsync(() => Promise.all([policyDocument(arn, from), policyDocument(arn, to)]), [arn, from, to]);
  return (
    <Show value={docs}>
      {([a, b]) => (
        <pre class="json diff" tabIndex={0} aria-label={`Difference between ${from} and ${to}`}>
          {diffLines(pretty(a), pretty(b)).map((part) => (
            <span class={part.added ? 'd-add' : part.removed ? 'd-del' : ''}>
              {part.value
                .replace(/\n$/, '')
                .split('\n')
                .map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}\n`)
                .join('')}
            </span>
          ))}
        </pre>
      )}
    </Show>
  );
}

export function PolicyPage({ arn }: { arn: string }): VNode {
  const [data] = useAsync(async () => {
    const policy = await getPolicy(arn);
    const versions = await listAll((Marker) => query('iam', 'ListPolicyVersions', { PolicyArn: arn, Marker }).then(pagedField<PolicyVersion>('Versions')));
    return { policy, versions };
  }, [arn]);
  const [shown, setShown] = useState<string>();
  const [compare, setCompare] = useState<string[]>([]);
  return (
    <section>
      <p class="crumbs">
        <a href={href('policies')}>Policies</a> › {arn}
      </p>
      <Show value={data}>
        {({ policy, versions }) => {
          const version = shown ?? policy.DefaultVersionId;
          return (
            <>
              <h1>{policy.PolicyName}</h1>
              <dl class="summary">
                <dt>ARN</dt>
                <dd class="mono">{policy.Arn}</dd>
                <dt>Description</dt>
                <dd>{policy.Description || '—'}</dd>
                <dt>Attachments</dt>
                <dd>{policy.AttachmentCount}</dd>
              </dl>
              <h2>Versions</h2>
              <table class="grid compact" aria-label="Versions">
                <thead>
                  <tr>
                    <th>Compare</th>
                    <th>Version</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Compare ${v.VersionId}`}
                          checked={compare.includes(v.VersionId)}
                          onChange={() => setCompare((c) => (c.includes(v.VersionId) ? c.filter((x) => x !== v.VersionId) : [...c, v.VersionId].slice(-2)))}
                        />
                      </td>
                      <td>
                        <button type="button" class="link" onClick={() => setShown(v.VersionId)} aria-pressed={v.VersionId === version}>
                          {v.VersionId}
                        </button>{' '}
                        {v.IsDefaultVersion === 'true' && <Badge kind="ok">default</Badge>}
                      </td>
                      <td>{when(v.CreateDate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {compare.length === 2 ? (
                <>
                  <h2>
                    {older(compare)[0]} → {older(compare)[1]}
                  </h2>
                  <VersionDiff arn={arn} from={older(compare)[0]} to={older(compare)[1]} />
                </>
              ) : (
                <>
                  <h2>Version {version}</h2>
                  <PolicyText arn={arn} version={version} />
                </>
              )}
            </>
          );
        }}
      </Show>
    </section>
  );
}

function PolicyText({ arn, version }: { arn: string; version: string }): VNode {
  const [doc] = useAsync(() => policyDocument(arn, version), [arn, version]);
  return <Show value={doc}>{(text) => <JsonView text={text} label={`Version ${version}`} />}</Show>;
}

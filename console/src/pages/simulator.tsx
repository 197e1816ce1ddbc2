// The policy simulator: IAM's SimulatePrincipalPolicy (a user, group or role's own policies, plus any
// pasted) or SimulateCustomPolicy (pasted policies only), for actions × resources with context
// entries. Each decision lists its matched statements; a statement of a pasted policy is highlighted
// in that policy's text from the answer's StartPosition/EndPosition (1-based line and column).

import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import { list } from '../aws/xml.ts';
import { Badge, ErrorBox } from '../ui/components.tsx';

interface Position {
  Line: string;
  Column: string;
}

interface MatchedStatement {
  SourcePolicyId?: string;
  SourcePolicyType?: string;
  StartPosition?: Position;
  EndPosition?: Position;
}

interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName?: string;
  EvalDecision: string;
  MatchedStatements?: MatchedStatement[] | string;
  MissingContextValues?: string[] | string;
}

const lines = (text: string): string[] =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `key=value[,value…][:type]` per line, as IAM's ContextEntries. */
function contextEntries(text: string): { ContextKeyName: string; ContextKeyValues: string[]; ContextKeyType: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const eq = l.indexOf('=');
      const name = l.slice(0, eq).trim();
      let rest = l.slice(eq + 1).trim();
      let type = 'string';
      const colon = rest.lastIndexOf(':');
      if (colon > 0 && /^(string|stringList|numeric|numericList|boolean|booleanList|ip|ipList|binary|binaryList|date|dateList)$/.test(rest.slice(colon + 1))) {
        type = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
      }
      return { ContextKeyName: name, ContextKeyValues: rest.split(',').map((v) => v.trim()), ContextKeyType: type };
    });
}

/**
 * Offset in `text` of a 1-based line and column. IAM's positions are both just past a bracket: the
 * statement is the text from one before StartPosition to just before EndPosition.
 */
function offsetOf(text: string, p: Position): number {
  const rows = text.split('\n');
  let offset = 0;
  for (let i = 0; i < Number(p.Line) - 1 && i < rows.length; i++) offset += rows[i].length + 1;
  return offset + Number(p.Column) - 1;
}

/** The policy text with the matched ranges marked. */
export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }): VNode {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const parts: ComponentChildren[] = [];
  let at = 0;
  for (const [start, end] of sorted) {
    if (start < at) continue;
    parts.push(text.slice(at, start), <mark class="matched">{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return (
    <pre class="json wrap" tabIndex={0}>
      {parts}
    </pre>
  );
}

export function Simulator(): VNode {
  const [mode, setMode] = useState<'principal' | 'custom'>('principal');
  const [policies, setPolicies] = useState<string[]>(['']);
  const [results, setResults] = useState<EvaluationResult[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (n: string) => String(form.get(n) ?? '');
    const pasted = policies.filter((p) => p.trim());
    const input = {
      ActionNames: lines(field('actions')),
      ...(lines(field('resources')).length ? { ResourceArns: lines(field('resources')) } : {}),
      ...(field('context').trim() ? { ContextEntries: contextEntries(field('context')) } : {}),
      ...(pasted.length ? { PolicyInputList: pasted } : {}),
      ...(mode === 'principal' ? { PolicySourceArn: field('principal').trim() } : {}),
    };
    setBusy(true);
    setError(undefined);
    try {
      const r = await query<{ EvaluationResults?: EvaluationResult[] | string }>('iam', mode === 'principal' ? 'SimulatePrincipalPolicy' : 'SimulateCustomPolicy', input);
      setResults(list(r.EvaluationResults));
    } catch (err) {
      setResults(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const pastedIndex = (id: string | undefined): number => {
    const m = /^PolicyInputList\.(\d+)$/.exec(id ?? '');
    return m ? Number(m[1]) - 1 : -1;
  };
  return (
    <section>
      <h1>Policy simulator</h1>
      <form onSubmit={run} class="simulator">
        <fieldset>
          <legend>Policies</legend>
          <label class="choice">
            <input type="radio" name="mode" checked={mode === 'principal'} onChange={() => setMode('principal')} /> A user, group or role's policies
          </label>
          <label class="choice">
            <input type="radio" name="mode" checked={mode === 'custom'} onChange={() => setMode('custom')} /> Only the policies pasted below
          </label>
          {mode === 'principal' && (
            <label>
              Principal ARN
              <input name="principal" placeholder="arn:aws:iam::123456789012:role/…" required class="mono" />
            </label>
          )}
          {policies.map((p, i) => (
            <label>
              Policy {i + 1} {mode === 'principal' && <span class="hint">(optional, added to the principal's)</span>}
              <textarea
                class="mono"
                rows={6}
                value={p}
                onInput={(e) => setPolicies(policies.map((x, j) => (j === i ? e.currentTarget.value : x)))}
                aria-label={`Policy ${i + 1}`}
              />
            </label>
          ))}
          <button type="button" onClick={() => setPolicies([...policies, ''])}>
            Add a policy
          </button>
        </fieldset>
        <label>
          Actions <span class="hint">(one a line)</span>
          <textarea name="actions" rows={3} class="mono" required placeholder="iam:GetRole" />
        </label>
        <label>
          Resources <span class="hint">(one a line; none means *)</span>
          <textarea name="resources" rows={2} class="mono" />
        </label>
        <label>
          Context <span class="hint">(key=value[,value…][:type] a line)</span>
          <textarea name="context" rows={2} class="mono" placeholder="aws:SourceIp=10.0.0.1:ip" />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Run simulation
        </button>
      </form>
      {error !== undefined && <ErrorBox error={error} />}
      {results && (
        <table class="grid" aria-label="Decisions">
          <thead>
            <tr>
              <th>Action</th>
              <th>Resource</th>
              <th>Decision</th>
              <th>Matched statements</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const matched = list(r.MatchedStatements);
              const byPolicy = new Map<number, [number, number][]>();
              for (const m of matched) {
                const i = pastedIndex(m.SourcePolicyId);
                if (i >= 0 && m.StartPosition && m.EndPosition) {
                  const text = policies.filter((p) => p.trim())[i];
                  byPolicy.set(i, [...(byPolicy.get(i) ?? []), [offsetOf(text, m.StartPosition) - 1, offsetOf(text, m.EndPosition)]]);
                }
              }
              return (
                <tr data-action={r.EvalActionName}>
                  <td class="mono">{r.EvalActionName}</td>
                  <td class="mono">{r.EvalResourceName ?? '*'}</td>
                  <td>
                    <Badge kind={r.EvalDecision === 'allowed' ? 'ok' : 'bad'}>{r.EvalDecision}</Badge>
                  </td>
                  <td>
                    {matched.map((m) => (
                      <div class="mono">
                        {m.SourcePolicyId} ({m.SourcePolicyType}) {m.StartPosition ? `${m.StartPosition.Line}:${m.StartPosition.Column}–${m.EndPosition?.Line}:${m.EndPosition?.Column}` : ''}
                      </div>
                    ))}
                    {[...byPolicy].map(([i, ranges]) => (
                      <Highlighted text={policies.filter((p) => p.trim())[i]} ranges={ranges} />
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

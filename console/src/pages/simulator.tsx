// The policy simulator: IAM's SimulatePrincipalPolicy (a user, group or role's own policies, plus any
// pasted) or SimulateCustomPolicy (pasted policies only), for actions × resources with context
// entries. Each decision lists its matched statements, each highlighted in its policy's text (a pasted
// one, or the principal's own as IAM returns it) from the answer's StartPosition/EndPosition.

import type { ComponentChildren, VNode } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../aws/client.ts';
import { principalPolicies, type SourcePolicy } from '../aws/principal-policies.ts';
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
export function Highlighted({ text, ranges, label }: { text: string; ranges: [number, number][]; label: string }): VNode {
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
    <pre class="json wrap" tabIndex={0} aria-label={label} data-policy={label}>
      {parts}
    </pre>
  );
}

export function Simulator(): VNode {
  const [mode, setMode] = useState<'principal' | 'custom'>('principal');
  const [policies, setPolicies] = useState<string[]>(['']);
  const [results, setResults] = useState<EvaluationResult[]>();
  /** The texts the results' positions point into: the pasted policies, and the principal's own. */
  const [sources, setSources] = useState<SourcePolicy[]>([]);
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
      const given = pasted.map((text, i) => ({ id: `PolicyInputList.${i + 1}`, type: 'IAM Policy', text }));
      // The principal's policies as IAM keeps them; a user who may not read them sees the positions only.
      const own = mode === 'principal' ? await principalPolicies(input.PolicySourceArn ?? '').catch(() => []) : [];
      setSources([...given, ...own]);
      setResults(list(r.EvaluationResults));
    } catch (err) {
      setResults(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const sourceOf = (m: MatchedStatement): SourcePolicy | undefined => sources.find((p) => p.id === m.SourcePolicyId && p.type === m.SourcePolicyType);
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
              const byPolicy = new Map<SourcePolicy, [number, number][]>();
              for (const m of matched) {
                const source = sourceOf(m);
                if (source && m.StartPosition && m.EndPosition) {
                  byPolicy.set(source, [...(byPolicy.get(source) ?? []), [offsetOf(source.text, m.StartPosition) - 1, offsetOf(source.text, m.EndPosition)]]);
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
                    {[...byPolicy].map(([source, ranges]) => (
                      <Highlighted text={source.text} ranges={ranges} label={source.id} />
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

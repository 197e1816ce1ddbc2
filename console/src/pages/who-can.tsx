// Who can reach: iamd's analysis (GET /_iamd/analysis/who-can, SigV4-signed like an API call) of
// which principals may perform an action on a resource, and through which steps (assuming roles,
// services acting through their roles). Drawn as an SVG graph, one row per path; a step's statements
// are a click (or Enter) away.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { iamdGet } from '../aws/client.ts';
import { Badge, ErrorBox } from '../ui/components.tsx';

interface StatementRef {
  policyId: string;
  policyType: string;
  sid?: string;
  index: number;
}

interface Step {
  from: string;
  to: string;
  kind: string;
  action: string;
  resource: string;
  statements: StatementRef[];
}

interface WhoCanAnswer {
  principals: { principal: string; direct: boolean; paths: { steps: Step[] }[] }[];
}

const short = (arn: string): string => {
  const tail = arn.split(/[:/]/).filter(Boolean).pop() ?? arn;
  return tail.length > 24 ? `${tail.slice(0, 23)}…` : tail;
};

const NODE_W = 170;
/** Room between two nodes for the step's label (`memorydb:CreateCluster`) above its arrow. */
const GAP = 170;
const ROW = 70;

function Graph({ answer, onStep }: { answer: WhoCanAnswer; onStep: (s: Step) => void }): VNode {
  const rows = answer.principals.flatMap((p) => (p.paths.length ? p.paths.map((path) => ({ p, steps: path.steps })) : [{ p, steps: [] as Step[] }]));
  const width = Math.max(1, ...rows.map((r) => r.steps.length + 1)) * (NODE_W + GAP) - GAP + 2;
  return (
    <svg class="graph" width={width} height={rows.length * ROW + 20} role="img" aria-label="Paths from principals to the resource">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
        </marker>
      </defs>
      {rows.map(({ p, steps }, r) => {
        const y = 20 + r * ROW;
        const nodes = steps.length ? [steps[0].from, ...steps.map((s) => s.to)] : [p.principal];
        return (
          <g data-principal={p.principal}>
            {steps.map((s, i) => {
              const x1 = i * (NODE_W + GAP) + NODE_W;
              const x2 = (i + 1) * (NODE_W + GAP);
              return (
                <g class="edge" tabindex={0} role="button" aria-label={`${s.kind} ${s.action}`} onClick={() => onStep(s)} onKeyDown={(e) => e.key === 'Enter' && onStep(s)}>
                  <line x1={x1} y1={y + 15} x2={x2} y2={y + 15} marker-end="url(#arrow)" />
                  <text x={(x1 + x2) / 2} y={y + 9} text-anchor="middle">
                    {s.action || s.kind}
                  </text>
                </g>
              );
            })}
            {nodes.map((n, i) => (
              <g class={i === 0 ? 'node principal' : 'node'}>
                <title>{n}</title>
                <rect x={i * (NODE_W + GAP) + 1} y={y} width={NODE_W} height={30} rx={6} />
                <text x={i * (NODE_W + GAP) + NODE_W / 2} y={y + 19} text-anchor="middle">
                  {short(n)}
                </text>
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}

export function WhoCan(): VNode {
  const [answer, setAnswer] = useState<WhoCanAnswer>();
  const [error, setError] = useState<unknown>();
  const [step, setStep] = useState<Step>();
  const run = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setError(undefined);
    setStep(undefined);
    try {
      setAnswer(await iamdGet<WhoCanAnswer>('/_iamd/analysis/who-can', { action: String(form.get('action')).trim(), resource: String(form.get('resource')).trim() }));
    } catch (err) {
      setAnswer(undefined);
      setError(err);
    }
  };
  return (
    <section>
      <h1>Who can reach</h1>
      <form class="search" onSubmit={run}>
        <input name="action" aria-label="Action" placeholder="memorydb:DeleteCluster" required class="mono" />
        <input name="resource" aria-label="Resource ARN" placeholder="arn:aws:memorydb:us-east-1:123456789012:cluster/c1" required class="mono wide" />
        <button type="submit" class="primary">
          Analyse
        </button>
      </form>
      {error !== undefined && <ErrorBox error={error} />}
      {answer && (
        <>
          <p>
            {answer.principals.length} principal(s):{' '}
            {answer.principals.map((p) => (
              <span class="mono">
                {p.principal} {p.direct && <Badge kind="ok">direct</Badge>}{' '}
              </span>
            ))}
          </p>
          <div class="graph-box">
            <Graph answer={answer} onStep={setStep} />
          </div>
          {step && (
            <div class="step-detail" role="region" aria-label="Step">
              <p class="mono">
                {step.from} —{step.kind}: {step.action}→ {step.to} (on {step.resource})
              </p>
              <ul>
                {step.statements.map((s) => (
                  <li class="mono">
                    {s.policyType} {s.policyId} statement {s.sid ? `"${s.sid}"` : `#${s.index + 1}`}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </section>
  );
}

// The analysis answers as text for a terminal and as Graphviz DOT for a picture (`iamd analyze
// --format text|dot`); JSON is the answers themselves.

import type { EscalationsAnswer, ReachAnswer, StepView, WhoCanAnswer } from './queries.ts';

export type Answer =
  | { question: 'who-can'; action: string; resource: string; answer: WhoCanAnswer }
  | { question: 'reach'; answer: ReachAnswer }
  | { question: 'escalations'; answer: EscalationsAnswer };

const statementsText = (step: StepView): string =>
  step.statements.length === 0 ? '' : `  [${step.statements.map((s) => `${s.policyId} ${s.sid !== undefined ? `(${s.sid})` : `#${s.index}`}`).join('; ')}]`;

const contextText = (step: StepView): string => {
  const entries = Object.entries(step.context);
  return entries.length === 0 ? '' : ` with ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : v}`).join(' ')}`;
};

function stepsText(steps: readonly StepView[], indent: string): string[] {
  return steps.map((step, i) => `${indent}${i + 1}. ${step.from} ${step.kind}: ${step.action} on ${step.resource}${contextText(step)}${statementsText(step)}`);
}

export function renderText(answer: Answer): string {
  const lines: string[] = [];
  switch (answer.question) {
    case 'who-can': {
      const { principals } = answer.answer;
      lines.push(`who can ${answer.action} on ${answer.resource}: ${principals.length} principal${principals.length === 1 ? '' : 's'}`);
      for (const p of principals) {
        lines.push(`  ${p.principal} (${p.direct ? 'directly' : `in ${p.paths[0].steps.length} steps`})`);
        for (const path of p.paths) lines.push(...stepsText(path.steps, '    '));
      }
      break;
    }
    case 'reach': {
      const { principal, services } = answer.answer;
      lines.push(`what ${principal} can reach:`);
      for (const [namespace, items] of Object.entries(services)) {
        lines.push(`  ${namespace}`);
        for (const item of items) {
          const except = [item.exceptActions && `except actions ${item.exceptActions.join(', ')}`, item.exceptResources && `except resources ${item.exceptResources.join(', ')}`].filter(Boolean).join(', ');
          const shortest = item.paths[0]?.steps.length ?? 0;
          lines.push(`    ${item.action} on ${item.resource}${except ? ` (${except})` : ''} — ${shortest <= 1 ? 'directly' : `in ${shortest} steps`}`);
          if (shortest > 1) lines.push(...stepsText(item.paths[0].steps, '      '));
        }
      }
      break;
    }
    case 'escalations': {
      const { paths } = answer.answer;
      lines.push(`${paths.length} path${paths.length === 1 ? '' : 's'} to admin power`);
      for (const path of paths) {
        lines.push(`  ${path.principal}`);
        lines.push(...stepsText(path.steps, '    '));
      }
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A DOT string: quotes and backslashes escaped, a line break as DOT's `\n`. */
const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** Every step as an arrow from the principal that makes it to what it reaches; equal arrows drawn once. */
export function renderDot(answer: Answer): string {
  const paths: StepView[][] =
    answer.question === 'who-can'
      ? answer.answer.principals.flatMap((p) => p.paths.map((path) => path.steps))
      : answer.question === 'reach'
        ? Object.values(answer.answer.services).flatMap((items) => items.flatMap((item) => item.paths.map((path) => path.steps)))
        : answer.answer.paths.map((path) => path.steps);
  const arrows = new Set<string>();
  const targets = new Set<string>();
  for (const steps of paths) {
    for (const step of steps) {
      arrows.add(`  ${quote(step.from)} -> ${quote(step.to)} [label=${quote(`${step.kind}\n${step.action}`)}];`);
      if (step.kind === 'direct') targets.add(step.to);
    }
  }
  const title = answer.question === 'who-can' ? `who can ${answer.action} on ${answer.resource}` : answer.question === 'reach' ? `what ${answer.answer.principal} can reach` : 'paths to admin power';
  return [
    'digraph access {',
    `  label=${quote(title)};`,
    '  rankdir=LR;',
    '  node [shape=box, fontsize=10];',
    ...[...targets].map((t) => `  ${quote(t)} [shape=ellipse];`),
    ...arrows,
    '}',
    '',
  ].join('\n');
}

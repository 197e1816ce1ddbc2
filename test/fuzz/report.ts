// Text for people: a failure with everything needed to replay it (seed, case number, the command,
// the case as generated, the request and the answer as bytes went over the wire), and the summary
// of a run.

import type { Failure, Report } from './runner.ts';
import { OPERATIONS } from './cases.ts';
import { Transport } from './send.ts';

const LIMIT = 2000;

/** Printable text of bytes: UTF-8 where it is, escapes for control characters and invalid bytes. */
export function printable(bytes: Buffer, limit = LIMIT): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, limit));
  const escaped = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return bytes.length > limit ? `${escaped}… (${bytes.length} bytes in all)` : escaped;
}

const clip = (s: string, limit = LIMIT) => (s.length > limit ? `${s.slice(0, limit)}… (${s.length} characters)` : s);

export function formatFailure(f: Failure, serverLog?: string): string {
  const c = f.fuzzCase;
  const lines = [
    `FAIL seed ${f.seed} case ${f.index}${f.during ? ` (its ${f.during} follow-up)` : ''}: ${f.problem}`,
    `  replay: npm run fuzz -- --seed ${f.seed} --case ${f.index}   (with the state before it: --seed ${f.seed} --count ${f.index + 1} --concurrency 1)`,
    `  case: ${c.kind} ${c.service}:${c.operation} as ${c.protocol}, answer expected in ${c.expect}, signed by ${c.signer}`,
    `  input: ${clip(JSON.stringify(c.input) ?? 'undefined', 600)}`,
  ];
  if (c.inputMutations.length) lines.push(`  input mutations: ${clip(JSON.stringify(c.inputMutations), 600)}`);
  if (c.wireMutations.length) lines.push(`  wire mutations: ${clip(JSON.stringify(c.wireMutations), 600)}`);
  lines.push(`  signing: ${JSON.stringify(c.sign)}`);
  if (f.request) {
    lines.push(`  request: ${f.request.method} ${clip(Transport.target(f.request), 600)}`);
    for (const [name, value] of f.request.headers) lines.push(`    ${name}: ${clip(value, 300)}`);
    lines.push(`    body: ${printable(f.request.body)}`);
  }
  if (f.answer) {
    lines.push(`  answer: HTTP ${f.answer.status}`);
    for (const [name, value] of Object.entries(f.answer.headers)) lines.push(`    ${name}: ${String(value)}`);
    lines.push(`    body: ${printable(f.answer.body)}`);
  }
  if (serverLog) lines.push(`  server log:\n${serverLog.replace(/^/gm, '    ')}`);
  return lines.join('\n');
}

const top = (map: Map<string | number, number>, n: number) =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${v}`).join(', ');

export function formatSummary(report: Report): string {
  const seconds = report.elapsedMs / 1000;
  const notImplemented = [...report.notImplemented].sort();
  return [
    `seed ${report.seed}: ${report.cases} cases, ${report.requests} requests in ${seconds.toFixed(1)} s (${Math.round(report.requests / seconds)}/s), ${report.failures.length} failures`,
    `  statuses: ${top(report.statuses, 20)}`,
    `  most frequent error codes: ${top(report.codes, 12)}`,
    `  operations that succeeded at least once: ${report.succeeded.size} of ${OPERATIONS.length}`,
    `  operations that answered NotImplemented (501): ${notImplemented.length} of ${OPERATIONS.length}${notImplemented.length ? ` — ${notImplemented.join(', ')}` : ''}`,
    `  policy-case cleanups that did not succeed: ${report.cleanupsFailed}`,
    `  requests that were not HTTP, refused by Node's parser before iamd (400/431): ${report.httpRefused}`,
  ].join('\n');
}

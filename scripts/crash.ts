// `npm run crash -- [--rounds 100] [--ops 10000] [--store sqlite|postgres] [--seed N] [--workers 4]`:
// SIGKILLs a child iamd at a random moment of every round of mixed operations, restarts it on the same
// data and checks, as root through the SDK, that every acknowledged write survived whole
// (scripts/crash/). Prints a summary; exits 1 if anything was lost or half-written.

import { runCrash, type CrashSummary } from './crash/run.ts';

function flag(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3) ?? (i >= 0 ? args[i + 1] : undefined) ?? fallback;
}

const count = (name: string, fallback: number): number => {
  const n = Number(flag(name, String(fallback)));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
};

const store = flag('store', 'sqlite');
if (store !== 'sqlite' && store !== 'postgres') throw new Error('--store is sqlite or postgres');
const options = {
  rounds: count('rounds', 100),
  ops: count('ops', 10_000),
  store: store as 'sqlite' | 'postgres',
  seed: count('seed', 1),
  workers: count('workers', 4),
  databaseUrl: process.env.IAMD_TEST_DATABASE_URL,
  log: (line: string) => console.log(line),
};
console.log(`crash: ${options.rounds} rounds × ${options.ops} operations on ${options.store}, seed ${options.seed}, ${options.workers} workers`);
const summary: CrashSummary = await runCrash(options);

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ops = Object.entries(summary.byOperation).sort(([, a], [, b]) => b - a).map(([op, n]) => `${op} ${n}`).join(', ');
console.log(`
store                   ${summary.store} (seed ${summary.seed}, ${summary.workers} workers)
rounds / kills          ${summary.rounds} / ${summary.kills}
operations issued       ${summary.issued} (${ops})
acknowledged writes     ${summary.acknowledgedWrites}
predicted reads         ${summary.predictedReads}
cut off by a kill       ${summary.cutOff} (may or may not have happened; resolved by the check)
expected refusals       ${summary.expectedRefusals}
deletion tasks followed ${summary.tasksFollowed}
restart, slowest        ${summary.maxRestartMs} ms
settling, slowest       ${summary.maxSettleMs} ms (tasks and cluster lifecycles to their end after a restart)
time                    ${summary.seconds.toFixed(1)} s, ${Math.round(summary.issued / summary.seconds)} operations/s
  by phase              operations ${sec(summary.phaseMs.operations)}, restarts ${sec(summary.phaseMs.restart)}, settling ${sec(summary.phaseMs.settle)}, whole-account read ${sec(summary.phaseMs.whole)}, acknowledgement check ${sec(summary.phaseMs.acknowledged)}
  CPU                   this process (SDK clients, model) ${sec(summary.cpuMs.harness)}, iamd ${sec(summary.cpuMs.server)}
violations              ${summary.violations.length}`);
for (const v of summary.violations) console.log(`  - ${v}`);
process.exitCode = summary.violations.length === 0 ? 0 : 1;

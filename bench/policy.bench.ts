// iamd's policy engine beside @cloud-copilot/iam-simulate and Cedar, on the same requests in the same
// run: (a) the seed workload — the three service-role policies iamd ships and the calls their services
// make; (b) a synthetic principal with 10 policies and 500 statements, 10,000 requests. Before timing,
// every engine decides the workload's requests and the decisions are compared, so the speeds compare
// engines that give the same answers. Then each engine is timed in a process of its own.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatRate, formatRatio, table, type BenchOptions, type Throughput } from './harness.ts';
import { ENGINES, WORKLOADS } from './policy/registry.ts';
import type { BenchDecision, EngineAdapter, PreparedEngine, Workload } from './policy/workload.ts';

export const title = 'policy decisions per second: iamd vs iam-simulate vs Cedar';

/** The project's goal: iamd at least this many times faster than each peer. */
const GOALS: Record<string, number> = { 'iam-simulate': 50, Cedar: 10 };

const [iamdEngine, ...PEERS] = ENGINES;
const MEASURE = fileURLToPath(new URL('./policy/measure-engine.ts', import.meta.url));

/** Times one engine in a child process of its own (see measure-engine.ts). */
function timeInOwnProcess(workload: Workload, engine: EngineAdapter, seconds: number): Throughput {
  const out = execFileSync(process.execPath, ['--import', 'tsx', MEASURE, workload.name, engine.name, String(seconds)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as Throughput;
}

/** How many requests each peer decides for the agreement check (iam-simulate is slow on big policies). */
function agreementSample(workload: Workload, engine: EngineAdapter, options: BenchOptions): number {
  const all = workload.requests.length;
  if (options.full || engine.name !== 'iam-simulate' || workload.name === 'seed') return all;
  return Math.min(all, options.quick ? 200 : 1000);
}

function decideAll(engine: PreparedEngine, count: number): BenchDecision[] {
  return Array.from({ length: count }, (_, i) => engine.decide(i));
}

function mix(decisions: BenchDecision[]): string {
  const counts = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
  for (const d of decisions) counts[d]++;
  return Object.entries(counts).map(([d, c]) => `${d} ${c}`).join(', ');
}

function benchWorkload(workload: Workload, options: BenchOptions): void {
  console.log(`## ${workload.name}: ${workload.description}\n`);
  const iamd = iamdEngine.prepare(workload);
  const reference = decideAll(iamd, workload.requests.length);
  console.log(`iamd decisions: ${mix(reference)}`);

  const peers = PEERS.map((adapter) => ({ adapter, engine: adapter.prepare(workload) }));
  for (const { adapter, engine } of peers) {
    const count = agreementSample(workload, adapter, options);
    const theirs = decideAll(engine, count);
    const differing = theirs.flatMap((d, i) => (d === reference[i] ? [] : [i]));
    const scope = count === workload.requests.length ? 'all' : `the first ${count} of ${workload.requests.length}`;
    console.log(`agreement with ${adapter.name}: ${count - differing.length}/${count} (${scope} requests)`);
    for (const i of differing.slice(0, 5)) {
      const r = workload.requests[i];
      console.log(`  request ${i}: iamd ${reference[i]}, ${adapter.name} ${theirs[i]}: ${r.action} ${r.resource} ${JSON.stringify(r.context)}`);
    }
  }

  const seconds = options.quick ? 0.5 : 3;
  const rates = new Map<string, number>();
  for (const adapter of ENGINES) rates.set(adapter.name, timeInOwnProcess(workload, adapter, seconds).perSecond);
  const iamdRate = rates.get(iamdEngine.name)!;
  const rows = [iamdEngine, ...PEERS].map((adapter) => {
    const rate = rates.get(adapter.name)!;
    return [adapter.name, formatRate(rate), adapter === iamdEngine ? '—' : formatRatio(iamdRate / rate), adapter.method];
  });
  console.log('');
  console.log(table(['engine', 'decisions/s', 'iamd ÷ engine', 'how it is called'], rows));
  const verdicts = PEERS.map((peer) => {
    const ratio = iamdRate / rates.get(peer.name)!;
    const goal = GOALS[peer.name];
    return `≥ ${goal}× ${peer.name}: ${ratio >= goal ? 'met' : 'MISSED'} (${formatRatio(ratio)})`;
  });
  console.log(`\ngoal ${verdicts.join('; ')}\n`);
}

export async function run(options: BenchOptions): Promise<void> {
  for (const make of Object.values(WORKLOADS)) benchWorkload(make(), options);
}

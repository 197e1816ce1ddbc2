// iamd's policy engine beside @cloud-copilot/iam-simulate and Cedar, on the same requests in the same
// run: (a) the seed workload — the three service-role policies iamd ships and the calls their services
// make; (b) a synthetic principal with 10 policies and 500 statements, 10,000 requests. Before timing,
// every engine decides the workload's requests and the decisions are compared, so the speeds compare
// engines that give the same answers.

import { formatRate, formatRatio, measure, table, type BenchOptions } from './harness.ts';
import { cedarEngine } from './policy/engines/cedar.ts';
import { iamSimulateEngine } from './policy/engines/iam-simulate.ts';
import { iamdEngine } from './policy/engines/iamd.ts';
import { seedWorkload } from './policy/seed-workload.ts';
import { syntheticWorkload } from './policy/synthetic-workload.ts';
import type { BenchDecision, EngineAdapter, PreparedEngine, Workload } from './policy/workload.ts';

export const title = 'policy decisions per second: iamd vs iam-simulate vs Cedar';

/** The project's goal: iamd at least this many times faster than each peer. */
const GOALS: Record<string, number> = { 'iam-simulate': 50, Cedar: 10 };

const PEERS: EngineAdapter[] = [iamSimulateEngine, cedarEngine];

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

  const minSeconds = options.quick ? 0.5 : 3;
  const n = workload.requests.length;
  const rates = new Map<string, number>();
  for (const { adapter, engine } of [{ adapter: iamdEngine, engine: iamd }, ...peers]) {
    const result = measure((i) => engine.decide(i % n), { minSeconds, minCalls: 20 });
    rates.set(adapter.name, result.perSecond);
  }
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
  benchWorkload(seedWorkload(), options);
  benchWorkload(syntheticWorkload(), options);
}

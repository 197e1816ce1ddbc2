// Times one engine on one workload, alone in its process: each engine gets a fresh JIT, so one
// engine's code shapes cannot slow another's (measured in one process, iamd lost a third of its speed
// on the second workload after the peers had run). Prints one JSON line: {"perSecond": …}.
//   node --import tsx bench/policy/measure-engine.ts <seed|synthetic> <iamd|iam-simulate|Cedar> <seconds>

import { measure } from '../harness.ts';
import { ENGINES, WORKLOADS } from './registry.ts';

const [workloadName, engineName, seconds] = process.argv.slice(2);
const workload = WORKLOADS[workloadName]?.();
const engine = ENGINES.find((e) => e.name === engineName);
if (workload === undefined || engine === undefined || !(Number(seconds) > 0)) {
  console.error('usage: measure-engine.ts <workload> <engine> <seconds>');
  process.exit(2);
}
const prepared = engine.prepare(workload);
const n = workload.requests.length;
const result = measure((i) => prepared.decide(i % n), { minSeconds: Number(seconds), minCalls: 20 });
console.log(JSON.stringify(result));

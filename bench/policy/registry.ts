// The workloads and engines of the policy benchmark, by name (the measuring child process looks them up).

import { cedarEngine } from './engines/cedar.ts';
import { iamSimulateEngine } from './engines/iam-simulate.ts';
import { iamdEngine } from './engines/iamd.ts';
import { seedWorkload } from './seed-workload.ts';
import { syntheticWorkload } from './synthetic-workload.ts';
import type { EngineAdapter, Workload } from './workload.ts';

export const WORKLOADS: Record<string, () => Workload> = {
  seed: () => seedWorkload(),
  synthetic: () => syntheticWorkload(),
};

/** iamd first: the ratios are iamd's rate over each of the others. */
export const ENGINES: EngineAdapter[] = [iamdEngine, iamSimulateEngine, cedarEngine];

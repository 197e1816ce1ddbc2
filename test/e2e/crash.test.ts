// A seeded slice of `npm run crash` (scripts/crash/): a child iamd SIGKILLed at a random moment of each
// round of mixed IAM, STS, service-linked-role and MemoryDB operations, restarted on the same data,
// and checked as root through the SDK — on SQLite and on PostgreSQL (a schema of its own). Every
// acknowledged write must be there, whole, and every task and cluster lifecycle must end.
// The targeted crash tests stay where they are: test/store/processes.test.ts (the store's commits) and
// test/iam/service-linked-roles-crash.test.ts (deletion tasks killed in each state).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCrash } from '../../scripts/crash/run.ts';
import { POSTGRES_URL } from '../store/harness.ts';

for (const store of ['sqlite', 'postgres'] as const) {
  test(`${store}: 3 rounds of 250 operations, each cut by SIGKILL — nothing acknowledged lost, nothing half-written`, async () => {
    const summary = await runCrash({ rounds: 3, ops: 250, store, seed: 20240917, databaseUrl: POSTGRES_URL });
    assert.deepEqual(summary.violations, []);
    assert.equal(summary.kills, 3);
    assert.ok(summary.acknowledgedWrites > 0 && summary.predictedReads > 0);
  });
}

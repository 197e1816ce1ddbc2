// The seeded slice of the fuzzer in every test run: 10,000 generated requests — every operation of
// every service, well-formed and broken, signed and not, and policy documents through every operation
// that takes one — against a started iamd. None may get a 500, crash or hang the server, or be
// answered outside its protocol's envelope. `npm run fuzz` runs as many as asked (docs/security.md).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzSession } from './session.ts';
import { OPERATIONS, POLICY_TARGETS } from './cases.ts';
import { formatSummary } from './report.ts';

const SEED = 20261203;
const COUNT = 10_000;

test(`${COUNT} generated requests (seed ${SEED}): no 500, no crash, no hang, every answer in its protocol's envelope`, async (t) => {
  const { report, failures, serverProblem } = await fuzzSession({ seed: SEED, count: COUNT, concurrency: 4, timeoutMs: 30_000, maxFailures: 10 });
  for (const line of formatSummary(report).split('\n')) t.diagnostic(line);
  assert.deepEqual(failures, [], `\n${failures.join('\n\n')}`);
  assert.equal(serverProblem, undefined);
  assert.equal(report.cases, COUNT);
  // Operations are taken in turn, so a run this long reaches each of them, and each policy-taking one.
  assert.deepEqual([...report.operations].sort(), OPERATIONS.map((o) => `${o.service}:${o.operation}`).sort());
  for (const p of POLICY_TARGETS) assert.ok(report.operations.has(`${p.service}:${p.operation}`));
  // Requests got past authentication and validation into the operations, not only refusals.
  assert.ok(report.succeeded.size > 0, 'no operation ever succeeded');
});

// `npm run fuzz -- [--count N] [--seed N] [--case I[,J…]] [--concurrency K] [--timeout-ms T] [--max-failures F] [--database-url URL]`
// Model-driven fuzzing of a freshly started iamd (test/fuzz/): N generated requests over every
// operation of every service, and policy documents through every operation that takes one. Exit code
// 0 when every answer was proper, 1 on any failure, 2 on bad arguments. `--case` replays single cases
// of a seed on a fresh server (what a failure report prints); `--database-url` runs the server on
// PostgreSQL (in a schema of its own) instead of SQLite.

import { parseArgs } from 'node:util';
import { fuzzSession } from '../test/fuzz/session.ts';
import { formatSummary } from '../test/fuzz/report.ts';

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) {
    console.error(`--${name} must be an integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return Number(text);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      case: { type: 'string' },
      concurrency: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'max-failures': { type: 'string' },
      'database-url': { type: 'string' },
    },
  }).values;
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const seed = integer('seed', parsed.seed, (Math.random() * 2 ** 31) | 0);
const count = integer('count', parsed.count, 100_000);
const only = parsed.case?.split(',').map((c) => integer('case', c, 0));
const options = {
  seed,
  count,
  ...(only ? { only } : {}),
  concurrency: integer('concurrency', parsed.concurrency, 8),
  timeoutMs: integer('timeout-ms', parsed['timeout-ms'], 10_000),
  maxFailures: integer('max-failures', parsed['max-failures'], 20),
  ...(parsed['database-url'] ? { databaseUrl: parsed['database-url'] } : {}),
  progress: (done: number, report: { failures: unknown[] }) => {
    console.error(`… ${done} cases, ${report.failures.length} failures`);
  },
};

console.log(`fuzzing iamd: seed ${seed}, ${only ? `cases ${only.join(', ')}` : `${count} cases`}, ${options.concurrency} in flight`);
const result = await fuzzSession(options);
for (const failure of result.failures) console.log(`\n${failure}`);
if (result.serverProblem) console.log(`\nSERVER: ${result.serverProblem}`);
console.log(`\n${formatSummary(result.report)}`);
process.exit(result.failures.length === 0 && !result.serverProblem ? 0 : 1);

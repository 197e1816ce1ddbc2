// A fuzz session: a real iamd started as its own process (so a crash shows as its exit, and its log
// can be searched for the stack of a 500) over a fresh SQLite folder or PostgreSQL schema, the fixtures
// created, the cases run, the server checked to be alive, healthy and without errors in its log
// afterwards, everything removed.
// Shared by `npm run fuzz` and the seeded test.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { spawnServer, tempDir, ROOT } from '../helpers/server.ts';
import { createFixtures } from './fixtures.ts';
import { runFuzz, type Report, type RunOptions } from './runner.ts';
import { formatFailure } from './report.ts';

export interface SessionOptions extends Pick<RunOptions, 'seed' | 'count' | 'only' | 'concurrency' | 'timeoutMs' | 'maxFailures' | 'progress'> {
  /** PostgreSQL instead of SQLite: the server gets a schema of its own, dropped afterwards. */
  databaseUrl?: string;
}

export interface SessionResult {
  report: Report;
  /** Each failure as text, with the server's log of the request where there is one. */
  failures: string[];
  /** Why the server is not fine after the run (it exited, failed its health check, logged errors), if it is not. */
  serverProblem?: string;
  /** Everything the server printed. */
  serverLog: string;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The lines the server logged about one request (its stack trace, for a 500). */
function logOf(output: string, requestId: string | undefined): string | undefined {
  if (!requestId) return undefined;
  const at = output.indexOf(`request ${requestId}`);
  if (at < 0) return undefined;
  const end = output.indexOf('\nrequest ', at + 1);
  return output.slice(at, end < 0 ? Math.min(output.length, at + 4000) : end).trimEnd();
}

export async function fuzzSession(options: SessionOptions): Promise<SessionResult> {
  const dataDir = tempDir('iamd-fuzz-');
  const schema = `iamd_fuzz_${randomBytes(6).toString('hex')}`;
  const store = options.databaseUrl ? ['--database-url', options.databaseUrl, '--database-schema', schema] : ['--data-dir', dataDir];
  const server = await spawnServer([...store, '--job-delay-ms', '0']);
  try {
    const { caller } = await createFixtures(server.url, ROOT);
    const exited = () => {
      const { exitCode, signalCode } = server.process;
      if (exitCode === null && signalCode === null) return undefined;
      return `the server process exited (${signalCode ?? `code ${exitCode}`}):\n${server.output().slice(-4000)}`;
    };
    const report = await runFuzz({ ...options, endpoint: server.url, root: ROOT, caller, serverGone: exited });
    let serverProblem = exited();
    if (!serverProblem) {
      const health = await fetch(`${server.url}/_iamd/health`).then((r) => r.status, (e: Error) => e.message);
      if (health !== 200) serverProblem = `the server's health check answered ${health}`;
    }
    // Work done after the answer (the audit log's flush, background jobs) fails only in the log.
    const logged = server.output().split('\n').filter((line) => /\b(failed|error)\b/i.test(line));
    if (!serverProblem && logged.length > 0) serverProblem = `the server logged ${logged.length} error lines, first:\n${logged.slice(0, 10).join('\n')}`;
    const failures = report.failures.map((f) => {
      const id = f.answer?.headers['x-amzn-requestid'];
      return formatFailure(f, logOf(server.output(), Array.isArray(id) ? id[0] : id));
    });
    return { report, failures, serverLog: server.output(), ...(serverProblem ? { serverProblem } : {}) };
  } finally {
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
    if (options.databaseUrl) await dropSchema(options.databaseUrl, schema);
  }
}

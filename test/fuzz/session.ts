// A fuzz session: a real iamd started as its own process (so a crash shows as its exit, and its log
// can be searched for the stack of a 500), the fixtures created, the cases run, the server checked to
// be alive and healthy afterwards, everything removed. Shared by `npm run fuzz` and the seeded test.

import { rmSync } from 'node:fs';
import { spawnServer, tempDir, ROOT } from '../helpers/server.ts';
import { createFixtures } from './fixtures.ts';
import { runFuzz, type Report, type RunOptions } from './runner.ts';
import { formatFailure } from './report.ts';

export interface SessionOptions extends Pick<RunOptions, 'seed' | 'count' | 'only' | 'concurrency' | 'timeoutMs' | 'maxFailures' | 'progress'> {
  /** Extra `iamd serve` flags. */
  serverArgs?: string[];
}

export interface SessionResult {
  report: Report;
  /** Each failure as text, with the server's log of the request where there is one. */
  failures: string[];
  /** Why the server is not fine after the run (it exited, or its health check failed), if it is not. */
  serverProblem?: string;
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
  const server = await spawnServer(['--data-dir', dataDir, '--job-delay-ms', '0', ...(options.serverArgs ?? [])]);
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
    const failures = report.failures.map((f) => {
      const id = f.answer?.headers['x-amzn-requestid'];
      return formatFailure(f, logOf(server.output(), Array.isArray(id) ? id[0] : id));
    });
    return { report, failures, ...(serverProblem ? { serverProblem } : {}) };
  } finally {
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

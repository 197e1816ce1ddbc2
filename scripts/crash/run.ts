// The crash run: iamd as a child process on a SQLite folder or a PostgreSQL schema of its own, workers
// sending the seeded operation mix, SIGKILL at a random moment of every round, a restart on the same
// data, and the check (verify.ts) before the round goes on. Each round issues `ops` operations: the
// kill comes after a random number of them, the rest run against the restarted server and are checked
// after the next kill (the last ones by a final check).

import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import pg from 'pg';
import { Prng } from '../../bench/policy/prng.ts';
import { loadServiceCatalog, type ServiceCatalog } from '../../src/iam/catalog/service-linked-roles.ts';
import { spawnServer, tempDir, type ChildServer } from '../../test/helpers/server.ts';
import { answerOf, clientsFor } from './clients.ts';
import { DEFAULT_SHAPE, MEMORYDB, newWorker, type WorkerModel } from './model.ts';
import { Contradiction, nextOperation } from './operations.ts';
import { adopt, checkAcknowledged, checkWhole, settle, type CheckContext } from './verify.ts';

export interface CrashOptions {
  rounds: number;
  ops: number;
  store: 'sqlite' | 'postgres';
  seed: number;
  workers?: number;
  /** PostgreSQL to use (a fresh schema is made in it and dropped afterwards). */
  databaseUrl?: string;
  /** How long background work may take to end after a restart (default 60 s). */
  boundMs?: number;
  /** Progress, one line per round. */
  log?: (line: string) => void;
}

export interface CrashSummary {
  store: string;
  seed: number;
  rounds: number;
  workers: number;
  issued: number;
  acknowledgedWrites: number;
  predictedReads: number;
  /** Requests the kill cut off (no answer): they may or may not have happened. */
  cutOff: number;
  expectedRefusals: number;
  kills: number;
  tasksFollowed: number;
  maxClustersMoving: number;
  maxRestartMs: number;
  maxSettleMs: number;
  /** Wall time by phase, ms: operations, restarts, settling, the whole-account read, the acknowledgement check. */
  phaseMs: { operations: number; restart: number; settle: number; whole: number; acknowledged: number };
  /** CPU this process (the SDK clients and the model) and the servers spent, ms. */
  cpuMs: { harness: number; server: number };
  seconds: number;
  byOperation: Record<string, number>;
  violations: string[];
}

const JOB_FLAGS = ['--job-delay-ms', '20', '--job-lease-seconds', '2'];
const LINKED = new Set([MEMORYDB, 'elasticache.amazonaws.com', 'mq.amazonaws.com']);

/** Two services with one policy each per worker, none of them a linked service of iamd's. */
function servicesFor(catalog: ServiceCatalog, workers: number): { service: string; roleName: string }[][] {
  const plain = catalog
    .list()
    .filter((s) => s.source === 'aws-recorded' && s.policyArns.length === 1 && !LINKED.has(s.servicePrincipal))
    .sort((a, b) => (a.servicePrincipal < b.servicePrincipal ? -1 : 1));
  return Array.from({ length: workers }, (_, w) => {
    const own = plain.slice(2 * w, 2 * w + 2).map((s) => ({ service: s.servicePrincipal, roleName: s.roleName }));
    if (w === 0) own.push({ service: MEMORYDB, roleName: catalog.get(MEMORYDB)!.roleName });
    return own;
  });
}

/** CPU a live process has spent, ms (Linux: utime + stime in clock ticks of 10 ms). */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

interface Phase {
  target: number;
  /** Kill the server once this many operations were issued in the phase. */
  killAfter?: number;
  killDelayMs: number;
}

export async function runCrash(options: CrashOptions): Promise<CrashSummary> {
  const started = Date.now();
  const cpuStarted = process.cpuUsage();
  const workerCount = options.workers ?? 4;
  const log = options.log ?? (() => {});
  const catalog = loadServiceCatalog();
  const services = servicesFor(catalog, workerCount);
  const workers: WorkerModel[] = services.map((s, w) => newWorker(w, s, DEFAULT_SHAPE, w === 0));
  const summary: CrashSummary = {
    store: options.store, seed: options.seed, rounds: options.rounds, workers: workerCount, issued: 0, acknowledgedWrites: 0,
    predictedReads: 0, cutOff: 0, expectedRefusals: 0, kills: 0, tasksFollowed: 0, maxClustersMoving: 0, maxRestartMs: 0,
    maxSettleMs: 0, phaseMs: { operations: 0, restart: 0, settle: 0, whole: 0, acknowledged: 0 }, cpuMs: { harness: 0, server: 0 }, seconds: 0, byOperation: {}, violations: [],
  };

  const dataDir = tempDir('iamd-crash-');
  const databaseUrl = options.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `iamd_crash_${randomBytes(6).toString('hex')}`;
  const storeArgs = options.store === 'sqlite' ? ['--data-dir', dataDir] : ['--database-url', databaseUrl, '--database-schema', schema];
  const start = async () => {
    const t = Date.now();
    const s = await spawnServer([...storeArgs, ...JOB_FLAGS]);
    summary.maxRestartMs = Math.max(summary.maxRestartMs, Date.now() - t);
    summary.phaseMs.restart += Date.now() - t;
    return s;
  };

  let server: ChildServer = await start();
  // One set of clients per incarnation for its operations (the check has its own).
  let clients = clientsFor(server.url, { keepAlive: true });
  const check = async (label: string) => {
    const before = summary.violations.length;
    const ctx: CheckContext = { clients: clientsFor(server.url, { keepAlive: false }), workers, catalog, violations: summary.violations, boundMs: options.boundMs ?? 60_000 };
    const settled = await settle(ctx);
    summary.phaseMs.settle += settled.ms;
    let t = Date.now();
    summary.tasksFollowed += settled.tasks;
    summary.maxClustersMoving = Math.max(summary.maxClustersMoving, settled.clusters);
    summary.maxSettleMs = Math.max(summary.maxSettleMs, settled.ms);
    const snapshot = await checkWhole(ctx);
    summary.phaseMs.whole += Date.now() - t;
    t = Date.now();
    await checkAcknowledged(ctx, snapshot);
    summary.phaseMs.acknowledged += Date.now() - t;
    adopt(ctx, snapshot);
    const found = summary.violations.length - before;
    ctx.clients.close();
    log(`${label}: ${snapshot.users.size} users, ${snapshot.roles.size} roles, ${snapshot.policies.size} policies, ${snapshot.clusters.size} clusters; ` +
      `${settled.tasks} deletion tasks and ${settled.clusters} moving clusters settled in ${settled.ms} ms; ${found} violations`);
  };

  /** Runs the workers until `target` operations were issued (or the server died); returns how many were. */
  const phase = async (round: number, name: number, p: Phase): Promise<number> => {
    let issued = 0;
    let dead = false;
    let killing: Promise<void> | undefined;
    const child = server;
    const violationsBefore = summary.violations.length;
    const work = async (w: WorkerModel) => {
      const rng = new Prng((options.seed * 7919 + round * 104729 + w.id * 131 + name) >>> 0);
      while (!dead && (issued < p.target || killing)) {
        const op = nextOperation(w, rng);
        issued++;
        summary.issued++;
        summary.byOperation[op.name] = (summary.byOperation[op.name] ?? 0) + 1;
        if (p.killAfter !== undefined && issued === p.killAfter && !killing) {
          // SIGKILL a random moment later: in a request, in a commit, between two, or in a background step.
          killing = new Promise<void>((resolve) => setTimeout(resolve, p.killDelayMs)).then(() => {
            // No request is sent after the signal: each one cut off was really in flight.
            dead = true;
            summary.kills++;
            summary.cpuMs.server += cpuOf(child.process.pid);
            return child.kill('SIGKILL');
          });
        }
        try {
          const output = await op.send(clients);
          op.ack(output);
          if (op.write) summary.acknowledgedWrites++;
          else summary.predictedReads++;
        } catch (error) {
          if (error instanceof Contradiction) {
            summary.violations.push(`round ${round}: ${error.message}`);
            continue;
          }
          const { name: code, status, message } = answerOf(error);
          if (status === undefined || status === 503) {
            // No answer (the kill) or a temporary failure: it may or may not have happened.
            op.lost();
            summary.cutOff++;
          } else if (op.expected?.includes(code)) {
            summary.expectedRefusals++;
          } else {
            summary.violations.push(`round ${round}: ${op.name} answered ${status} ${code}: ${message}`);
          }
        }
      }
    };
    const t = Date.now();
    await Promise.all(workers.map(work));
    await killing;
    summary.phaseMs.operations += Date.now() - t;
    // A 500 says nothing of its cause to the client: the server logged it, with the stack.
    if (summary.violations.slice(violationsBefore).some((v) => v.includes(' answered 500 '))) {
      for (const failure of loggedFailures(child.output())) log(`  server log: ${failure}`);
    }
    return issued;
  };

  try {
    for (let round = 1; round <= options.rounds; round++) {
      const rng = new Prng((options.seed * 31 + round) >>> 0);
      const killAfter = rng.int(1, options.ops);
      const before = await phase(round, 0, { target: options.ops, killAfter, killDelayMs: rng.next() * 5 });
      clients.close();
      server = await start();
      clients = clientsFor(server.url, { keepAlive: true });
      await check(`round ${round}/${options.rounds}, killed after ${killAfter} operations`);
      if (before < options.ops) await phase(round, 1, { target: options.ops - before, killDelayMs: 0 });
    }
    await check('final check, no kill');
    summary.cpuMs.server += cpuOf(server.process.pid);
  } finally {
    clients.close();
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    if (options.store === 'postgres') {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
  summary.seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  summary.cpuMs.harness = Math.round((cpu.user + cpu.system) / 1000);
  return summary;
}

/** The first few requests the server logged as failed (api.ts), each with the top of its stack. */
function loggedFailures(output: string, max = 3): string[] {
  const lines = output.split('\n');
  const found: string[] = [];
  lines.forEach((line, i) => {
    if (found.length < max && /^request \S+ \(.*\) failed: /.test(line)) found.push(lines.slice(i, i + 4).join('\n    '));
  });
  return found;
}

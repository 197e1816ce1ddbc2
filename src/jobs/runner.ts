// The durable job runner. Jobs are rows in the store, leased to one worker at a time; a worker that
// dies simply lets its lease run out, and the job is leased again — by this node after a restart, or
// by another node. Handlers must therefore be idempotent: each step records its progress in the store
// before the job is finished, and a step that is run again sees that progress and moves on.
//
// While the database is unreachable (StoreUnavailable) the runner keeps polling, quietly: one log line
// when the outage starts and one when it ends. A job whose outcome could not be written is finished
// again on the next drain, so it does not wait for its lease to run out once the database is back.

import { randomUUID } from 'node:crypto';
import { unavailableCause, type Job, type Store } from '../store/types.ts';

export type JobOutcome = { done: true } | { done: false; runAt: number; payload?: unknown };

export type JobHandler = (job: Job) => Promise<JobOutcome>;

export interface JobRunnerOptions {
  /** How often to look for due jobs when nothing kicked the runner. */
  pollMs?: number;
  /** How long a lease lasts; a job whose worker died runs again after this. */
  leaseMs?: number;
  /** Retry delay after a handler throws (a bug or a passing database error). */
  retryMs?: number;
  log?: (line: string) => void;
}

export class JobRunner {
  readonly owner = `worker-${randomUUID()}`;
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  /** Outcomes of jobs still leased to this runner that could not be written yet. */
  private readonly unfinished = new Map<string, JobOutcome>();
  /** Set while the store is unavailable, so an outage is logged once rather than on every poll. */
  private outage: string | undefined;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly retryMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly store: Store, options: JobRunnerOptions = {}) {
    this.pollMs = options.pollMs ?? 250;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.log = options.log ?? (() => {});
  }

  register(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Look for due jobs now (called after a job was enqueued, so tests need not wait for a poll). */
  kick(delayMs = 0): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const soon = this.again;
        this.again = false;
        this.schedule(soon ? 0 : this.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (const [id, outcome] of this.unfinished) {
      if (this.stopped || !(await this.finish(id, outcome))) return;
    }
    for (;;) {
      if (this.stopped) return;
      let jobs: Job[];
      try {
        jobs = await this.store.leaseJobs({
          types: [...this.handlers.keys()],
          owner: this.owner,
          now: Date.now(),
          leaseMs: this.leaseMs,
          limit: 8,
        });
      } catch (error) {
        this.failed('cannot lease', error);
        return;
      }
      this.recovered();
      if (jobs.length === 0) return;
      for (const job of jobs) await this.runOne(job);
    }
  }

  private async runOne(job: Job): Promise<void> {
    const handler = this.handlers.get(job.type)!;
    let outcome: JobOutcome;
    try {
      outcome = await handler(job);
    } catch (error) {
      // A step interrupted by an outage (also one reported as ServiceUnavailable by a call it made).
      if (unavailableCause(error)) this.failed(`${job.type} ${job.id} interrupted`, error);
      else this.log(`jobs: ${job.type} ${job.id} failed (attempt ${job.attempts}): ${(error as Error).stack ?? error}`);
      outcome = { done: false, runAt: Date.now() + this.retryMs * Math.min(job.attempts, 30) };
    }
    await this.finish(job.id, outcome);
  }

  /** Writes a job's outcome; on an outage keeps it for the next drain. False when it could not be written. */
  private async finish(id: string, outcome: JobOutcome): Promise<boolean> {
    try {
      await this.store.transaction((tx) => tx.finishJob(id, this.owner, outcome));
      this.unfinished.delete(id);
      return true;
    } catch (error) {
      if (unavailableCause(error)) this.unfinished.set(id, outcome);
      else this.unfinished.delete(id);
      this.failed(`cannot finish ${id}`, error);
      return false;
    }
  }

  private failed(what: string, error: unknown): void {
    const outage = unavailableCause(error);
    if (!outage) {
      this.log(`jobs: ${what}: ${(error as Error).message}`);
      return;
    }
    if (this.outage === undefined) this.log(`jobs: ${what}: ${outage.message}; retrying until the store is back`);
    this.outage = outage.message;
  }

  private recovered(): void {
    if (this.outage === undefined) return;
    this.log('jobs: the store is reachable again');
    this.outage = undefined;
  }
}

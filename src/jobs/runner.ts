// The durable job runner. Jobs are rows in the store, leased to one worker at a time; a worker that
// dies simply lets its lease run out, and the job is leased again — by this node after a restart, or
// by another node. Handlers must therefore be idempotent: each step records its progress in the store
// before the job is finished, and a step that is run again sees that progress and moves on.

import { randomUUID } from 'node:crypto';
import type { Job, Store } from '../store/types.ts';

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
        this.log(`jobs: cannot lease: ${(error as Error).message}`);
        return;
      }
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
      this.log(`jobs: ${job.type} ${job.id} failed (attempt ${job.attempts}): ${(error as Error).stack ?? error}`);
      outcome = { done: false, runAt: Date.now() + this.retryMs * Math.min(job.attempts, 30) };
    }
    try {
      await this.store.transaction((tx) => tx.finishJob(job.id, this.owner, outcome));
    } catch (error) {
      this.log(`jobs: cannot finish ${job.id}: ${(error as Error).message}`);
    }
  }
}

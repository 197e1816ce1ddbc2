// What both stores' group commit share: a transaction waiting for the next shared COMMIT, and how
// each member's outcome is told to its caller once that COMMIT has decided it.

import type { Tx } from './types.ts';

/** A transaction waiting for the next group commit. */
export interface QueuedWrite {
  fn: (tx: Tx) => Promise<unknown>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** How a member of a batch ended, told to its caller once the batch's COMMIT has decided. */
export interface Outcome {
  write: QueuedWrite;
  ok: boolean;
  value: unknown;
}

/** Tells every member its own outcome (after the COMMIT: a refusal may rest on an earlier member's write). */
export function settle(outcomes: readonly Outcome[]): void {
  for (const { write, ok, value } of outcomes) {
    if (ok) write.resolve(value);
    else write.reject(value);
  }
}

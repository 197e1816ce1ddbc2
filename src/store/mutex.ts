// A FIFO lock for async critical sections. better-sqlite3 is synchronous but transactions are async
// callbacks, so without this two transactions on one connection would interleave their statements.

export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier caller's `fn` has settled; its result or error passes through. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(fn);
    // The next caller waits for this one to settle, whether it succeeded or not.
    this.tail = result.then(noop, noop);
    return result;
  }
}

const noop = (): void => {};

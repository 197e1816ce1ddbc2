// Several processes on one database, and crashes: child processes (fixtures/store-child.ts) use the
// store while this process watches, races them, or kills them with SIGKILL.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import type { StoreConfig } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT_A as ACCOUNT } from '../helpers/accounts.ts';
import { BACKENDS, sqliteBackend, withStore } from './harness.ts';

const CHILD = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  /** Resolves with each line the child prints, in order. */
  lines: AsyncIterator<string>;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function startChild(mode: string, config: StoreConfig, n: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, JSON.stringify(config), String(n)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { process: child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator](), exited };
}

async function nextLine(child: Child): Promise<string> {
  const { value, done } = await child.lines.next();
  if (done) throw new Error(`child ${child.process.pid} ended early (exit ${String(await child.exited)})`);
  return value;
}

/** Starts the children, waits until every one is ready, releases them together, collects their answer. */
async function race<T>(mode: string, config: StoreConfig, count: number, n: number): Promise<T[]> {
  const children = Array.from({ length: count }, () => startChild(mode, config, n));
  try {
    for (const child of children) assert.equal(await nextLine(child), 'ready');
    // Every other child goes through the keys backwards, so that they collide in the middle.
    children.forEach((child, i) => child.process.stdin!.end(i % 2 === 0 ? 'go\n' : 'reverse\n'));
    const answers = await Promise.all(children.map(async (child) => JSON.parse(await nextLine(child)) as T));
    for (const child of children) assert.deepEqual(await child.exited, [0, null]);
    return answers;
  } finally {
    for (const child of children) child.process.kill('SIGKILL');
  }
}

describe('SQLite: several processes on one file', () => {
  test('two processes inserting the same keys: exactly one wins each', () =>
    withStore(sqliteBackend, async (store, backend) => {
      const n = 150;
      const [first, second] = await race<number[]>('race', backend.config, 2, n);
      assert.equal(first.length + second.length, n, 'no key won twice');
      assert.deepEqual([...new Set([...first, ...second])].sort((a, b) => a - b), [...Array(n).keys()]);
      assert.ok(first.length > 0 && second.length > 0, 'both processes really wrote');
      assert.equal(await store.read((tx) => tx.count(ACCOUNT, 'race')), n);
    }));

  test('processes leasing jobs from one file never share a job', () =>
    withStore(sqliteBackend, async (store, backend) => {
      const total = 90;
      await store.transaction(async (tx) => {
        for (let i = 0; i < total; i++) await tx.enqueueJob({ type: 't', account: ACCOUNT, runAt: 0, payload: i });
      });
      const leased = await race<string[]>('lease', backend.config, 3, 0);
      const all = leased.flat();
      assert.equal(new Set(all).size, all.length, 'no job leased twice');
      assert.equal(all.length, total);
    }));

  test('transactions of one process never interleave', () =>
    withStore(sqliteBackend, async (store) => {
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.transaction(async (tx) => {
            inside++;
            most = Math.max(most, inside);
            await tx.insert(ACCOUNT, 'seq', `k${i}`, {});
            await new Promise((resolve) => setImmediate(resolve));
            await tx.insert(ACCOUNT, 'seq', `k${i}-b`, {});
            inside--;
          }),
        ),
      );
      assert.equal(most, 1);
      assert.equal(await store.read((tx) => tx.count(ACCOUNT, 'seq')), 20);
    }));
});

for (const factory of BACKENDS) {
  describe(`${factory.label}: crash safety`, () => {
    test('a writer killed with SIGKILL loses no committed transaction and leaves none half-written', () =>
      withStore(factory, async (store, backend) => {
        const perTx = 12;
        const committed = new Map<number, number[]>();
        for (const stopAfter of [3, 10, 20]) {
          const child = startChild('crash', backend.config, perTx);
          const seen: number[] = [];
          let run = 0;
          const record = (line: string): void => {
            const [pid, i] = line.split(' ').map(Number);
            run = pid;
            seen.push(i);
          };
          while (seen.length < stopAfter) record(await nextLine(child));
          // Killed at a random moment of its loop: inside a transaction, in a commit, or between two.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
          child.process.kill('SIGKILL');
          assert.deepEqual(await child.exited, [null, 'SIGKILL']);
          // Every commit it reported before it died counts too.
          for (let next = await child.lines.next(); !next.done; next = await child.lines.next()) record(next.value);
          committed.set(run, seen);
        }
        // Reopen after the crashes, as iamd would on restart.
        const reopened: Store = await backend.open();
        try {
          const entities = await reopened.read((tx) => tx.list<{ run: number; tx: number }>(ACCOUNT, 'crash'));
          const sizes = new Map<string, number>();
          for (const { doc } of entities) sizes.set(`${doc.run}/${doc.tx}`, (sizes.get(`${doc.run}/${doc.tx}`) ?? 0) + 1);
          for (const [tx, size] of sizes) assert.equal(size, perTx, `transaction ${tx} is complete`);
          for (const [run, seen] of committed) {
            for (const i of seen) assert.equal(sizes.get(`${run}/${i}`), perTx, `committed transaction ${run}/${i} survived`);
          }
          const generation = await reopened.read((tx) => tx.generation(ACCOUNT));
          assert.equal(generation, sizes.size, 'one generation bump per complete transaction, no more');
        } finally {
          await reopened.close();
        }
        void store;
      }));
  });
}

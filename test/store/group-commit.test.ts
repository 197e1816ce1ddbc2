// Transactions that arrive together share one database transaction and commit (group commit), each
// in a savepoint of its own. Whatever the store does underneath, the contract is the same on both
// databases: one transaction's failure undoes only its own writes, each caller hears its own outcome,
// what was acknowledged is there after a reopen, and a generation bumped by a transaction that did not
// commit is never handed out as a number a cache could trust.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { BACKENDS, POSTGRES_URL, postgresBackend, type BackendFactory, withStore } from './harness.ts';

/** PostgreSQL with group commit on or off, whatever IAMD_GROUP_COMMIT says. */
const postgresWith = (groupCommit: boolean): BackendFactory =>
  Object.assign(
    () => {
      const backend = postgresBackend();
      const schema = backend.config.kind === 'postgres' ? backend.config.schema : undefined;
      return { ...backend, open: () => openPostgresStore(POSTGRES_URL, { schema, groupCommit }) };
    },
    { label: `postgres, group commit ${groupCommit ? 'on' : 'off'}` },
  );
const postgresBatched = postgresWith(true);
const postgresAlone = postgresWith(false);
const BATCHING = [BACKENDS[0]!, postgresBatched];

class Refused extends Error {
  constructor(readonly i: number) {
    super(`transaction ${i} refused`);
  }
}

// BACKENDS' PostgreSQL commits in groups (its default): also without.
for (const factory of [...BACKENDS, postgresAlone]) {
  const name = factory.label;
  describe(`concurrent transactions: ${name}`, () => {
    test('one failing among many undoes only its own writes, and each caller hears its own outcome', () =>
      withStore(factory, async (store) => {
        // Started in one tick, so on SQLite they run in one batch, one commit.
        const outcomes = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.insert(A, 'role', `r${String(i).padStart(2, '0')}`, { i });
              await tx.bumpGeneration(A);
              if (i === 7 || i === 13) throw new Refused(i);
              return i * 10;
            }),
          ),
        );
        outcomes.forEach((outcome, i) => {
          if (i === 7 || i === 13) {
            assert.equal(outcome.status, 'rejected');
            assert.equal(((outcome as PromiseRejectedResult).reason as Refused).i, i, 'the error goes to the transaction that threw it');
          } else assert.deepEqual(outcome, { status: 'fulfilled', value: i * 10 });
        });
        const keys = await store.read(async (tx) => (await tx.list(A, 'role')).map((e) => e.key));
        assert.deepEqual(keys, Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`).filter((k) => k !== 'r07' && k !== 'r13'));
        assert.equal(await store.read((tx) => tx.generation(A)), 18, 'the failed ones’ bumps are rolled back');
        assert.equal(await store.read((tx) => tx.count(A, 'role')), 18);
      }));

    test('a unique violation caught inside one transaction leaves it and the others usable', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.insert(A, 'user', 'taken', {}));
        const results = await Promise.all(
          ['a', 'taken', 'b'].map((key) =>
            store.transaction(async (tx) => {
              try {
                await tx.insert(A, 'user', key, {});
                return 'inserted';
              } catch {
                await tx.insert(A, 'user', `${key}-2`, {});
                return 'fallback';
              }
            }),
          ),
        );
        assert.deepEqual(results, ['inserted', 'fallback', 'inserted']);
        assert.deepEqual(await store.read(async (tx) => (await tx.list(A, 'user')).map((e) => e.key)), ['a', 'b', 'taken', 'taken-2']);
      }));

    test('every acknowledged write is there after a reopen', async () => {
      const backend = factory();
      try {
        let store = await backend.open();
        const acknowledged: string[] = [];
        await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            store
              .transaction(async (tx) => {
                await tx.insert(A, 'user', `u${i}`, { i });
                if (i % 9 === 4) throw new Refused(i);
              })
              .then(() => acknowledged.push(`u${i}`)),
          ),
        );
        await store.close();
        store = await backend.open();
        try {
          const stored = await store.read(async (tx) => (await tx.list(A, 'user')).map((e) => e.key));
          assert.deepEqual(stored.sort(), acknowledged.sort());
          assert.equal(acknowledged.length, 44);
        } finally {
          await store.close();
        }
      } finally {
        await backend.dispose();
      }
    });

    test('a generation bumped but not committed reads as NaN, equal to nothing a cache holds', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.bumpGeneration(A));
        const seen = await store.transaction(async (tx) => {
          const before = await tx.generation(A);
          await tx.bumpGeneration(A);
          return { before, after: await tx.generation(A), other: await tx.generation(B) };
        });
        assert.equal(seen.before, 1);
        assert.ok(Number.isNaN(seen.after));
        assert.equal(seen.other, 0, 'other accounts read as usual');
        assert.equal(await store.read((tx) => tx.generation(A)), 2, 'committed, it reads as a number again');
      }));
  });
}

for (const factory of BATCHING) {
  describe(`group commit: ${factory.label}`, () => {
    test('a transaction after another one’s bump in the same batch reads NaN too, and a rolled-back bump leaves the number', () =>
      withStore(factory, async (store) => {
        const [, second] = await Promise.allSettled([
          store.transaction(async (tx) => {
            await tx.bumpGeneration(A);
            throw new Refused(0);
          }),
          store.transaction((tx) => tx.generation(A)),
        ]);
        assert.equal(second.status, 'fulfilled');
        assert.ok(Number.isNaN((second as PromiseFulfilledResult<number>).value), 'the batch saw an uncommitted bump');
        assert.equal(await store.read((tx) => tx.generation(A)), 0, 'the rolled-back bump is gone');
      }));

    test('transactions that arrive while a batch runs share the next commit, in arrival order', () =>
      withStore(factory, async (store) => {
        // The first batch holds the write lock until its callback resolves; meanwhile 30 more queue.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const first = store.transaction(async (tx) => {
          await tx.insert(A, 'user', 'first', {});
          await held;
        });
        await new Promise((resolve) => setImmediate(resolve));
        const order: number[] = [];
        const queued = Array.from({ length: 30 }, (_, i) =>
          store.transaction(async (tx) => {
            order.push(i);
            await tx.insert(A, 'user', `q${i}`, {});
            // The first one bumps; the others read NaN only if they run in its (uncommitted) transaction.
            if (i === 0) await tx.bumpGeneration(A);
            return tx.generation(A);
          }),
        );
        release();
        await first;
        const generations = await Promise.all(queued);
        assert.deepEqual(order, [...Array(30).keys()], 'they run one after another, in arrival order');
        assert.ok(generations.every(Number.isNaN), 'all 30 ran in one transaction');
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 31);
        assert.equal(await store.read((tx) => tx.generation(A)), 1);
      }));
  });
}

// A statement PostgreSQL refuses whatever the data (a NUL byte in a text value): the member's own failure.
const REFUSED_KEY = 'nul\u0000byte';

for (const [name, factory] of [['group commit on', postgresBatched], ['group commit off', postgresAlone]] as const) {
  describe(`PostgreSQL, ${name}: a statement still running when its transaction's callback returns`, () => {
    test('fails that transaction alone, with that statement’s error; the others commit', () =>
      withStore(factory, async (store) => {
        const outcomes = await Promise.allSettled(
          ['before', 'careless', 'after'].map((key) =>
            store.transaction(async (tx) => {
              await tx.insert(A, 'user', key, {});
              if (key === 'careless') {
                // Not awaited: the callback returns while this statement is still on its way.
                tx.insert(A, 'user', REFUSED_KEY, {}).catch(() => {});
              }
              return key;
            }),
          ),
        );
        assert.deepEqual(outcomes[0], { status: 'fulfilled', value: 'before' });
        assert.deepEqual(outcomes[2], { status: 'fulfilled', value: 'after' });
        assert.equal(outcomes[1]!.status, 'rejected');
        const reason = (outcomes[1] as PromiseRejectedResult).reason as { code?: string };
        assert.equal(reason.code, '22021', 'the careless member hears its own statement’s error');
        assert.deepEqual(await store.read(async (tx) => (await tx.list(A, 'user')).map((e) => e.key)), ['after', 'before']);
      }));
  });
}

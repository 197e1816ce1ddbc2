// Entity counters (src/store/counters.ts): kept by triggers in the writing transaction, so they stay
// equal to the rows under concurrent creates and deletes, after rolled-back transactions and
// savepoints, and from the migration that introduces them over data already there.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { atVersion, insertSql, LAYOUTS, withStore } from './harness.ts';

/** The number of rows, counted the slow way (a listing), to compare the counter with. */
const rows = (store: Store, account: string, kind: string): Promise<number> => store.read(async (tx) => (await tx.list(account, kind)).length);
const counted = (store: Store, account: string, kind: string): Promise<number> => store.read((tx) => tx.count(account, kind));

/** Each ref's count, read from the counters one by one and together, which must agree. */
async function refCounts(store: Store, account: string, kind: string, refs: string[]): Promise<number[]> {
  return store.read(async (tx) => {
    const together = await tx.countRefs(account, kind, refs);
    const one = await Promise.all(refs.map((ref) => tx.count(account, kind, { ref })));
    assert.deepEqual(one, together);
    return together;
  });
}

const policy = (versions: number) => ({ versions: Array.from({ length: versions }, (_, i) => ({ id: `v${i + 1}` })) });

for (const factory of LAYOUTS) {
  const name = factory.label;
  describe(`entity counters: ${name}`, () => {
    test('stay equal to the rows under concurrent creates and deletes, some of them rolled back', () =>
      withStore(factory, async (store) => {
        const failed = new Error('rolled back on purpose');
        const create = (i: number) =>
          store.transaction(async (tx) => {
            await tx.insert(A, 'role', `r${i}`, { i });
            if (i % 5 === 0) throw failed;
          });
        const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => create(i)));
        assert.equal(results.filter((r) => r.status === 'rejected').length, 12);
        assert.equal(await counted(store, A, 'role'), 48);
        const removals = await Promise.allSettled(
          Array.from({ length: 60 }, (_, i) =>
            store.transaction(async (tx) => {
              const removed = await tx.delete(A, 'role', `r${i}`);
              if (i % 7 === 0) throw failed;
              return removed;
            }),
          ),
        );
        // 48 roles; the deletions of r7, r14, r21, r28, r42, r49 and r56 roll back.
        assert.equal(removals.filter((r) => r.status === 'fulfilled' && r.value === true).length, 41);
        assert.equal(await rows(store, A, 'role'), 7);
        assert.equal(await counted(store, A, 'role'), 7);
        assert.equal(await counted(store, B, 'role'), 0, 'each account has its own counter');
      }));

    test('a counted kind reads its counter; a ref or a prefix counts the rows', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          await tx.insert(A, 'user', 'alice', {}, 'x');
          await tx.insert(A, 'user', 'bob', {});
          await tx.insert(A, 'attachment', 'a/1', {}, 'arn');
          await tx.insert('', 'role', 'global', {});
        });
        assert.equal(await counted(store, A, 'user'), 2);
        assert.equal(await store.read((tx) => tx.count(A, 'user', { ref: 'x' })), 1);
        assert.equal(await store.read((tx) => tx.count(A, 'user', { keyPrefix: 'b' })), 1);
        assert.equal(await counted(store, A, 'attachment'), 1, 'an uncounted kind is counted row by row');
        assert.equal(await counted(store, '', 'role'), 1, 'global entities are counted row by row');
        await assert.rejects(store.read((tx) => tx.count(A, 'attachment', { withRef: true })), /not counted/);
      }));

    test('entities holding a ref and array lengths follow updates', () =>
      withStore(factory, async (store) => {
        const devices = () => store.read(async (tx) => [await tx.count(A, 'mfa-device'), await tx.count(A, 'mfa-device', { withRef: true })]);
        const versions = () => store.read((tx) => tx.itemTotal(A, 'policy', 'versions'));
        await store.transaction(async (tx) => {
          await tx.insert(A, 'mfa-device', 'd1', {});
          await tx.insert(A, 'mfa-device', 'd2', {}, 'user/U1');
          await tx.insert(A, 'policy', 'p1', policy(1));
          await tx.insert(A, 'policy', 'p2', policy(3));
        });
        assert.deepEqual(await devices(), [2, 1]);
        assert.equal(await versions(), 4);
        await store.transaction(async (tx) => {
          await tx.update(A, 'mfa-device', 'd1', {}, 'root');
          await tx.update(A, 'mfa-device', 'd2', { spent: 1 }); // keeps its ref
          await tx.update(A, 'policy', 'p1', policy(5));
        });
        assert.deepEqual(await devices(), [2, 2]);
        assert.equal(await versions(), 8);
        await store.transaction(async (tx) => {
          await tx.update(A, 'mfa-device', 'd2', {}, null);
          await tx.delete(A, 'mfa-device', 'd1');
          await tx.delete(A, 'policy', 'p2');
        });
        assert.deepEqual(await devices(), [1, 0]);
        assert.equal(await versions(), 5);
        await store.transaction((tx) => tx.deleteAccount(A));
        assert.deepEqual(await devices(), [0, 0]);
        assert.equal(await versions(), 0);
        assert.equal(await counted(store, A, 'policy'), 0);
      }));

    test('the migration that adds counters fills them from the rows already there', async () => {
      const backend = factory();
      try {
        const insert = (account: string, kind: string, key: string, doc: unknown, ref: string | null = null) =>
          `INSERT INTO entities (account, kind, key, ref, doc) VALUES ('${account}', '${kind}', '${key}', ${ref === null ? 'NULL' : `'${ref}'`}, '${JSON.stringify(doc)}')`;
        await atVersion(2, backend, [
          insert(A, 'role', 'r1', {}),
          insert(A, 'role', 'r2', {}),
          insert(B, 'role', 'r1', {}),
          insert(A, 'policy', 'p1', policy(2)),
          insert(A, 'policy', 'p2', policy(3)),
          insert(A, 'mfa-device', 'd1', {}, 'root'),
          insert(A, 'mfa-device', 'd2', {}),
          insert('', 'role', 'g', {}),
        ]);
        const store = await backend.open();
        try {
          assert.equal(await counted(store, A, 'role'), 2);
          assert.equal(await counted(store, B, 'role'), 1);
          assert.equal(await counted(store, A, 'policy'), 2);
          assert.equal(await store.read((tx) => tx.itemTotal(A, 'policy', 'versions')), 5);
          assert.equal(await store.read((tx) => tx.count(A, 'mfa-device', { withRef: true })), 1);
          // And the triggers keep counting from there.
          await store.transaction((tx) => tx.insert(A, 'role', 'r3', {}));
          assert.equal(await counted(store, A, 'role'), 3);
        } finally {
          await store.close();
        }
      } finally {
        await backend.dispose();
      }
    });

    test('ref counters follow inserts, ref changes and deletes, rolled-back ones and whole accounts', () =>
      withStore(factory, async (store) => {
        const failed = new Error('rolled back on purpose');
        await store.transaction(async (tx) => {
          await tx.insert(A, 'attachment', 'user/a/p1', {}, 'p1');
          await tx.insert(A, 'attachment', 'role/r/p1', {}, 'p1');
          await tx.insert(A, 'attachment', 'role/r/p2', {}, 'p2');
          await tx.insert(A, 'boundary-use', 'user/a', {}, 'p1');
          await tx.insert(B, 'attachment', 'user/a/p1', {}, 'p1');
        });
        assert.deepEqual(await refCounts(store, A, 'attachment', ['p1', 'p2', 'p3']), [2, 1, 0]);
        assert.deepEqual(await refCounts(store, A, 'boundary-use', ['p1', 'p2']), [1, 0]);
        assert.deepEqual(await refCounts(store, B, 'attachment', ['p1']), [1]);
        // Concurrent writers, every third rolled back.
        const results = await Promise.allSettled(
          Array.from({ length: 30 }, (_, i) =>
            store.transaction(async (tx) => {
              await tx.insert(A, 'attachment', `group/g${i}/p3`, {}, 'p3');
              if (i % 3 === 0) throw failed;
            }),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'rejected').length, 10);
        assert.deepEqual(await refCounts(store, A, 'attachment', ['p3']), [20]);
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment')), ['p1', 'p2', 'p3']);
        await store.transaction(async (tx) => {
          await tx.update(A, 'boundary-use', 'user/a', { moved: true }, 'p2'); // moves the use
          await tx.update(A, 'attachment', 'role/r/p2', { same: true }); // keeps its ref
          await tx.update(A, 'attachment', 'user/a/p1', {}, null); // holds none any more
          await tx.delete(A, 'attachment', 'role/r/p1');
        });
        assert.deepEqual(await refCounts(store, A, 'attachment', ['p1', 'p2']), [0, 1]);
        assert.deepEqual(await refCounts(store, A, 'boundary-use', ['p1', 'p2']), [0, 1]);
        // Refs at 0 are gone from the refs in use; ranges read by prefix and marker.
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment')), ['p2', 'p3']);
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment', { refPrefix: 'p', after: 'p2', limit: 5 })), ['p3']);
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment', { limit: 1 })), ['p2']);
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment', { refPrefix: 'q' })), []);
        // A savepoint rolled back (a failing callback in a group commit, or a caught error) undoes its counts.
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.delete(A, 'attachment', 'role/r/p2');
            throw failed;
          }),
        );
        assert.deepEqual(await refCounts(store, A, 'attachment', ['p2']), [1]);
        await store.transaction((tx) => tx.deleteAccount(A));
        assert.deepEqual(await refCounts(store, A, 'attachment', ['p1', 'p2', 'p3']), [0, 0, 0]);
        assert.deepEqual(await refCounts(store, A, 'boundary-use', ['p2']), [0]);
        assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment')), []);
        assert.deepEqual(await refCounts(store, B, 'attachment', ['p1']), [1], 'another account keeps its counts');
        await assert.rejects(store.read((tx) => tx.countRefs(A, 'role', ['x'])), /not counted per ref/);
      }));

    test('the migration that adds ref counters fills them from a store at version 4', async () => {
      const backend = factory();
      try {
        await atVersion(4, backend, [
          insertSql(A, 'attachment', 'user/a/p1', {}, 'p1'),
          insertSql(A, 'attachment', 'role/r/p1', {}, 'p1'),
          insertSql(A, 'attachment', 'role/r/aws', {}, 'aws'),
          insertSql(A, 'boundary-use', 'user/a', {}, 'p1'),
          insertSql(B, 'attachment', 'user/a/p1', {}, 'p1'),
          insertSql(A, 'membership', 'g/a', {}, 'a'),
        ]);
        const store = await backend.open();
        try {
          assert.deepEqual(await refCounts(store, A, 'attachment', ['p1', 'aws', 'p2']), [2, 1, 0]);
          assert.deepEqual(await refCounts(store, A, 'boundary-use', ['p1']), [1]);
          assert.deepEqual(await refCounts(store, B, 'attachment', ['p1']), [1]);
          assert.deepEqual(await store.read((tx) => tx.refsInUse(A, 'attachment')), ['aws', 'p1']);
          // And the triggers keep counting from there.
          await store.transaction(async (tx) => {
            await tx.delete(A, 'attachment', 'user/a/p1');
            await tx.delete(A, 'boundary-use', 'user/a');
            await tx.insert(A, 'attachment', 'group/g/p2', {}, 'p2');
          });
          assert.deepEqual(await refCounts(store, A, 'attachment', ['p1', 'aws', 'p2']), [1, 1, 1]);
          assert.deepEqual(await refCounts(store, A, 'boundary-use', ['p1']), [0]);
        } finally {
          await store.close();
        }
      } finally {
        await backend.dispose();
      }
    });
  });
}

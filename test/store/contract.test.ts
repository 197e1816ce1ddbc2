// The Store contract, run against every implementation.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareKeys } from '../../src/store/range.ts';
import { type Store, UniqueViolation } from '../../src/store/types.ts';
import { ACCOUNT_A as A, ACCOUNT_B as B } from '../helpers/accounts.ts';
import { LAYOUTS, withStore } from './harness.ts';

const keysOf = (entities: { key: string }[]): string[] => entities.map((e) => e.key);

async function insertAll(store: Store, account: string, kind: string, keys: string[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const key of keys) await tx.insert(account, kind, key, { key });
  });
}

for (const factory of LAYOUTS) {
  const name = factory.label;
  // Probe objects are cheap; the real backend is made per test by withStore.
  describe(`store contract: ${name}`, () => {
    test('insert, get, update, delete', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          await tx.insert(A, 'user', 'alice', { name: 'Alice', n: 1 }, 'ref-1');
          await tx.insert(A, 'user', 'bob', { name: 'Bob' });
        });
        assert.deepEqual(await store.read((tx) => tx.get(A, 'user', 'alice')), {
          account: A,
          kind: 'user',
          key: 'alice',
          ref: 'ref-1',
          doc: { name: 'Alice', n: 1 },
        });
        assert.equal((await store.read((tx) => tx.get(A, 'user', 'bob')))?.ref, null);
        assert.equal(await store.read((tx) => tx.get(B, 'user', 'alice')), undefined, 'accounts are separate');
        assert.equal(await store.read((tx) => tx.get(A, 'role', 'alice')), undefined, 'kinds are separate');
        assert.equal(await store.read((tx) => tx.get(A, 'user', 'ALICE')), undefined, 'keys are case-sensitive');

        await store.transaction(async (tx) => {
          assert.equal(await tx.update(A, 'user', 'alice', { name: 'Alice', n: 2 }), true);
          assert.equal(await tx.update(A, 'user', 'carol', { name: 'Carol' }), false);
        });
        const alice = await store.read((tx) => tx.get(A, 'user', 'alice'));
        assert.deepEqual(alice?.doc, { name: 'Alice', n: 2 });
        assert.equal(alice?.ref, 'ref-1', 'an update without ref keeps the ref');
        await store.transaction((tx) => tx.update(A, 'user', 'alice', { n: 3 }, 'ref-2'));
        assert.equal((await store.read((tx) => tx.get(A, 'user', 'alice')))?.ref, 'ref-2');
        await store.transaction((tx) => tx.update(A, 'user', 'alice', { n: 4 }, null));
        assert.equal((await store.read((tx) => tx.get(A, 'user', 'alice')))?.ref, null);

        assert.equal(await store.transaction((tx) => tx.delete(A, 'user', 'alice')), true);
        assert.equal(await store.transaction((tx) => tx.delete(A, 'user', 'alice')), false);
        assert.equal(await store.read((tx) => tx.get(A, 'user', 'alice')), undefined);
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 1);
      }));

    test('documents round-trip exactly', () =>
      withStore(factory, async (store) => {
        const docs: unknown[] = [
          { z: 1, a: [1, 'two', null, { nested: true }], '%': 'é😀\u0000' },
          'a plain string',
          42.5,
          null,
          [],
        ];
        await store.transaction(async (tx) => {
          for (const [i, doc] of docs.entries()) await tx.insert(A, 'doc', String(i), doc);
        });
        const read = await store.read((tx) => tx.list(A, 'doc'));
        assert.deepEqual(
          read.map((e) => e.doc),
          docs,
        );
        assert.deepEqual(Object.keys(read[0].doc as object), ['z', 'a', '%'], 'key order is kept');
      }));

    test('insert of a taken key throws UniqueViolation and the transaction goes on', () =>
      withStore(factory, async (store) => {
        await insertAll(store, A, 'role', ['admin']);
        const error = await store
          .transaction((tx) => tx.insert(A, 'role', 'admin', { again: true }))
          .catch((e: unknown) => e);
        assert.ok(error instanceof UniqueViolation);
        assert.equal(error.kind, 'role');
        assert.equal(error.key, 'admin');
        assert.deepEqual((await store.read((tx) => tx.get(A, 'role', 'admin')))?.doc, { key: 'admin' });

        // Same key in another account or kind is not a conflict; a caught violation leaves the tx usable.
        await store.transaction(async (tx) => {
          await assert.rejects(tx.insert(A, 'role', 'admin', {}), UniqueViolation);
          await tx.insert(B, 'role', 'admin', {});
          await tx.insert(A, 'user', 'admin', {});
        });
        assert.equal(await store.read((tx) => tx.count(B, 'role')), 1);
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 1);
      }));

    test('a transaction whose callback throws rolls back everything and rethrows the same error', () =>
      withStore(factory, async (store) => {
        await insertAll(store, A, 'user', ['keep']);
        const boom = new Error('boom');
        const thrown = await store
          .transaction(async (tx) => {
            await tx.insert(A, 'user', 'new', {});
            await tx.update(A, 'user', 'keep', { changed: true });
            await tx.bumpGeneration(A);
            await tx.enqueueJob({ type: 'cleanup', account: A, runAt: 0, payload: {} });
            await tx.delete(A, 'user', 'keep');
            throw boom;
          })
          .catch((e: unknown) => e);
        assert.equal(thrown, boom);
        assert.deepEqual(keysOf(await store.read((tx) => tx.list(A, 'user'))), ['keep']);
        assert.deepEqual((await store.read((tx) => tx.get(A, 'user', 'keep')))?.doc, { key: 'keep' });
        assert.equal(await store.read((tx) => tx.generation(A)), 0);
        assert.deepEqual(await store.leaseJobs({ types: ['cleanup'], owner: 'w', now: 1, leaseMs: 10, limit: 10 }), []);
        // The store is still usable afterwards.
        await insertAll(store, A, 'user', ['after']);
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 2);
      }));

    test('uncommitted writes are invisible to read()', () =>
      withStore(factory, async (store) => {
        let seenInside: unknown = 'not checked';
        await store.transaction(async (tx) => {
          await tx.insert(A, 'user', 'pending', {});
          assert.ok(await tx.get(A, 'user', 'pending'), 'a transaction sees its own writes');
          seenInside = await store.read((r) => r.get(A, 'user', 'pending'));
        });
        assert.equal(seenInside, undefined);
        assert.ok(await store.read((tx) => tx.get(A, 'user', 'pending')));
      }));

    test('a read-only view reading an entity twice: the same document, each caller its own copy', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.insert(A, 'role', 'r', { name: 'r', tags: ['a'] }, 'ref-1'));
        let leaked: Parameters<Parameters<Store['read']>[0]>[0] | undefined;
        await store.read(async (tx) => {
          leaked = tx;
          const first = await tx.get<{ name: string; tags: string[] }>(A, 'role', 'r');
          first!.doc.tags.push('changed by the first reader');
          const second = await tx.get<{ name: string; tags: string[] }>(A, 'role', 'r');
          assert.deepEqual(second, { account: A, kind: 'role', key: 'r', ref: 'ref-1', doc: { name: 'r', tags: ['a'] } });
          assert.equal(await tx.get(A, 'role', 'absent'), undefined);
          assert.equal(await tx.get(A, 'role', 'absent'), undefined);
        });
        await assert.rejects(leaked!.get(A, 'role', 'r'), /ended/, 'a row read before is not answered after the view ended');
      }));

    test('read() refuses writes; a Tx is dead once its transaction ended', () =>
      withStore(factory, async (store) => {
        await assert.rejects(store.read((tx) => tx.insert(A, 'user', 'x', {})), /read-only/);
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 0);
        let leaked: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await assert.rejects(leaked!.insert(A, 'user', 'late', {}), /ended/);
        await assert.rejects(leaked!.get(A, 'user', 'late'), /ended/);
        assert.equal(await store.read((tx) => tx.get(A, 'user', 'late')), undefined);
      }));

    test('list: ascending by key, with prefix, after and limit; keys may hold LIKE wildcards', () =>
      withStore(factory, async (store) => {
        const keys = ['a', 'a%', 'a%b', 'a_', 'a_b', 'ab', 'a/b', 'a/c', 'A', 'b', 'abc', 'a\\', 'a\\b'];
        await insertAll(store, A, 'k', keys);
        await insertAll(store, A, 'other', ['a1']);
        await insertAll(store, B, 'k', ['a2']);
        const list = async (options?: { keyPrefix?: string; after?: string; limit?: number }) =>
          keysOf(await store.read((tx) => tx.list(A, 'k', options)));
        const sorted = [...keys].sort(compareKeys);
        assert.deepEqual(await list(), sorted);
        assert.deepEqual(await list({ keyPrefix: 'a%' }), ['a%', 'a%b']);
        assert.deepEqual(await list({ keyPrefix: 'a_' }), ['a_', 'a_b']);
        assert.deepEqual(await list({ keyPrefix: 'a/' }), ['a/b', 'a/c']);
        assert.deepEqual(await list({ keyPrefix: 'a\\' }), ['a\\', 'a\\b']);
        assert.deepEqual(await list({ keyPrefix: 'A' }), ['A'], 'prefixes are case-sensitive');
        assert.deepEqual(await list({ keyPrefix: 'ab' }), ['ab', 'abc']);
        assert.deepEqual(await list({ keyPrefix: 'zz' }), []);
        assert.deepEqual(await list({ after: 'ab' }), sorted.filter((k) => compareKeys(k, 'ab') > 0));
        assert.deepEqual(await list({ after: 'a%', limit: 2 }), ['a%b', 'a/b']);
        assert.deepEqual(await list({ keyPrefix: 'a', after: 'a_', limit: 3 }), ['a_b', 'ab', 'abc'], 'backslash sorts before underscore');
        assert.deepEqual(await list({ keyPrefix: 'ab', after: 'a' }), ['ab', 'abc'], 'after before the prefix');
        assert.deepEqual(await list({ keyPrefix: 'a%', after: 'b' }), [], 'after beyond the prefix');
        assert.deepEqual(await list({ limit: 0 }), []);
        assert.deepEqual(await list({ limit: 1 }), [sorted[0]]);
      }));

    test('listStored: the rows list reads, each document as the JSON text it was stored as, new text after an update', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          await tx.insert(A, 'role', 'a', { z: 1, a: 'é😀' }, 'ref-a');
          await tx.insert(A, 'role', 'b', { n: 2 });
          await tx.insert(A, 'role', 'c', { n: 3 });
        });
        const stored = await store.read((tx) => tx.listStored(A, 'role', { after: 'a', limit: 5 }));
        assert.deepEqual(stored, [
          { key: 'b', ref: null, text: '{"n":2}' },
          { key: 'c', ref: null, text: '{"n":3}' },
        ]);
        const [first] = await store.read((tx) => tx.listStored(A, 'role', { keyPrefix: 'a' }));
        assert.deepEqual(first, { key: 'a', ref: 'ref-a', text: '{"z":1,"a":"é😀"}' });
        assert.deepEqual(JSON.parse(first!.text), (await store.read((tx) => tx.get(A, 'role', 'a')))!.doc);
        await store.transaction((tx) => tx.update(A, 'role', 'a', { z: 2, a: 'é😀' }));
        assert.equal((await store.read((tx) => tx.listStored(A, 'role', { limit: 1 })))[0]!.text, '{"z":2,"a":"é😀"}');
        assert.deepEqual(await store.read((tx) => tx.listStored(A, 'role', { limit: 0 })), []);
      }));

    test('list, count and prefixes agree with code point order for any keys (property)', () =>
      withStore(factory, async (store) => {
        const alphabet = ['a', 'b', 'A', '%', '_', '/', '\\', 'é', '\u{ffff}', '\u{e000}', '😀', '\u{10ffff}', ' '];
        const keyArb = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
        const keys = [...new Set(fc.sample(keyArb, { numRuns: 150, seed: 42 }))];
        await insertAll(store, A, 'p', keys);
        const model = [...keys].sort(compareKeys);
        await fc.assert(
          fc.asyncProperty(
            fc.option(fc.array(fc.constantFrom(...alphabet), { maxLength: 2 }).map((cs) => cs.join('')), { nil: undefined }),
            fc.option(keyArb, { nil: undefined }),
            fc.option(fc.nat(20), { nil: undefined }),
            async (keyPrefix, after, limit) => {
              const expected = model
                .filter((k) => keyPrefix === undefined || k.startsWith(keyPrefix))
                .filter((k) => after === undefined || compareKeys(k, after) > 0)
                .slice(0, limit ?? Infinity);
              const got = await store.read((tx) => tx.list(A, 'p', { keyPrefix, after, limit }));
              assert.deepEqual(keysOf(got), expected);
              const keyRefs = await store.read((tx) => tx.listKeyRefs(A, 'p', { keyPrefix, after, limit }));
              assert.deepEqual(keyRefs, expected.map((key) => ({ key, ref: null })), 'listKeyRefs answers what list does');
              const count = await store.read((tx) => tx.count(A, 'p', { keyPrefix }));
              assert.equal(count, model.filter((k) => keyPrefix === undefined || k.startsWith(keyPrefix)).length);
            },
          ),
          { numRuns: 60, seed: 7 },
        );
      }));

    test('listByRef and count by ref and prefix', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          await tx.insert(A, 'attachment', 'role-b|p1', {}, 'arn:p1');
          await tx.insert(A, 'attachment', 'role-a|p1', {}, 'arn:p1');
          await tx.insert(A, 'attachment', 'role-a|p2', {}, 'arn:p2');
          await tx.insert(A, 'attachment', 'user-x|p1', {}, 'arn:p1');
          await tx.insert(A, 'other', 'z', {}, 'arn:p1');
          await tx.insert(B, 'attachment', 'role-a|p1', {}, 'arn:p1');
        });
        assert.deepEqual(keysOf(await store.read((tx) => tx.listByRef(A, 'attachment', 'arn:p1'))), [
          'role-a|p1',
          'role-b|p1',
          'user-x|p1',
        ]);
        assert.deepEqual(await store.read((tx) => tx.listByRef(A, 'attachment', 'arn:none')), []);
        assert.deepEqual(await store.read((tx) => tx.listKeyRefs(A, 'attachment', { keyPrefix: 'role-a' })), [
          { key: 'role-a|p1', ref: 'arn:p1' },
          { key: 'role-a|p2', ref: 'arn:p2' },
        ]);
        assert.equal(await store.read((tx) => tx.count(A, 'attachment')), 4);
        assert.equal(await store.read((tx) => tx.count(A, 'attachment', { ref: 'arn:p1' })), 3);
        assert.equal(await store.read((tx) => tx.count(A, 'attachment', { keyPrefix: 'role-' })), 3);
        assert.equal(await store.read((tx) => tx.count(A, 'attachment', { ref: 'arn:p1', keyPrefix: 'role-' })), 2);
        assert.equal(await store.read((tx) => tx.count(A, 'nothing')), 0);
        // Several refs in one read: each entity once, ascending by key, whatever order the refs come in.
        assert.deepEqual(keysOf(await store.read((tx) => tx.listByRefs(A, 'attachment', ['arn:p2', 'arn:none', 'arn:p1']))), [
          'role-a|p1',
          'role-a|p2',
          'role-b|p1',
          'user-x|p1',
        ]);
        assert.deepEqual(await store.read((tx) => tx.listByRefs(A, 'attachment', [])), []);
      }));

    test('listUnder: what list answers for each prefix, together in key order; prefixes that nest are refused', () =>
      withStore(factory, async (store) => {
        // Owner keys whose order differs from their prefixes' ('a-b/' sorts before 'a/'), and LIKE wildcards.
        const keys = ['role/a/p1', 'role/a/p2', 'role/a-b/p1', 'role/a0/p1', 'role/b%_/p1', 'role/c/p1', 'user/a/p1'];
        await store.transaction(async (tx) => {
          for (const key of keys) await tx.insert(A, 'inline', key, { key }, key.endsWith('1') ? 'one' : null);
          await tx.insert(B, 'inline', 'role/a/p1', {});
          await tx.insert(A, 'other', 'role/a/p1', {});
        });
        const under = (prefixes: string[]) => store.read((tx) => tx.listUnder<{ key: string }>(A, 'inline', prefixes));
        const found = await under(['role/c/', 'role/a/', 'role/b%_/', 'role/none/', 'role/a/']);
        assert.deepEqual(keysOf(found), ['role/a/p1', 'role/a/p2', 'role/b%_/p1', 'role/c/p1']);
        assert.deepEqual(found.map((e) => [e.account, e.kind, e.ref, e.doc.key]), [
          [A, 'inline', 'one', 'role/a/p1'], [A, 'inline', null, 'role/a/p2'], [A, 'inline', 'one', 'role/b%_/p1'], [A, 'inline', 'one', 'role/c/p1'],
        ]);
        for (const prefixes of [['role/a-b/', 'role/a/'], ['role/a0/', 'user/']]) {
          const each = (await Promise.all(prefixes.map((keyPrefix) => store.read((tx) => tx.list(A, 'inline', { keyPrefix }))))).flat();
          assert.deepEqual(keysOf(await under(prefixes)), keysOf(each).sort(compareKeys), 'the same as list, prefix by prefix');
        }
        assert.deepEqual(await under([]), []);
        await assert.rejects(under(['role/a/', 'role/']), /starts with another/);
      }));

    test('generations start at 0 and only ever grow', () =>
      withStore(factory, async (store) => {
        assert.equal(await store.read((tx) => tx.generation(A)), 0);
        assert.equal(await store.transaction((tx) => tx.bumpGeneration(A)), 1);
        assert.equal(await store.transaction((tx) => tx.bumpGeneration(A)), 2);
        assert.equal(await store.read((tx) => tx.generation(A)), 2);
        assert.equal(await store.read((tx) => tx.generation(B)), 0);
        await store.transaction((tx) => tx.deleteAccount(A));
        assert.equal(await store.read((tx) => tx.generation(A)), 3, 'deleting an account must not rewind caches');
        await store.wipe();
        assert.equal(await store.read((tx) => tx.generation(A)), 4, 'nor must a wipe');
      }));

    test('deleteAccount removes the entities and jobs of that account only', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          for (const account of [A, B]) {
            await tx.insert(account, 'user', 'u', {});
            await tx.insert(account, 'role', 'r', {}, 'x');
            await tx.enqueueJob({ type: 'task', account, runAt: 0, payload: { account } });
          }
        });
        await store.transaction((tx) => tx.deleteAccount(A));
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 0);
        assert.equal(await store.read((tx) => tx.count(A, 'role')), 0);
        assert.equal(await store.read((tx) => tx.count(B, 'user')), 1);
        const jobs = await store.leaseJobs({ types: ['task'], owner: 'w', now: 1, leaseMs: 1000, limit: 10 });
        assert.deepEqual(
          jobs.map((j) => j.account),
          [B],
        );
      }));

    test('wipe drops every entity and job', () =>
      withStore(factory, async (store) => {
        await store.transaction(async (tx) => {
          await tx.insert(A, 'user', 'u', {});
          await tx.insert('', 'accesskey', 'AKIA', {});
          await tx.enqueueJob({ type: 'task', account: A, runAt: 0, payload: null });
        });
        await store.wipe();
        assert.equal(await store.read((tx) => tx.count(A, 'user')), 0);
        assert.equal(await store.read((tx) => tx.count('', 'accesskey')), 0);
        assert.deepEqual(await store.leaseJobs({ types: ['task'], owner: 'w', now: 1, leaseMs: 1, limit: 1 }), []);
      }));

    test('jobs: enqueue, lease due ones, lease expiry, finish by owner only', () =>
      withStore(factory, async (store) => {
        const ids = await store.transaction(async (tx) => [
          await tx.enqueueJob({ type: 'slr-delete', account: A, runAt: 100, payload: { step: 1 } }),
          await tx.enqueueJob({ type: 'slr-delete', account: A, runAt: 50, payload: { step: 1 }, id: 'fixed-id' }),
          await tx.enqueueJob({ type: 'lifecycle', account: B, runAt: 10, payload: 'p' }),
          await tx.enqueueJob({ type: 'slr-delete', account: A, runAt: 500, payload: {} }),
        ]);
        assert.match(ids[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(ids[1], 'fixed-id');
        await assert.rejects(
          store.transaction((tx) => tx.enqueueJob({ type: 'x', account: A, runAt: 0, payload: {}, id: 'fixed-id' })),
          UniqueViolation,
        );

        const lease = (owner: string, now: number, limit = 10, types = ['slr-delete'], leaseMs = 1000) =>
          store.leaseJobs({ types, owner, now, leaseMs, limit });
        assert.deepEqual(await lease('w1', 49), [], 'nothing due yet');
        const first = await lease('w1', 100);
        assert.deepEqual(
          first.map((j) => [j.id, j.runAt, j.attempts]),
          [
            ['fixed-id', 50, 1],
            [ids[0], 100, 1],
          ],
        );
        assert.deepEqual(first[0].payload, { step: 1 });
        assert.equal(first[0].type, 'slr-delete');
        assert.equal(first[0].account, A);
        assert.deepEqual(await lease('w2', 600, 1, ['slr-delete'], 1_000_000), [
          { id: ids[3], type: 'slr-delete', account: A, runAt: 500, attempts: 1, payload: {} },
        ]);
        assert.deepEqual(await lease('w2', 1099), [], 'leases of w1 still run until 1100');
        assert.deepEqual(
          (await lease('w3', 10, 10, ['lifecycle', 'other'])).map((j) => j.id),
          [ids[2]],
          'types filter',
        );

        // w1 finishes one job and reschedules the other.
        assert.equal(await store.transaction((tx) => tx.finishJob('fixed-id', 'w2', { done: true })), false);
        assert.equal(await store.transaction((tx) => tx.finishJob('fixed-id', 'w1', { done: true })), true);
        assert.equal(await store.transaction((tx) => tx.finishJob('fixed-id', 'w1', { done: true })), false);
        assert.equal(
          await store.transaction((tx) => tx.finishJob(ids[0], 'w1', { done: false, runAt: 2000, payload: { step: 2 } })),
          true,
        );
        assert.deepEqual(await lease('w2', 1999), [], 'rescheduled job is not due before its runAt');
        const again = await lease('w2', 2000);
        assert.deepEqual(
          again.map((j) => [j.id, j.attempts, j.payload]),
          [[ids[0], 2, { step: 2 }]],
        );

        // w2 dies: its lease runs out at 3000 and w3 takes the job over; w2 can no longer finish it.
        assert.deepEqual(await lease('w3', 2999), []);
        const takenOver = await lease('w3', 3000);
        assert.deepEqual(
          takenOver.map((j) => [j.id, j.attempts]),
          [[ids[0], 3]],
        );
        assert.equal(await store.transaction((tx) => tx.finishJob(ids[0], 'w2', { done: true })), false);
        // Rescheduling without a payload keeps the payload.
        assert.equal(await store.transaction((tx) => tx.finishJob(ids[0], 'w3', { done: false, runAt: 0 })), true);
        assert.deepEqual(
          (await lease('w4', 5000)).map((j) => [j.id, j.payload]),
          [[ids[0], { step: 2 }]],
          'the job w2 leased for long is still leased',
        );
      }));

    test('job times and lease limits are accepted alike on every database', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.enqueueJob({ type: 't', account: A, runAt: 10.75, payload: null, id: 'f' }));
        assert.deepEqual(await store.leaseJobs({ types: ['t'], owner: 'w', now: 9.5, leaseMs: 1, limit: 1 }), []);
        assert.deepEqual(await store.leaseJobs({ types: ['t'], owner: 'w', now: 10, leaseMs: 1, limit: 0 }), []);
        assert.deepEqual(await store.leaseJobs({ types: [], owner: 'w', now: 10, leaseMs: 1, limit: 1 }), []);
        const leased = await store.leaseJobs({ types: ['t'], owner: 'w', now: 10.5, leaseMs: 0.4, limit: Infinity });
        assert.deepEqual(leased.map((j) => [j.id, j.runAt]), [['f', 10]], 'epoch milliseconds are whole');
        assert.equal(await store.transaction((tx) => tx.finishJob('f', 'w', { done: false, runAt: 20.9 })), true);
        assert.deepEqual((await store.leaseJobs({ types: ['t'], owner: 'v', now: 20, leaseMs: 5, limit: 9 })).map((j) => j.runAt), [20]);
      }));

    test('a rolled-back finishJob keeps the lease and the job', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.enqueueJob({ type: 't', account: A, runAt: 0, payload: 1, id: 'j' }));
        await store.leaseJobs({ types: ['t'], owner: 'w', now: 0, leaseMs: 100, limit: 1 });
        await assert.rejects(
          store.transaction(async (tx) => {
            assert.equal(await tx.finishJob('j', 'w', { done: true }), true);
            await tx.insert(A, 'result', 'r', {});
            throw new Error('work failed');
          }),
          /work failed/,
        );
        assert.equal(await store.read((tx) => tx.get(A, 'result', 'r')), undefined);
        assert.deepEqual(await store.leaseJobs({ types: ['t'], owner: 'v', now: 99, leaseMs: 100, limit: 1 }), []);
        assert.equal(await store.transaction((tx) => tx.finishJob('j', 'w', { done: true })), true);
      }));

    test('concurrent transactions do not lose updates', () =>
      withStore(factory, async (store) => {
        await store.transaction((tx) => tx.insert(A, 'counter', 'c', { n: 0 }));
        await Promise.all(
          Array.from({ length: 20 }, () =>
            store.transaction(async (tx) => {
              const current = await tx.get<{ n: number }>(A, 'counter', 'c');
              await new Promise((resolve) => setImmediate(resolve));
              await tx.update(A, 'counter', 'c', { n: current!.doc.n + 1 });
            }),
          ),
        );
        assert.deepEqual((await store.read((tx) => tx.get(A, 'counter', 'c')))?.doc, { n: 20 });
      }));

    test('concurrent leasers never share a job', () =>
      withStore(factory, async (store, backend) => {
        const total = 60;
        await store.transaction(async (tx) => {
          for (let i = 0; i < total; i++) await tx.enqueueJob({ type: 't', account: A, runAt: i, payload: i });
        });
        // On PostgreSQL each leaser gets its own pool, as separate nodes would.
        const nodes = backend.name === 'postgres' ? [store, await backend.open(), await backend.open()] : [store];
        try {
          const leasedBy = new Map<string, string>();
          const leaser = async (owner: string, node: Store) => {
            for (;;) {
              const jobs = await node.leaseJobs({ types: ['t'], owner, now: 1000, leaseMs: 60_000, limit: 4 });
              if (jobs.length === 0) return;
              for (const job of jobs) {
                assert.equal(leasedBy.get(job.id), undefined, `job ${job.id} leased twice`);
                leasedBy.set(job.id, owner);
              }
            }
          };
          await Promise.all(Array.from({ length: 6 }, (_, i) => leaser(`w${i}`, nodes[i % nodes.length])));
          assert.equal(leasedBy.size, total);
          assert.ok(new Set(leasedBy.values()).size > 1, 'the leasers really ran side by side');
        } finally {
          for (const node of nodes.slice(1)) await node.close();
        }
      }));

    test('Access Advisor rows: the later time wins whichever node writes last; reopening keeps them; account deletion and wipe remove them', () =>
      withStore(factory, async (store, backend) => {
        const row = (principalId: string, lastUsed: number, region = 'us-east-1') =>
          ({ account: A, principalId, principalArn: `arn:aws:iam::${A}:user/${principalId}`, namespace: 'iam', action: 'GetUser', region, lastUsed });
        // On PostgreSQL a second pool, as another node would have.
        const other = backend.name === 'postgres' ? await backend.open() : store;
        try {
          await store.transaction((tx) => tx.recordAccess([row('p1', 2000), row('p2', 1000)]));
          // An older use arriving late (from a slower node) moves nothing back; a newer one moves forward.
          await other.transaction((tx) => tx.recordAccess([row('p1', 1500), row('p2', 3000)]));
          // Concurrent writers of the same rows in opposite orders neither deadlock nor lose the latest.
          await Promise.all([
            store.transaction((tx) => tx.recordAccess([row('p1', 4000), row('p2', 3500)])),
            other.transaction((tx) => tx.recordAccess([row('p2', 5000), row('p1', 3900)])),
          ]);
          // One row given twice in a batch keeps the later use.
          await store.transaction((tx) => tx.recordAccess([{ ...row('p1', 100), account: B }, row('p1', 50, 'eu-west-1'), row('p1', 40, 'eu-west-1')]));
        } finally {
          if (other !== store) await other.close();
        }
        const reopened = await backend.open();
        try {
          const rows = await reopened.read((tx) => tx.listAccess(A));
          assert.deepEqual(rows.map((r) => [r.principalId, r.region, r.lastUsed]), [['p1', 'eu-west-1', 50], ['p1', 'us-east-1', 4000], ['p2', 'us-east-1', 5000]]);
          assert.deepEqual((await reopened.read((tx) => tx.listAccess(A, ['p2']))).map((r) => r.lastUsed), [5000]);
          assert.deepEqual((await reopened.read((tx) => tx.listAccess(A, ['p2', 'p1', 'p3']))).map((r) => [r.principalId, r.region]), [['p1', 'eu-west-1'], ['p1', 'us-east-1'], ['p2', 'us-east-1']]);
          assert.deepEqual(await reopened.read((tx) => tx.listAccess(A, [])), []);
          await reopened.transaction((tx) => tx.deleteAccount(A));
          assert.deepEqual(await reopened.read((tx) => tx.listAccess(A)), []);
          assert.equal((await reopened.read((tx) => tx.listAccess(B))).length, 1);
          await reopened.wipe();
          assert.deepEqual(await reopened.read((tx) => tx.listAccess(B)), []);
        } finally {
          await reopened.close();
        }
      }));

    test('migrations are recorded once and reopening keeps the data', () =>
      withStore(factory, async (store, backend) => {
        await insertAll(store, A, 'user', ['persisted']);
        // Two more stores opening at once on the same database: migrations must not collide.
        const [second, third] = await Promise.all([backend.open(), backend.open()]);
        try {
          assert.ok(await second.read((tx) => tx.get(A, 'user', 'persisted')));
          assert.ok(await third.read((tx) => tx.get(A, 'user', 'persisted')));
        } finally {
          await second.close();
          await third.close();
        }
      }));
  });
}

// The poller every suite waits with: it returns the first value its condition accepts, and when
// none comes it fails naming what never happened and what it read last, rather than handing the
// last value on as if it were the awaited one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from './eventually.ts';

test('returns the first value the condition accepts, reading no further', async () => {
  let reads = 0;
  const value = await eventually('the third read', async () => ++reads, (n) => n >= 3);
  assert.equal(value, 3);
  assert.equal(reads, 3);
});

test('fails, saying what never happened and the last value read', async () => {
  let reads = 0;
  await assert.rejects(
    eventually('the counter reaches -1', async () => ({ count: ++reads }), (v) => v.count < 0, { timeoutMs: 100 }),
    (error: Error) => {
      assert.match(error.message, /^never happened within 0\.1 s: the counter reaches -1; last read: \{ count: (\d+) \}$/);
      assert.equal(Number(/count: (\d+)/.exec(error.message)![1]), reads);
      return true;
    },
  );
});

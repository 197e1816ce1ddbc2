// The token bucket behind --rate-limit, on a clock the test moves by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/server/rate-limit.ts';

function limiter(perSecond: number, maxKeys?: number) {
  let now = 0;
  const rate = new RateLimiter(perSecond, { clock: () => now, ...(maxKeys !== undefined ? { maxKeys } : {}) });
  const takes = (key: string, n: number) => Array.from({ length: n }, () => rate.take(key));
  return { rate, takes, advance: (ms: number) => void (now += ms) };
}

test('a key bursts up to N, then is refused until tokens come back at N a second', () => {
  const { takes, advance } = limiter(5);
  assert.deepEqual(takes('A', 7), [true, true, true, true, true, false, false]);
  advance(199);
  assert.deepEqual(takes('A', 1), [false], 'less than one token has come back');
  advance(1);
  assert.deepEqual(takes('A', 2), [true, false], 'one token a fifth of a second');
  advance(10_000);
  assert.deepEqual(takes('A', 6), [true, true, true, true, true, false], 'an idle bucket holds N, no more');
});

test('refused requests cost nothing: a client that keeps retrying still gets in at the rate', () => {
  const { takes, advance } = limiter(2);
  takes('A', 2);
  let admitted = 0;
  for (let i = 0; i < 10; i++) {
    advance(100);
    admitted += takes('A', 3).filter(Boolean).length;
  }
  assert.equal(admitted, 2, 'a second of hammering gets exactly the two tokens of that second');
  advance(500);
  assert.deepEqual(takes('A', 2), [true, false]);
});

test('each key has its own bucket', () => {
  const { takes } = limiter(3);
  assert.deepEqual(takes('A', 4), [true, true, true, false]);
  assert.deepEqual(takes('B', 3), [true, true, true]);
});

test('memory stays bounded: beyond maxKeys the least recently used bucket is forgotten', () => {
  const { rate, takes } = limiter(1, 3);
  takes('A', 1);
  takes('B', 1);
  takes('C', 1);
  takes('A', 1); // A is now the most recently used; B the least.
  takes('D', 1);
  assert.equal(rate.size, 3);
  assert.deepEqual(takes('A', 1), [false], 'A was kept, with its empty bucket');
  assert.deepEqual(takes('B', 1), [true], 'B was forgotten, and starts full again');
});

test('a rate must be positive', () => {
  assert.throws(() => new RateLimiter(0), RangeError);
});

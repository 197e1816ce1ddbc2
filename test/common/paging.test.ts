// The one paging module: key-after cursors start after the last key seen whatever came and went in
// between, offset cursors start at the index they name, and every token format and size rule a
// service passes in is honoured — its refusals included.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64urlKeys, decimalOffsets, nonEmptyBase64urlKeys, pageAfterKey, pageAtOffset, pageSize, type KeyPaging, type OffsetPaging,
} from '../../src/common/paging.ts';

class Refused extends Error {}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const byName = (item: { name: string }) => item.name;
const named = (...names: string[]) => names.map((name) => ({ name }));
const refuseToken = (token: string) => new Refused(`token ${token}`);

const KEYS: KeyPaging = {
  tokens: nonEmptyBase64urlKeys(refuseToken),
  size: { default: 2, bounds: { min: 1, max: 3, refuse: () => new Refused('size') } },
};
const OFFSETS: OffsetPaging = { tokens: decimalOffsets(refuseToken), size: { default: 2 } };

test('key-after: pages walk the list in order, the token names the last key, the last page has none', () => {
  const items = named('a', 'b', 'c', 'd', 'e');
  const first = pageAfterKey(items, byName, {}, KEYS);
  assert.deepEqual(first, { items: named('a', 'b'), next: b64('b') });
  const second = pageAfterKey(items, byName, { token: first.next }, KEYS);
  assert.deepEqual(second, { items: named('c', 'd'), next: b64('d') });
  assert.deepEqual(pageAfterKey(items, byName, { token: second.next }, KEYS), { items: named('e') });
});

test('key-after: what was added or removed before the token does not shift the next page', () => {
  const first = pageAfterKey(named('b', 'd', 'f', 'h'), byName, { size: 2 }, KEYS);
  // `d` (the last key handed out) is gone and `a`, `c`, `e` came: the next page starts after `d` all the same.
  const next = pageAfterKey(named('a', 'b', 'c', 'e', 'f', 'h'), byName, { token: first.next, size: 2 }, KEYS);
  assert.deepEqual(next, { items: named('e', 'f'), next: b64('f') });
  // A token after every key is an empty last page.
  assert.deepEqual(pageAfterKey(named('a'), byName, { token: b64('z') }, KEYS), { items: [] });
});

test('offset: pages walk the list in its order, the token names the next index', () => {
  const items = [3, 1, 3, 2, 1];
  const first = pageAtOffset(items, {}, OFFSETS);
  assert.deepEqual(first, { items: [3, 1], next: b64('2') });
  const second = pageAtOffset(items, { token: first.next }, OFFSETS);
  assert.deepEqual(second, { items: [3, 2], next: b64('4') });
  assert.deepEqual(pageAtOffset(items, { token: second.next }, OFFSETS), { items: [1] });
  assert.deepEqual(pageAtOffset(items, { token: b64('5') }, OFFSETS), { items: [] });
});

test('page sizes: the default when none is asked for, Infinity for the rest, bounds refused in the service\'s words', () => {
  assert.equal(pageSize(undefined, KEYS.size), 2);
  assert.equal(pageSize(3, KEYS.size), 3);
  for (const size of [0, 4, 1.5]) assert.throws(() => pageSize(size, KEYS.size), new Refused('size'));
  // Without bounds a size is the service model's business, not the paging's.
  assert.equal(pageSize(5000, { default: 100 }), 5000);
  assert.deepEqual(pageAfterKey(named('a', 'b', 'c'), byName, {}, { tokens: base64urlKeys, size: { default: Infinity } }), { items: named('a', 'b', 'c') });
  // The size is judged before the token.
  assert.throws(() => pageAfterKey(named('a'), byName, { token: '%%%', size: 9 }, KEYS), new Refused('size'));
});

test('key tokens: each format reads back what it wrote, and refuses what it would not have written', () => {
  for (const key of ['a', 'ünïcode/key', 'x\ny']) {
    assert.equal(base64urlKeys.read(base64urlKeys.write(key)), key);
    assert.equal(KEYS.tokens.read(KEYS.tokens.write(key)), key);
  }
  // `%%%` decodes to nothing: refused by the non-empty format, read as '' (the list's start) by the other.
  assert.throws(() => pageAfterKey(named('a'), byName, { token: '%%%' }, KEYS), new Refused('token %%%'));
  assert.deepEqual(pageAfterKey(named('a'), byName, { token: '%%%' }, { tokens: base64urlKeys, size: { default: 5 } }), { items: named('a') });
});

test('offset tokens: a whole index within the list, read leniently unless the service reads otherwise', () => {
  const tokens = decimalOffsets(refuseToken);
  assert.equal(tokens.read(tokens.write(7), 7), 7);
  assert.equal(tokens.read(b64('3 and more'), 7), 3);
  for (const digits of ['-1', '8', 'x', '']) assert.throws(() => tokens.read(b64(digits), 7), new Refused(`token ${b64(digits)}`));

  const strict = decimalOffsets(refuseToken, { parse: Number, beyondTheEnd: 'empty' });
  assert.equal(strict.read(b64(''), 7), 0);
  assert.equal(strict.read(b64('8'), 7), 8);
  assert.deepEqual(pageAtOffset([1, 2], { token: b64('8') }, { tokens: strict, size: { default: 1 } }), { items: [] });
  for (const digits of ['3 and more', '-1', '1.5']) assert.throws(() => strict.read(b64(digits), 7), Refused);
});

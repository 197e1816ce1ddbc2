// The JSON reader's optional span mode: every value and every key reported with its path and the
// offsets of its text; the same values as a plain read; nothing reported where the read fails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readJson, type JsonPathStep } from '../../src/policy/json-reader.ts';

function spansOf(text: string) {
  const values = new Map<string, string>();
  const keys = new Map<string, string>();
  const read = readJson(text, {
    spans: (path, start, end) => values.set(JSON.stringify(path), text.slice(start, end)),
    keySpans: (path, start, end) => keys.set(JSON.stringify(path), text.slice(start, end)),
  });
  return { read, values, keys };
}

const at = (...path: JsonPathStep[]) => JSON.stringify(path);

test('values and keys are reported by path with their exact text', () => {
  const text = '{ "Statement": [ {"Effect" : "Allow", "Action": ["s3:Get*", 1.50]} ], "n": null }';
  const { read, values, keys } = spansOf(text);
  assert.ok(read.ok);
  assert.equal(values.get(at()), text);
  assert.equal(values.get(at('Statement', 0, 'Effect')), '"Allow"');
  assert.equal(values.get(at('Statement', 0, 'Action', 1)), '1.50');
  assert.equal(values.get(at('Statement', 0)), '{"Effect" : "Allow", "Action": ["s3:Get*", 1.50]}');
  assert.equal(values.get(at('n')), 'null');
  assert.equal(keys.get(at('Statement', 0, 'Effect')), '"Effect"');
  assert.equal(keys.get(at('Statement')), '"Statement"');
});

test('for any JSON, every reported value text reads back as the value at its path', () => {
  fc.assert(
    fc.property(fc.json(), (text) => {
      const { read, values } = spansOf(text);
      assert.ok(read.ok);
      const plain = readJson(text);
      assert.deepEqual(read, plain);
      const root = JSON.parse(text) as unknown;
      for (const [path, slice] of values) {
        let v: unknown = root;
        for (const step of JSON.parse(path) as JsonPathStep[]) v = (v as Record<string | number, unknown>)[step];
        assert.deepEqual(JSON.parse(slice), v);
      }
    }),
    { numRuns: 300 },
  );
});

test('a failed read reports where it failed, as without spans', () => {
  const text = '{"a": [1, 2,, 3]}';
  const { read } = spansOf(text);
  assert.deepEqual(read, readJson(text));
  assert.equal(read.ok, false);
});

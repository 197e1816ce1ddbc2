import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePolicy } from '../../src/policy/parse.ts';
import { readJson, JsonNumber, type JsonValue } from '../../src/policy/json-reader.ts';
import type { ConditionClause, ParseResult, PolicyKind, Statement } from '../../src/policy/types.ts';

const KINDS: PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session'];

/** Every kind, managed or not, with and without a size limit: the answer is a result, never an exception. */
function assertTotal(text: string): void {
  for (const kind of KINDS) {
    for (const options of [{}, { managed: true }, { maxSize: 64 }]) {
      let result: ParseResult | undefined;
      assert.doesNotThrow(() => {
        result = parsePolicy(text, kind, options);
      });
      assert.ok(result);
      if (!result.ok) {
        assert.ok(result.error.code === 'MalformedPolicyDocument' || result.error.code === 'LimitExceeded');
        assert.equal(typeof result.error.message, 'string');
        assert.ok(result.error.message.length > 0);
      }
    }
  }
}

describe('parsePolicy never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), assertTotal), { numRuns: 200 });
  });

  it('on arbitrary JSON texts', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 6 }), assertTotal), { numRuns: 200 });
  });

  it('on arbitrary values, stringified', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 5 }), (v) => assertTotal(JSON.stringify(v) ?? 'undefined')), { numRuns: 200 });
  });

  it('on policy-shaped objects with arbitrary values where the elements go', () => {
    const element = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('*', 'Allow', 'Deny', 'arn:aws:s3:::b', 'iam:GetRole', ''));
    const statement = fc.record(
      { Sid: element, Effect: element, Action: element, NotAction: element, Resource: element, NotResource: element,
        Principal: element, NotPrincipal: element, Condition: fc.dictionary(fc.string(), fc.dictionary(fc.string(), element)) },
      { requiredKeys: [] },
    );
    const policy = fc.record(
      { Version: fc.oneof(element, fc.constantFrom('2012-10-17', '2008-10-17')), Id: element,
        Statement: fc.oneof(statement, fc.array(statement, { maxLength: 3 })) },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(policy, (p) => assertTotal(JSON.stringify(p))), { numRuns: 300 });
  });

  it('on deep nesting, closed or not', () => {
    const opener = fc.constantFrom('[', '{"a":', '{"Statement":[');
    fc.assert(
      fc.property(opener, fc.integer({ min: 1, max: 200_000 }), fc.boolean(), (open, depth, close) => {
        const closer = open === '[' ? ']' : open === '{"a":' ? '}' : ']}';
        assertTotal(open.repeat(depth) + (close ? `1${closer.repeat(depth)}` : ''));
      }),
      { numRuns: 20 },
    );
  });
});

/** The reader's value as plain JS, to compare with JSON.parse (numbers as JSON.parse reads them). */
function plain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return Number(v.text);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('readJson', () => {
  it('agrees with JSON.parse on every JSON text without duplicate keys', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 8 }), (text) => {
        const read = readJson(text);
        assert.ok(read.ok);
        assert.deepEqual(plain(read.value), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const read = readJson(text);
        // Deeper than the limit or with duplicate keys the reader refuses valid JSON on purpose;
        // short strings have neither, so the two must agree.
        assert.equal(read.ok, parses, text);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- valid policies round-trip -------------------------------------------------------------------

const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 10 });
const vendor = fc.constantFrom('iam', 'sts', 'memorydb', 'elasticache', 'mq', 'ec2', 's3', 'logs', 'aws-portal');
const action = fc.oneof(fc.constant('*'), fc.tuple(vendor, fc.oneof(word, fc.constant('*'), word.map((w) => `${w}*`))).map(([v, a]) => `${v}:${a}`));
const resource = fc.oneof(
  fc.constant('*'),
  fc.tuple(fc.constantFrom('memorydb', 'ec2', 'logs', 'elasticache'), fc.constantFrom('us-east-1', '*', ''), fc.constantFrom('123456789012', '*'), word)
    .map(([s, r, a, n]) => `arn:aws:${s}:${r}:${a}:thing/${n}`),
  fc.tuple(fc.constantFrom('123456789012', '*'), fc.constantFrom('role', 'user', 'policy'), word).map(([a, t, n]) => `arn:aws:iam::${a}:${t}/${n}`),
);
const conditionValue = fc.oneof(word, fc.integer().map(String), fc.constant('${aws:username}'));
const stringOperator = fc.tuple(
  fc.constantFrom('', 'ForAllValues:', 'ForAnyValue:'),
  fc.constantFrom('StringEquals', 'StringNotLike', 'StringEqualsIgnoreCase', 'ArnLike'),
  fc.boolean(),
).map(([q, b, e]) => ({ operator: `${q}${b}${e ? 'IfExists' : ''}`, base: b, qualifier: q.slice(0, -1) || undefined, ifExists: e }));

/** A list as the model keeps it, and how it is written: a lone item sometimes as a bare string. */
const written = <T>(items: fc.Arbitrary<T>) =>
  fc.tuple(fc.array(items, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([list, bare]) => ({
    list,
    json: bare && list.length === 1 ? list[0] : list,
  }));

const clauseModel = fc.tuple(stringOperator, fc.uniqueArray(fc.tuple(fc.constantFrom('aws', 'memorydb', 'iam'), word).map(([v, k]) => `${v}:${k}`), { minLength: 1, maxLength: 2 }),
  written(conditionValue));

const statementModel = fc.record({
  sid: fc.option(word, { nil: undefined }),
  effect: fc.constantFrom('Allow', 'Deny'),
  not: fc.tuple(fc.boolean(), fc.boolean()),
  actions: written(action),
  resources: written(resource),
  conditions: fc.array(clauseModel, { maxLength: 2 }),
});

describe('valid generated policies round-trip into the right ParsedPolicy', () => {
  it('identity policies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('2012-10-17', '2008-10-17', undefined),
        fc.array(statementModel, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (version, models, single) => {
          const documentStatements: Record<string, unknown>[] = [];
          const expected: Statement[] = [];
          models.forEach((m, index) => {
            const sid = m.sid === undefined ? undefined : `S${index}${m.sid}`; // unique by construction
            const condition: Record<string, Record<string, unknown>> = {};
            const clauses: ConditionClause[] = [];
            for (const [op, keys, values] of m.conditions) {
              // A repeated operator would be a duplicate JSON key: keep the first, as a document must.
              if (condition[op.operator]) continue;
              condition[op.operator] = {};
              for (const key of keys) {
                condition[op.operator][key] = values.json;
                const clause: ConditionClause = { operator: op.operator, base: op.base as ConditionClause['base'], ifExists: op.ifExists, key, values: values.list };
                if (op.qualifier) clause.qualifier = op.qualifier as ConditionClause['qualifier'];
                clauses.push(clause);
              }
            }
            const [notAction, notResource] = m.not;
            const statement: Record<string, unknown> = { Effect: m.effect };
            if (sid !== undefined) statement.Sid = sid;
            statement[notAction ? 'NotAction' : 'Action'] = m.actions.json;
            statement[notResource ? 'NotResource' : 'Resource'] = m.resources.json;
            if (m.conditions.length > 0) statement.Condition = condition;
            documentStatements.push(statement);

            const s: Statement = { index, effect: m.effect as Statement['effect'], conditions: clauses };
            if (sid !== undefined) s.sid = sid;
            s[notAction ? 'notAction' : 'action'] = m.actions.list;
            s[notResource ? 'notResource' : 'resource'] = m.resources.list;
            expected.push(s);
          });
          const document: Record<string, unknown> = {};
          if (version) document.Version = version;
          document.Statement = single && documentStatements.length === 1 ? documentStatements[0] : documentStatements;

          const result = parsePolicy(JSON.stringify(document, null, single ? 2 : undefined), 'identity');
          if (!result.ok) assert.fail(`${JSON.stringify(document)} → ${result.error.message}`);
          const want: Record<string, unknown> = { kind: 'identity', statements: expected };
          if (version) want.version = version;
          assert.deepEqual(result.policy, want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// The custom checks are proofs, so a PASS must hold for every request. For random pairs of policies
// (a new one often derived from the old so that PASS happens), whenever CheckNoNewAccess answers PASS
// the real engine (src/policy) must allow no request under the new policy that the old one refuses —
// checked over every request of the vocabulary, not a sample; and whenever CheckAccessNotGranted
// answers PASS, no listed action is allowed on any resource.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { evaluate, loadPolicy } from '../../../src/policy/index.ts';
import type { AuthzRequest, ContextValues } from '../../../src/policy/types.ts';
import { checkAccessNotGranted } from '../../../src/services/accessanalyzer/custom/access-not-granted.ts';
import { checkNoNewAccess } from '../../../src/services/accessanalyzer/custom/no-new-access.ts';
import { readStatements } from '../../../src/services/accessanalyzer/custom/statements.ts';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:GetBucketPolicy', 'iam:PassRole', 'ec2:RunInstances'];
const ACTION_PATTERNS = [...ACTIONS, 's3:*', 's3:Get*', '*', 'iam:Pass?ole', 'ec2:Run*', 'S3:getobject'];
// `${aws:username}` is a variable in a 2012-10-17 document and plain text in an older one; the
// literal resource `…/b/${aws:username}` tells the two readings apart.
const RESOURCES = ['arn:aws:s3:::b/k', 'arn:aws:s3:::b/x', 'arn:aws:s3:::c/k', 'arn:aws:iam::123456789012:role/r', 'arn:aws:s3:::b/k2', 'arn:aws:s3:::b/${aws:username}'];
const RESOURCE_PATTERNS = [...RESOURCES, '*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::*', 'arn:aws:s3:::b/k*', 'arn:aws:iam::*:role/*', 'arn:aws:s3:::b/?'];
const CLAUSES = [
  { StringEquals: { 'aws:username': 'alice' } },
  { StringEquals: { 'aws:username': ['alice', 'bob'] } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { StringLike: { 'aws:username': 'a*' } },
  { StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' } },
];
const CONTEXTS: ContextValues[] = [
  {},
  { 'aws:username': 'alice', 'aws:securetransport': 'true' },
  { 'aws:username': 'bob', 'aws:securetransport': 'false' },
  { 'aws:username': 'carol' },
  { 'aws:username': 'k', 'aws:principaltag/team': 'k' },
  { 'aws:username': 'x', 'aws:principaltag/team': '${aws:username}' },
];

type Stmt = Record<string, unknown>;

const some = <T>(items: readonly T[]) => fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: 3 });
const statement: fc.Arbitrary<Stmt> = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  notAction: fc.boolean(),
  actions: some(ACTION_PATTERNS),
  notResource: fc.constantFrom(false, false, true),
  resources: some(RESOURCE_PATTERNS),
  conditions: fc.uniqueArray(fc.nat(CLAUSES.length - 1), { maxLength: 2 }),
}).map((s) => ({
  Effect: s.effect,
  [s.notAction ? 'NotAction' : 'Action']: s.actions,
  [s.notResource ? 'NotResource' : 'Resource']: s.resources,
  ...(s.conditions.length ? { Condition: Object.assign({}, ...s.conditions.map((i) => CLAUSES[i])) } : {}),
}));

const VERSIONS = ['2012-10-17', '2012-10-17', '2008-10-17'] as const;
const doc = (statements: Stmt[], version: string = '2012-10-17') => JSON.stringify({ Version: version, Statement: statements });

/** A new policy derived from the old: some statements kept, some narrowed (a condition added), some added. */
const derived = (old: Stmt[]) =>
  fc.tuple(fc.subarray(old), fc.array(statement, { maxLength: 2 }), fc.nat(CLAUSES.length - 1), fc.boolean()).map(([kept, extra, clause, narrow]) => [
    ...kept.map((s) => (narrow && s.Effect === 'Allow' ? { ...s, Condition: { ...(s.Condition as object), ...CLAUSES[clause] } } : s)),
    ...extra,
  ]);

function allowed(text: string, action: string, resource: string, context: ContextValues): boolean {
  const loaded = loadPolicy(text, 'identity', 'p');
  assert.ok(loaded.ok);
  const request: AuthzRequest = {
    principal: { kind: 'user', arn: 'arn:aws:iam::123456789012:user/u', account: '123456789012' },
    action,
    resource,
    context,
  };
  return evaluate({ identity: [loaded.policy] }, request).decision === 'Allow';
}

/** The statements of a document IAM accepts; a document it refuses (an empty Statement list) is no case. */
const statementsOf = (text: string) => {
  const read = readStatements(text, 'identity');
  fc.pre(read.ok);
  return read.ok ? read.statements : [];
};

test('CheckNoNewAccess: every PASS holds for every request the engine can be asked', () => {
  let passes = 0;
  fc.assert(
    fc.property(
      fc.array(statement, { minLength: 1, maxLength: 3 }).chain((old) => fc.tuple(fc.constant(old), fc.oneof(derived(old), fc.array(statement, { minLength: 1, maxLength: 3 })))),
      fc.constantFrom(...VERSIONS),
      fc.constantFrom(...VERSIONS),
      ([old, fresh], oldVersion, newVersion) => {
        const oldText = doc(old, oldVersion);
        const newText = doc(fresh, newVersion);
        if (checkNoNewAccess(statementsOf(newText), statementsOf(oldText), oldVersion === newVersion).result !== 'PASS') return;
        passes++;
        for (const action of ACTIONS) for (const resource of RESOURCES) for (const context of CONTEXTS) {
          if (allowed(newText, action, resource, context)) {
            assert.ok(allowed(oldText, action, resource, context), `new allows ${action} on ${resource} with ${JSON.stringify(context)}; old does not\nold ${oldText}\nnew ${newText}`);
          }
        }
      },
    ),
    { numRuns: 1000 },
  );
  // The property says something only if PASS was answered often enough to be tested. About one
  // generated pair in eight is a PASS, so 400 runs left 50 within chance of a miss (a red run with 49);
  // at 1,000 the bar sits far below what any seed gives.
  assert.ok(passes > 50, `only ${passes} PASS answers`);
});

test('CheckAccessNotGranted: every PASS means no listed action is allowed, on any resource, in any context', () => {
  let passes = 0;
  fc.assert(
    fc.property(fc.array(statement, { minLength: 1, maxLength: 3 }), some(ACTIONS), (stmts, listed) => {
      const text = doc(stmts);
      if (checkAccessNotGranted(statementsOf(text), [{ actions: listed }]).result !== 'PASS') return;
      passes++;
      for (const action of listed) for (const resource of RESOURCES) for (const context of CONTEXTS) {
        assert.ok(!allowed(text, action, resource, context), `${action} on ${resource} is allowed\n${text}`);
      }
    }),
    { numRuns: 400 },
  );
  assert.ok(passes > 20, `only ${passes} PASS answers`);
});

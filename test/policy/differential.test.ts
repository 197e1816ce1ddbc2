// Differential test: iamd's engine against @cloud-copilot/iam-simulate (AGPL-3.0, a dev dependency used
// only here and in bench/) on generated identity policies and requests. Every disagreement must be one
// of the differences in differential-known.json, each checked against AWS's documentation; any other
// fails the test with the case that shows it.
//
// Attribution is per statement: a disagreement is explained when each statement the two engines judge
// differently (evaluated on its own) contains an element a known difference names, and removing those
// elements makes the engines agree on that statement. A disagreement that no single statement shows is
// never explained.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { compilePolicy, evaluate, parsePolicy } from '../../src/policy/index.ts';
import type { AuthzRequest, CompiledPolicy, Decision } from '../../src/policy/types.ts';
import { principalFromArn } from '../../src/cli/request.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { generateCases, type Case, type CaseRequest, type Policy, type Statement, type Value } from './differential-gen.ts';

// IAMD_DIFFERENTIAL_SEED explores other cases; the default keeps every run the same.
const SEED = Number(process.env.IAMD_DIFFERENTIAL_SEED ?? 0x1a3d);
const CASES = 2_200;
const REQUESTS_PER_CASE = 5;

// ---- the known differences ------------------------------------------------------------------------

type ContextTest = 'absent' | 'multiValued' | 'emptySet' | 'emptyString' | 'otherIpFamily';

interface KnownDifference {
  id: string;
  summary: string;
  iamd: string;
  iamSimulate: string;
  reason: string;
  docs: string[];
  match: Matcher[];
}

type Matcher =
  | { element: 'condition'; operator: string; value?: string; context?: ContextTest }
  | { element: 'resource'; request: string; entry: string }
  | { element: 'notResource'; request?: string; entry: string };

const known = (JSON.parse(readFileSync(new URL('./differential-known.json', import.meta.url), 'utf8')) as { differences: KnownDifference[] }).differences;

const asArray = (v: Value | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isIpv6 = (address: string) => address.includes(':');

function contextValue(request: CaseRequest, key: string): Value | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(request.context).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : request.context[found];
}

function contextHolds(test: ContextTest | undefined, actual: Value | undefined, policyValues: string[]): boolean {
  switch (test) {
    case undefined:
      return true;
    case 'absent':
      return actual === undefined;
    case 'multiValued':
      return Array.isArray(actual);
    case 'emptySet':
      return Array.isArray(actual) && actual.length === 0;
    case 'emptyString':
      return actual === '';
    case 'otherIpFamily':
      return asArray(actual).some((a) => policyValues.some((p) => !p.includes('/') && isIpv6(a) !== isIpv6(p)));
  }
}

/**
 * The statement without the elements `difference` names: undefined when it names none of them, `null`
 * when nothing of the statement is left (a Resource list of only named entries).
 */
function withoutNamedElements(statement: Statement, request: CaseRequest, difference: KnownDifference): Statement | null | undefined {
  let named = false;
  let reduced: Statement | null = statement;
  for (const matcher of difference.match) {
    const without = withoutMatched(reduced, request, matcher);
    if (without === undefined) continue;
    named = true;
    reduced = without;
    if (reduced === null) break;
  }
  return named ? reduced : undefined;
}

function withoutMatched(statement: Statement, request: CaseRequest, m: Matcher): Statement | null | undefined {
  if (m.element === 'resource') {
    if (!new RegExp(m.request).test(request.resource)) return undefined;
    const entries = asArray(statement.Resource);
    const entry = new RegExp(m.entry);
    const kept = entries.filter((e) => !entry.test(e));
    if (kept.length === entries.length) return undefined;
    return kept.length > 0 ? { ...statement, Resource: kept } : null;
  }
  if (m.element === 'notResource') {
    if (m.request !== undefined && !new RegExp(m.request).test(request.resource)) return undefined;
    const entries = asArray(statement.NotResource);
    const entry = new RegExp(m.entry);
    const kept = entries.filter((e) => !entry.test(e));
    if (kept.length === entries.length) return undefined;
    const { NotResource: _, ...rest } = statement;
    // A NotResource of nothing covers every resource.
    return kept.length > 0 ? { ...rest, NotResource: kept } : { ...rest, Resource: '*' };
  }
  const operator = new RegExp(m.operator);
  const value = m.value === undefined ? undefined : new RegExp(m.value);
  let removed = false;
  const condition: Record<string, Record<string, Value>> = {};
  for (const [op, clauses] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(clauses)) {
      const policyValues = asArray(values);
      const named = operator.test(op)
        && (value === undefined || policyValues.some((v) => value.test(v)))
        && contextHolds(m.context, contextValue(request, key), policyValues);
      if (named) removed = true;
      else (condition[op] ??= {})[key] = values;
    }
  }
  if (!removed) return undefined;
  const { Condition: _, ...rest } = statement;
  return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
}

// ---- the two engines ------------------------------------------------------------------------------

const SIMULATE: Record<string, Decision> = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };

function compile(policies: Policy[]): CompiledPolicy[] {
  return policies.map((policy, i) => {
    const parsed = parsePolicy(JSON.stringify(policy), 'identity');
    if (!parsed.ok) assert.fail(`iamd refused a generated policy (${parsed.error.message}): ${JSON.stringify(policy)}`);
    return compilePolicy(parsed.policy, `policy-${i}`);
  });
}

function iamdDecides(principal: string, policies: CompiledPolicy[], request: CaseRequest): Decision {
  const authz: AuthzRequest = { principal: principalFromArn(principal), action: request.action, resource: request.resource, context: request.context };
  return evaluate({ identity: policies }, authz).decision;
}

function simulateDecides(principal: string, policies: Policy[], request: CaseRequest): Decision {
  const result = runUnsafeSimulation({
    request: { principal, action: request.action, resource: { resource: request.resource, accountId: ACCOUNT }, contextVariables: request.context },
    identityPolicies: policies.map((policy, i) => ({ name: `policy-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return SIMULATE[result];
}

function statementsDisagree(principal: string, statement: Statement, request: CaseRequest): boolean {
  const policy: Policy = { Version: '2012-10-17', Statement: [statement] };
  return iamdDecides(principal, compile([policy]), request) !== simulateDecides(principal, [policy], request);
}

/** The known differences that explain this disagreement, or undefined when it is not explained. */
function explain(testCase: Case, request: CaseRequest): string[] | undefined {
  const statements = testCase.policies.flatMap((p) => p.Statement);
  const differing = statements.filter((s) => statementsDisagree(testCase.principal, s, request));
  if (differing.length === 0) return undefined;
  const ids = new Set<string>();
  for (const statement of differing) {
    let reduced: Statement | null = statement;
    const named: string[] = [];
    for (const difference of known) {
      const without: Statement | null | undefined = withoutNamedElements(reduced, request, difference);
      if (without === undefined) continue;
      named.push(difference.id);
      reduced = without;
      if (reduced === null) break;
    }
    if (named.length === 0) return undefined;
    if (reduced !== null && statementsDisagree(testCase.principal, reduced, request)) return undefined;
    named.forEach((id) => ids.add(id));
  }
  return [...ids];
}

// ---- the test ------------------------------------------------------------------------------------

test('the known differences are documented: reason, AWS documentation, a matcher', () => {
  assert.ok(known.length > 0);
  const ids = new Set<string>();
  for (const d of known) {
    assert.ok(!ids.has(d.id), `duplicate id ${d.id}`);
    ids.add(d.id);
    for (const field of ['summary', 'iamd', 'iamSimulate', 'reason'] as const) assert.ok(d[field].length > 20, `${d.id}: ${field}`);
    assert.ok(d.docs.length > 0 && d.docs.every((url) => url.startsWith('https://docs.aws.amazon.com/')), `${d.id}: docs`);
    assert.ok(Array.isArray(d.match) && d.match.length > 0, `${d.id}: match`);
    for (const m of d.match) {
      assert.ok(['condition', 'resource', 'notResource'].includes(m.element), `${d.id}: element ${m.element}`);
      const patterns = m.element === 'condition' ? [m.operator, m.value] : [m.entry, m.request];
      for (const pattern of patterns) if (pattern !== undefined) new RegExp(pattern);
    }
  }
});

test(`iamd and iam-simulate agree on ${CASES * REQUESTS_PER_CASE} generated requests, but for the documented differences`, () => {
  const cases = generateCases(SEED, CASES, REQUESTS_PER_CASE);
  const tally = new Map<string, number>();
  const decisions = new Map<Decision, number>();
  const unexplained: string[] = [];
  let requests = 0;
  let disagreements = 0;

  for (const testCase of cases) {
    const compiled = compile(testCase.policies);
    for (const request of testCase.requests) {
      requests++;
      const ours = iamdDecides(testCase.principal, compiled, request);
      const theirs = simulateDecides(testCase.principal, testCase.policies, request);
      decisions.set(ours, (decisions.get(ours) ?? 0) + 1);
      if (ours === theirs) continue;
      disagreements++;
      const ids = explain(testCase, request);
      if (ids === undefined) {
        unexplained.push(JSON.stringify({ iamd: ours, iamSimulate: theirs, policies: testCase.policies, request }));
      } else {
        for (const id of ids) tally.set(id, (tally.get(id) ?? 0) + 1);
      }
    }
  }

  const summary = `${requests} requests (${[...decisions].map(([d, n]) => `${d} ${n}`).join(', ')}); ${disagreements} disagreements: ${
    [...tally].map(([id, n]) => `${id} ${n}`).join(', ') || 'none'}; ${unexplained.length} unexplained`;
  console.log(summary);
  assert.ok(requests >= 10_000);
  // The generator must exercise every outcome, or agreement would prove little.
  for (const d of ['Allow', 'ExplicitDeny', 'ImplicitDeny'] as const) assert.ok((decisions.get(d) ?? 0) > requests / 20, `too few ${d}: ${summary}`);
  assert.deepEqual(unexplained.slice(0, 5), [], `${summary}\nfirst unexplained disagreements (of ${unexplained.length}):`);
});

// Properties of the decision, over generated policy sets and requests:
// - it does not depend on the order of statements or of policies;
// - adding a Deny never turns a denial into Allow; adding an Allow never turns Allow into a denial;
// - explain() reaches evaluate()'s decision.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { evaluate, explain } from '../../src/policy/index.ts';
import type { AuthzRequest, PolicyKind, PolicySet, RequestPrincipal } from '../../src/policy/types.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { compiled } from './helpers.ts';

type Doc = { Version: string; Statement: Record<string, unknown>[] };

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'ec2:DescribeVpcs', 'iam:CreateUser', 'iam:GetUser', 'sts:AssumeRole'];
const ACTION_PATTERNS = ['s3:*', 's3:Get*', 'ec2:*', 'ec2:Describe*', '*', 'iam:Get*', 'iam:CreateUser', 'IAM:getuser', '*:Get*', 'sts:AssumeRole'];
const RESOURCES = ['*', 'arn:aws:s3:::b/k', 'arn:aws:s3:::b/dir/k', `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-1`];
const RESOURCE_PATTERNS = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/k', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:ec2:*:*:vpc/*', 'arn:aws:s3:::b/?'];
const CONDITIONS: Record<string, unknown>[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringNotEquals: { 'aws:PrincipalTag/team': ['blue', 'green'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
  { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'a*' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { StringLikeIfExists: { 'aws:PrincipalTag/team': 'r*' } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
];

const PRINCIPALS: RequestPrincipal[] = [
  { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, account: ACCOUNT },
  { kind: 'assumed-role', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s`, account: ACCOUNT, roleArn: `arn:aws:iam::${ACCOUNT}:role/R` },
  { kind: 'user', arn: `arn:aws:iam::${OTHER_ACCOUNT}:user/bob`, account: OTHER_ACCOUNT },
  { kind: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, account: ACCOUNT },
  { kind: 'service', arn: 'memorydb.amazonaws.com' },
];
const PRINCIPAL_SPECS: unknown[] = [
  '*',
  { AWS: ACCOUNT },
  { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` },
  { AWS: `arn:aws:iam::${ACCOUNT}:role/R` },
  { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/R/s` },
  { AWS: OTHER_ACCOUNT },
  { Service: 'memorydb.amazonaws.com' },
];

const identityStatement = (effect?: 'Allow' | 'Deny') =>
  fc.record(
    {
      Effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      actionKey: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
      actions: fc.uniqueArray(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
      resourceKey: fc.constantFrom('Resource', 'Resource', 'Resource', 'NotResource'),
      resources: fc.uniqueArray(fc.constantFrom(...RESOURCE_PATTERNS), { minLength: 1, maxLength: 2 }),
      condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
    },
    { requiredKeys: ['Effect', 'actionKey', 'actions', 'resourceKey', 'resources'] },
  ).map(({ Effect, actionKey, actions, resourceKey, resources, condition }) => ({
    Effect,
    [actionKey]: actions,
    [resourceKey]: resources,
    ...(condition ? { Condition: condition } : {}),
  }));

const resourceStatement = (effect?: 'Allow' | 'Deny') =>
  fc.tuple(identityStatement(effect), fc.constantFrom(...PRINCIPAL_SPECS)).map(([s, principal]) => ({ ...s, Principal: principal }));

const document = (statement: fc.Arbitrary<Record<string, unknown>>) =>
  fc.array(statement, { minLength: 1, maxLength: 4 }).map((Statement): Doc => ({ Version: '2012-10-17', Statement }));

interface Scenario {
  identity: Doc[];
  resource?: Doc;
  boundary?: Doc;
  session?: Doc[];
  request: AuthzRequest;
}

const scenario: fc.Arbitrary<Scenario> = fc.record(
  {
    identity: fc.array(document(identityStatement()), { maxLength: 3 }),
    resource: document(resourceStatement()),
    boundary: document(identityStatement()),
    session: fc.array(document(identityStatement()), { minLength: 1, maxLength: 2 }),
    request: fc.record({
      principal: fc.constantFrom(...PRINCIPALS),
      action: fc.constantFrom(...ACTIONS),
      resource: fc.constantFrom(...RESOURCES),
      resourceAccount: fc.constantFrom(ACCOUNT, ACCOUNT, OTHER_ACCOUNT),
      context: fc.record(
        {
          'aws:PrincipalTag/team': fc.constantFrom('red', 'blue', 'rose'),
          'aws:TagKeys': fc.subarray(['a', 'b', 'c']),
          'aws:SecureTransport': fc.constantFrom('true', 'false'),
          'aws:SourceIp': fc.constantFrom('10.1.2.3', '192.0.2.1'),
          'aws:username': fc.constant('alice'),
          's3:max-keys': fc.constantFrom('5', '50'),
        },
        { requiredKeys: [] },
      ),
    }),
  },
  { requiredKeys: ['identity', 'request'] },
);

function build(s: Scenario): PolicySet {
  const set: PolicySet = { identity: s.identity.map((d) => compiled(d, 'identity')) };
  if (s.resource) set.resource = compiled(s.resource, 'resource');
  if (s.boundary) set.boundary = compiled(s.boundary, 'boundary');
  if (s.session) set.session = s.session.map((d) => compiled(d, 'session'));
  return set;
}

const reversed = (d: Doc): Doc => ({ ...d, Statement: [...d.Statement].reverse() });
const permissive = { Effect: 'Allow', Action: '*', Resource: '*' };
const RUNS = { numRuns: 300 };

it('decisions do not depend on the order of statements or policies', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const flipped: Scenario = {
        ...s,
        identity: s.identity.map(reversed).reverse(),
        ...(s.resource ? { resource: reversed(s.resource) } : {}),
        ...(s.boundary ? { boundary: reversed(s.boundary) } : {}),
        ...(s.session ? { session: s.session.map(reversed).reverse() } : {}),
      };
      assert.deepEqual(evaluate(build(flipped), s.request), evaluate(build(s), s.request));
    }),
    RUNS,
  );
});

it('adding a Deny never turns a denial into Allow', () => {
  const where = fc.constantFrom<PolicyKind>('identity', 'resource', 'boundary', 'session');
  fc.assert(
    fc.property(scenario, identityStatement('Deny'), resourceStatement('Deny'), where, (s, deny, resourceDeny, kind) => {
      const before = evaluate(build(s), s.request);
      const grown = withStatement(s, kind, kind === 'resource' ? resourceDeny : deny);
      const after = evaluate(build(grown), s.request);
      if (before.decision !== 'Allow') assert.notEqual(after.decision, 'Allow');
    }),
    RUNS,
  );
});

it('adding an Allow never turns Allow into a denial', () => {
  const where = fc.constantFrom<PolicyKind>('identity', 'resource', 'boundary', 'session');
  fc.assert(
    fc.property(scenario, identityStatement('Allow'), resourceStatement('Allow'), where, (s, allow, resourceAllow, kind) => {
      const before = evaluate(build(s), s.request);
      const grown = withStatement(s, kind, kind === 'resource' ? resourceAllow : allow);
      const after = evaluate(build(grown), s.request);
      if (before.decision === 'Allow') assert.equal(after.decision, 'Allow');
    }),
    RUNS,
  );
});

it('explain() reaches the decision of evaluate()', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      const set = build(s);
      const result = evaluate(set, s.request);
      const explained = explain(set, s.request);
      assert.equal(explained.decision, result.decision);
      assert.equal(explained.deniedBy, result.deniedBy);
    }),
    { numRuns: 500 },
  );
});

it('the generators reach every decision (the properties are not vacuous)', () => {
  const seen = new Set<string>();
  fc.assert(
    fc.property(scenario, (s) => {
      seen.add(evaluate(build(s), s.request).decision);
    }),
    RUNS,
  );
  assert.deepEqual([...seen].sort(), ['Allow', 'ExplicitDeny', 'ImplicitDeny']);
  // A permissive identity policy alone allows a same-account user.
  const s: Scenario = { identity: [{ Version: '2012-10-17', Statement: [permissive] }], request: { principal: PRINCIPALS[0], action: 's3:GetObject', resource: '*', context: {} } };
  assert.equal(evaluate(build(s), s.request).decision, 'Allow');
});

/** The scenario with one more statement in a policy of `kind` (a new policy when there is none). */
function withStatement(s: Scenario, kind: PolicyKind, statement: Record<string, unknown>): Scenario {
  const add = (d: Doc): Doc => ({ ...d, Statement: [...d.Statement, statement] });
  switch (kind) {
    case 'identity':
      return s.identity.length > 0 ? { ...s, identity: [add(s.identity[0]), ...s.identity.slice(1)] } : { ...s, identity: [{ Version: '2012-10-17', Statement: [statement] }] };
    case 'resource':
      return s.resource ? { ...s, resource: add(s.resource) } : s;
    case 'boundary':
      return s.boundary ? { ...s, boundary: add(s.boundary) } : s;
    default:
      return s.session ? { ...s, session: [add(s.session[0]), ...s.session.slice(1)] } : s;
  }
}

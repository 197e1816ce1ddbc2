// Policy documents for the fuzzer: documents IAM accepts, trees from the whole policy grammar (Version,
// Statement, Effect, Action, Resource, Principal, Condition with every operator family, qualifier and
// IfExists, valid words and invalid ones), and such trees broken at the tree (wrong types, unknown and missing elements, huge lists and strings,
// deep nesting) or at the text (truncated, duplicate keys, comments, control characters, not JSON).
// The result is the document's text, as a client puts it in PolicyDocument / Policy.

import fc from 'fast-check';

export type DocumentKind = 'identity' | 'trust';

const ACCOUNT = '123456789012';

const ACTIONS = [
  '*', 'iam:*', 'iam:GetRole', 'iam:Get*', 'iam:?etRole', 'sts:AssumeRole', 'sts:TagSession', 's3:GetObject',
  'ec2:Describe*', 'memorydb:CreateCluster', 'IAM:getrole', 'iam:', ':', 'iam', 'a:b:c', '', '*:*', 'iam:Get**',
];
const RESOURCES = [
  '*', `arn:aws:iam::${ACCOUNT}:role/*`, `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`, 'arn:aws:s3:::bucket/key?',
  'arn:aws:ec2:*:*:subnet/*', 'arn:aws:iam::*:role/a/b/c', 'arn:aws', 'arn:aws:iam::', 'arn:aws:iam::123:role/${', 'not-an-arn',
  'arn:aws:s3:::${aws:PrincipalTag/team}/*', 'arn:aws:iam::123456789012:role/${aws:nope', '',
];
const PRINCIPAL_VALUES = [
  ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:user/fuzz1`, `arn:aws:iam::${ACCOUNT}:role/fuzz1`,
  `arn:aws:sts::${ACCOUNT}:assumed-role/fuzz1/s`, '444455556666', '*', 'arn:aws:iam::12345:root', 'AIDAEXAMPLE', 'arn:aws:iam::*:root', '',
];
const SERVICE_PRINCIPALS = ['ec2.amazonaws.com', 'memorydb.amazonaws.com', 'nope', '*', ''];
const FEDERATED = ['cognito-identity.amazonaws.com', `arn:aws:iam::${ACCOUNT}:saml-provider/x`, `arn:aws:iam::${ACCOUNT}:oidc-provider/x`];

const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
  'StringEqualz', '', 'ForAllValues', 'IfExists',
];
const CONDITION_KEYS = [
  'aws:PrincipalTag/team', 'aws:RequestTag/${aws:username}', 'aws:TagKeys', 'aws:SourceIp', 'aws:CurrentTime', 'aws:EpochTime',
  'aws:SecureTransport', 'aws:PrincipalArn', 'aws:userid', 'iam:AWSServiceName', 'sts:ExternalId', 'aws:MultiFactorAuthAge',
  's3:max-keys', 'aws:nope', 'AWS:SourceIP', '', 'aws:', ':', 'x',
];
const CONDITION_VALUES = [
  'red', '*', 'r?d', '10.0.0.0/8', '10.0.0.0/33', '::1', '2001:db8::/129', '2020-01-01T00:00:00Z', '1577836800', 'yesterday',
  'true', 'false', 'TRUE', '42', '-1e400', 'NaN', 'arn:aws:iam::123456789012:role/*', 'dGVzdA==', '${aws:username}', '',
];

/** Any JSON value, small: where the grammar has an element, a wrong one goes instead. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, 0, -1, 1.5, [], {}, '', '*', 'Allow', [[]], { AWS: [] }),
);

const oneOrMany = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> => fc.oneof(arb, fc.array(arb, { minLength: 0, maxLength: 4 }));

const principal: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('*') },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        AWS: oneOrMany(fc.constantFrom(...PRINCIPAL_VALUES)),
        Service: oneOrMany(fc.constantFrom(...SERVICE_PRINCIPALS)),
        Federated: oneOrMany(fc.constantFrom(...FEDERATED)),
        CanonicalUser: fc.constantFrom('79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'),
        Nope: fc.constant('x'),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: junk },
);

const operator: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '', '', 'ForAllValues:', 'ForAnyValue:', 'ForSomeValues:'), fc.constantFrom(...BASE_OPERATORS), fc.constantFrom('', '', 'IfExists'))
  .map(([q, base, ifExists]) => q + base + ifExists);

const conditionValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: oneOrMany(fc.constantFrom(...CONDITION_VALUES)) },
  { weight: 1, arbitrary: oneOrMany(fc.oneof(fc.integer(), fc.boolean(), fc.double())) },
  { weight: 1, arbitrary: junk },
);

const condition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(operator, fc.dictionary(fc.constantFrom(...CONDITION_KEYS), conditionValue, { maxKeys: 3 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: junk },
);

function statement(kind: DocumentKind): fc.Arbitrary<Record<string, unknown>> {
  const effect = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: fc.constantFrom('allow', 'Permit', '') }, { weight: 1, arbitrary: junk });
  const actions = fc.oneof({ weight: 8, arbitrary: oneOrMany(fc.constantFrom(...ACTIONS)) }, { weight: 1, arbitrary: junk });
  const resources = fc.oneof({ weight: 8, arbitrary: oneOrMany(fc.constantFrom(...RESOURCES)) }, { weight: 1, arbitrary: junk });
  return fc
    .record(
      {
        Sid: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{0,12}$/), junk),
        Effect: effect,
        actionKey: fc.constantFrom('Action', 'Action', 'NotAction'),
        actions,
        resourceKey: fc.constantFrom('Resource', 'Resource', 'NotResource'),
        resources,
        principalKey: fc.constantFrom('Principal', 'Principal', 'NotPrincipal'),
        principal,
        Condition: condition,
        unknown: fc.record({ [`Nope`]: junk }),
      },
      // Trust policies name a principal and seldom a resource; identity policies the other way round.
      { requiredKeys: kind === 'trust' ? ['Effect', 'actionKey', 'actions', 'principalKey', 'principal'] : ['Effect', 'actionKey', 'actions', 'resourceKey', 'resources'] },
    )
    .map((s) => {
      const out: Record<string, unknown> = {};
      if (s.Sid !== undefined) out.Sid = s.Sid;
      out.Effect = s.Effect;
      if (s.actionKey && s.actions !== undefined) out[s.actionKey] = s.actions;
      if (s.resourceKey && s.resources !== undefined) out[s.resourceKey] = s.resources;
      if (s.principalKey && s.principal !== undefined) out[s.principalKey] = s.principal;
      if (s.Condition !== undefined) out.Condition = s.Condition;
      if (s.unknown !== undefined) Object.assign(out, s.unknown);
      return out;
    });
}

function documentTree(kind: DocumentKind): fc.Arbitrary<unknown> {
  const version = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('2012-10-17', '2008-10-17') }, { weight: 1, arbitrary: junk });
  const statements = fc.oneof(
    { weight: 6, arbitrary: fc.array(statement(kind), { minLength: 1, maxLength: 4 }) },
    { weight: 2, arbitrary: statement(kind) },
    { weight: 1, arbitrary: junk },
  );
  return fc.record(
    { Version: version, Id: fc.oneof(fc.string({ maxLength: 8 }), junk), Statement: statements },
    { requiredKeys: ['Statement'] },
  );
}

// Documents IAM accepts, so that the cases also get past the document checks: a valid vocabulary
// only, each condition operator with values of its own type.
const VALID_ACTIONS = ['*', 'iam:*', 'iam:GetRole', 'iam:Get*', 'iam:?etRole', 's3:GetObject', 'ec2:Describe*', 'memorydb:CreateCluster', 'IAM:getrole'];
const VALID_RESOURCES = ['*', `arn:aws:iam::${ACCOUNT}:role/*`, `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`, 'arn:aws:s3:::bucket/key?', 'arn:aws:ec2:*:*:subnet/*'];
const VALID_PRINCIPALS: unknown[] = [
  { AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }, { AWS: [`arn:aws:iam::${ACCOUNT}:root`, '444455556666'] },
  { Service: 'ec2.amazonaws.com' }, { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, '*',
];
const VALID_CONDITIONS: Record<string, unknown>[] = [
  { StringEquals: { 'aws:PrincipalTag/team': 'red' } },
  { StringLike: { 'aws:PrincipalTag/team': ['r*', 'b?ue'] } },
  { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } },
  { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'a*' } },
  { NumericLessThan: { 's3:max-keys': '10' } },
  { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } },
  { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } },
  { Null: { 'aws:PrincipalTag/team': 'false' } },
  { StringEqualsIfExists: { 'sts:ExternalId': 'x' } },
];

function validStatement(kind: DocumentKind): fc.Arbitrary<Record<string, unknown>> {
  const condition = fc.option(fc.constantFrom(...VALID_CONDITIONS), { nil: undefined });
  if (kind === 'trust') {
    return fc.record({ Effect: fc.constantFrom('Allow', 'Deny'), Principal: fc.constantFrom(...VALID_PRINCIPALS), Action: fc.constantFrom('sts:AssumeRole', ['sts:AssumeRole', 'sts:TagSession']), Condition: condition }, { requiredKeys: ['Effect', 'Principal', 'Action'] });
  }
  return fc.record(
    {
      Sid: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
      Effect: fc.constantFrom('Allow', 'Deny'),
      Action: fc.oneof(fc.constantFrom(...VALID_ACTIONS), fc.uniqueArray(fc.constantFrom(...VALID_ACTIONS), { minLength: 1, maxLength: 3 })),
      Resource: fc.oneof(fc.constantFrom(...VALID_RESOURCES), fc.uniqueArray(fc.constantFrom(...VALID_RESOURCES), { minLength: 1, maxLength: 2 })),
      Condition: condition,
    },
    { requiredKeys: ['Effect', 'Action', 'Resource'] },
  );
}

const validDocument = (kind: DocumentKind): fc.Arbitrary<unknown> =>
  fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(validStatement(kind), { minLength: 1, maxLength: 3 }) });

/** Breaks a document tree at one place (the place is chosen by `at`, modulo the number of places). */
type TreeMutation = { kind: 'replace'; at: number; with: unknown } | { kind: 'drop'; at: number } | { kind: 'grow'; at: number; size: number };

const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), with: junk }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), size: fc.constantFrom(100, 3000, 20_000) }),
);

/** Every (container, key) in a tree, in a stable order. */
function places(tree: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(tree)) {
    tree.forEach((v, i) => {
      out.push([tree, i]);
      places(v, out);
    });
  } else if (tree !== null && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) {
      out.push([tree as Record<string, unknown>, k]);
      places(v, out);
    }
  }
  return out;
}

function applyTreeMutation(tree: unknown, m: TreeMutation): unknown {
  const copy = structuredClone(tree);
  const all = places(copy);
  if (all.length === 0) return copy;
  const [container, key] = all[m.at % all.length];
  const set = (v: unknown) => {
    if (Array.isArray(container)) container[key as number] = v;
    else container[key as string] = v;
  };
  const current = Array.isArray(container) ? container[key as number] : container[key as string];
  switch (m.kind) {
    case 'replace':
      set(m.with);
      break;
    case 'drop':
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
      break;
    case 'grow':
      // A long string, or a long list of short strings: large, but never copies of a large statement.
      set(typeof current === 'string' ? current.padEnd(m.size, 'x') : Array.from({ length: m.size }, (_, i) => `iam:Get${i}`));
      break;
  }
  return copy;
}

/** Text-level damage, on the serialised document. */
type TextMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-key' }
  | { kind: 'wrap'; before: string; after: string }
  | { kind: 'nest'; depth: number }
  | { kind: 'replace'; text: string };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.oneof(fc.constantFrom(',', '}', ']', '"', '\\', '\u0000', '\u0001', '\ud800', '\ufeff', '/* c */', '\u2028', '\uffff', '\n', ' '.repeat(5000)), fc.string({ unit: 'binary', maxLength: 8 })),
  }),
  fc.constant({ kind: 'duplicate-key' as const }),
  fc.record({ kind: fc.constant('wrap' as const), before: fc.constantFrom('\ufeff', ' \n\t', '[', '', 'x'), after: fc.constantFrom(',', ' ', ']', '}', '// c', 'garbage', '') }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.constantFrom(50, 1000, 100_000) }),
  fc.record({ kind: fc.constant('replace' as const), text: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('', 'null', '[]', '{}', '"x"', '1e400', '{"Statement":[]}', '{"Version":"2012-10-17"}')) }),
);

function applyTextMutation(text: string, m: TextMutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * m.at));
    case 'insert': {
      const at = Math.floor(text.length * m.at);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'duplicate-key':
      return text.replace(/^\{/, '{"Statement":[],');
    case 'wrap':
      return m.before + text + m.after;
    case 'nest':
      return `{"Version":"2012-10-17","Statement":${'['.repeat(m.depth)}${']'.repeat(m.depth)}}`;
    case 'replace':
      return m.text;
  }
}

const texts = new Map<DocumentKind, fc.Arbitrary<string>>();

/** A policy document's text: mostly from the grammar, a good part broken on purpose. */
export function policyText(kind: DocumentKind): fc.Arbitrary<string> {
  let text = texts.get(kind);
  if (!text) texts.set(kind, (text = buildPolicyText(kind)));
  return text;
}

function buildPolicyText(kind: DocumentKind): fc.Arbitrary<string> {
  const tree = documentTree(kind);
  return fc.oneof(
    { weight: 4, arbitrary: validDocument(kind).map((t) => JSON.stringify(t)) },
    { weight: 3, arbitrary: tree.map((t) => JSON.stringify(t)) },
    { weight: 2, arbitrary: fc.tuple(tree, treeMutation).map(([t, m]) => JSON.stringify(applyTreeMutation(t, m)) ?? 'null') },
    { weight: 2, arbitrary: fc.tuple(tree, textMutation).map(([t, m]) => applyTextMutation(JSON.stringify(t), m)) },
    { weight: 1, arbitrary: fc.tuple(tree, fc.constantFrom(0, 2, '\t')).map(([t, indent]) => JSON.stringify(t, null, indent)) },
  );
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicy, policySize, POLICY_SIZE_LIMITS, type PolicyParseOptions } from '../../src/policy/parse.ts';
import { MSG } from '../../src/policy/messages.ts';
import type { ParsedPolicy, PolicyKind } from '../../src/policy/types.ts';

const V = '2012-10-17';
const text = (doc: unknown): string => (typeof doc === 'string' ? doc : JSON.stringify(doc));

function rejects(doc: unknown, message: string, kind: PolicyKind = 'identity', options: PolicyParseOptions = {}): void {
  const result = parsePolicy(text(doc), kind, options);
  assert.deepEqual(result, { ok: false, error: { code: 'MalformedPolicyDocument', message } });
}

function accepts(doc: unknown, kind: PolicyKind = 'identity', options: PolicyParseOptions = {}): ParsedPolicy {
  const result = parsePolicy(text(doc), kind, options);
  if (!result.ok) assert.fail(`expected ${text(doc)} to be accepted, got ${result.error.message}`);
  return result.policy;
}

/** One identity statement with the given fields over a valid default. */
const stmt = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  Effect: 'Allow', Action: 'memorydb:DescribeClusters', Resource: 'arn:aws:memorydb:us-east-1:123456789012:cluster/c1', ...fields,
});
const doc = (...statements: Record<string, unknown>[]) => ({ Version: V, Statement: statements });
const trustStmt = (fields: Record<string, unknown> = {}) => ({
  Effect: 'Allow', Principal: { Service: 'memorydb.amazonaws.com' }, Action: 'sts:AssumeRole', ...fields,
});

describe('parsePolicy: normalised output', () => {
  it('turns every list into an array, splits conditions per operator and key, and keeps values as text', () => {
    const policy = accepts({
      Version: V,
      Id: 'p1',
      Statement: {
        Sid: 'Tagged',
        Effect: 'Deny',
        NotAction: 'iam:Get*',
        NotResource: ['arn:aws:iam::123456789012:role/a', '*'],
        Condition: {
          'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['env', 'team'], 'aws:RequestTag/env': 'prod' },
          NumericLessThan: { 's3:max-keys': 10.5 },
          Bool: { 'aws:SecureTransport': false },
        },
      },
    });
    assert.deepEqual(policy, {
      kind: 'identity',
      version: V,
      id: 'p1',
      statements: [{
        index: 0,
        sid: 'Tagged',
        effect: 'Deny',
        notAction: ['iam:Get*'],
        notResource: ['arn:aws:iam::123456789012:role/a', '*'],
        conditions: [
          { operator: 'ForAllValues:StringLikeIfExists', base: 'StringLike', qualifier: 'ForAllValues', ifExists: true, key: 'aws:TagKeys', values: ['env', 'team'] },
          { operator: 'ForAllValues:StringLikeIfExists', base: 'StringLike', qualifier: 'ForAllValues', ifExists: true, key: 'aws:RequestTag/env', values: ['prod'] },
          { operator: 'NumericLessThan', base: 'NumericLessThan', ifExists: false, key: 's3:max-keys', values: ['10.5'] },
          { operator: 'Bool', base: 'Bool', ifExists: false, key: 'aws:SecureTransport', values: ['false'] },
        ],
      }],
    });
  });

  it('gives statements their position and principals as arrays', () => {
    const policy = accepts({
      Statement: [
        trustStmt(),
        trustStmt({ Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/ops'], Federated: 'accounts.google.com' } }),
        trustStmt({ Principal: '*' }),
      ],
    }, 'trust');
    assert.equal(policy.version, undefined, 'no Version stays absent: variables are then literal');
    assert.deepEqual(policy.statements.map((s) => s.index), [0, 1, 2]);
    assert.deepEqual(policy.statements[0].principal, { Service: ['memorydb.amazonaws.com'] });
    assert.deepEqual(policy.statements[1].principal, {
      AWS: ['123456789012', 'arn:aws:iam::123456789012:role/ops'], Federated: ['accounts.google.com'],
    });
    assert.equal(policy.statements[2].principal, '*');
    assert.deepEqual(policy.statements[0].action, ['sts:AssumeRole']);
    assert.deepEqual(policy.statements[0].conditions, []);
  });

  it('keeps Version 2008-10-17 for inline, trust and session policies', () => {
    assert.equal(accepts({ Version: '2008-10-17', Statement: stmt() }).version, '2008-10-17');
    assert.equal(accepts({ Version: '2008-10-17', Statement: trustStmt() }, 'trust').version, '2008-10-17');
    assert.equal(accepts({ Version: '2008-10-17', Statement: stmt() }, 'session').kind, 'session');
  });

  it('drops an unknown operator whose block is empty, as AWS ignores it', () => {
    assert.deepEqual(accepts(doc(stmt({ Condition: { Whatever: {}, DateGreaterThan: {} } }))).statements[0].conditions, []);
  });

  it('accepts empty condition value lists and empty Sids more than once', () => {
    assert.deepEqual(accepts(doc(stmt({ Condition: { StringEquals: { 'aws:username': [] } } }))).statements[0].conditions[0].values, []);
    accepts(doc(stmt({ Sid: '' }), stmt({ Sid: '' })));
  });
});

describe('parsePolicy: JSON', () => {
  for (const [name, input] of [
    ['not JSON', 'Allow everything please'],
    ['trailing garbage', `${JSON.stringify(doc(stmt()))} x`],
    ['a byte-order mark', `\uFEFF${JSON.stringify(doc(stmt()))}`],
    ['a trailing comma', '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",}}'],
    ['a duplicated key', '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}}'],
    ['100 000 open brackets', '['.repeat(100_000)],
    ['deep but closed nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['an empty text', ''],
    ['a lone surrogate escape that is fine JSON but a string', '"\\ud800"'],
  ] as const) {
    it(`refuses ${name}: "Syntax errors in policy." / trust "This policy contains invalid Json"`, () => {
      rejects(input, MSG.syntax);
      const expectedForTrust = name.includes('surrogate') ? MSG.syntax : MSG.invalidJson;
      rejects(input, expectedForTrust, 'trust');
    });
  }

  it('reads escapes and numbers as written', () => {
    const policy = accepts('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get\\u002a","Resource":"arn:aws:s3:::b\\/k",'
      + '"Condition":{"NumericEquals":{"n":-1.5e+3}}}}');
    assert.deepEqual(policy.statements[0].action, ['s3:Get*']);
    assert.deepEqual(policy.statements[0].resource, ['arn:aws:s3:::b/k']);
    assert.deepEqual(policy.statements[0].conditions[0].values, ['-1.5e+3']);
  });

  it('answers a 1 MB string value without trouble', () => {
    rejects(doc(stmt({ Resource: 'x'.repeat(1 << 20) })), `Resource ${'x'.repeat(1 << 20)} must be in ARN format or "*".`);
  });
});

describe('parsePolicy: grammar → "Syntax errors in policy."', () => {
  const cases: [string, unknown][] = [
    ['a JSON string document', JSON.stringify(JSON.stringify(doc(stmt())))],
    ['an array document', [doc(stmt())]],
    ['an unknown top-level key', { ...doc(stmt()), Extra: 1 }],
    ['an unknown statement key', doc(stmt({ Actions: 'iam:GetRole' }))],
    ['a lower-case element name', doc({ effect: 'Allow', Action: '*', Resource: '*' })],
    ['an unknown Version', { Version: '2012-10-18', Statement: stmt() }],
    ['a numeric Version', { Version: 2012, Statement: stmt() }],
    ['a missing Statement', { Version: V }],
    ['an empty Statement list', { Version: V, Statement: [] }],
    ['a string statement', { Version: V, Statement: ['Allow'] }],
    ['an Id that is not a string', { Version: V, Id: ['a'], Statement: stmt() }],
    ['a missing Effect', doc({ Action: '*', Resource: '*' })],
    ['an Effect that is neither Allow nor Deny', doc(stmt({ Effect: 'Permit' }))],
    ['a Sid that is not a string', doc(stmt({ Sid: 7 }))],
    ['both Action and NotAction', doc(stmt({ NotAction: 'iam:*' }))],
    ['both Resource and NotResource', doc(stmt({ NotResource: [] }))],
    ['an Action object', doc(stmt({ Action: {} }))],
    ['an Action list holding a list', doc(stmt({ Action: [[]] }))],
    ['a Resource list holding an object', doc(stmt({ Resource: ['arn:aws:s3:::b', {}] }))],
    ['a null Resource', doc(stmt({ Resource: null }))],
    ['a Condition list', doc(stmt({ Condition: [{ StringEquals: { a: 'b' } }] }))],
    ['a Condition string', doc(stmt({ Condition: 'a' }))],
    ['an operator with a string block', doc(stmt({ Condition: { DateGreaterThan: 'b' } }))],
    ['an operator with a list block', doc(stmt({ Condition: { DateGreaterThan: [] } }))],
    ['a condition value that is an object', doc(stmt({ Condition: { StringEquals: { a: {} } } }))],
    ['a condition value that is null', doc(stmt({ Condition: { StringEquals: { a: null } } }))],
    ['an unknown operator with keys', doc(stmt({ Condition: { StringMatches: { a: '1' } } }))],
    ['a doubled qualifier colon', doc(stmt({ Condition: { 'ForAnyValue::StringEquals': { a: '1' } } }))],
    ['an unknown qualifier', doc(stmt({ Condition: { 'ForSomeValues:StringEquals': { a: '1' } } }))],
    ['NullIfExists', doc(stmt({ Condition: { NullIfExists: { a: 'true' } } }))],
    ['an operator in the wrong case', doc(stmt({ Condition: { stringequals: { a: '1' } } }))],
    ['a Principal string other than "*"', { Version: V, Statement: trustStmt({ Principal: 'memorydb.amazonaws.com' }) }],
    ['an unknown principal type', { Version: V, Statement: trustStmt({ Principal: { Services: 'memorydb.amazonaws.com' } }) }],
    ['an empty Principal object', { Version: V, Statement: trustStmt({ Principal: {} }) }],
  ];
  for (const [name, input] of cases) it(name, () => rejects(input, MSG.syntax, name.includes('Principal') || name.includes('principal') ? 'trust' : 'identity'));

  it('checks the grammar before anything else (a statement without actions, with a bad condition)', () => {
    rejects(doc({ Effect: 'Allow', Resource: '*', Condition: { DateGreaterThan: { a: {} } } }), MSG.syntax);
  });
});

describe('parsePolicy: version', () => {
  it('requires 2012-10-17 for managed policies, before the later checks', () => {
    rejects({ Statement: stmt() }, MSG.versionTooOld, 'identity', { managed: true });
    rejects({ Version: '2008-10-17', Statement: stmt() }, MSG.versionTooOld, 'identity', { managed: true });
    rejects({ Statement: [stmt({ Sid: 'a' }), { Sid: 'a', Effect: 'Allow' }] }, MSG.versionTooOld, 'identity', { managed: true });
    rejects({ Statement: stmt({ Effect: 'allow' }) }, MSG.versionTooOld, 'boundary', { managed: true });
    accepts(doc(stmt()), 'identity', { managed: true });
  });

  it('lets an inline policy say nothing', () => {
    accepts({ Statement: stmt() });
  });
});

describe('parsePolicy: elements by kind', () => {
  for (const kind of ['identity', 'boundary', 'session'] as const) {
    it(`${kind}: "Policy document should not specify a principal."`, () => {
      rejects(doc(stmt({ Principal: '*' })), MSG.principalNotAllowed, kind);
      rejects(doc(stmt({ NotPrincipal: { AWS: '123456789012' } })), MSG.principalNotAllowed, kind);
    });
  }

  it('trust: Resource is prohibited, Principal required', () => {
    rejects(doc(trustStmt({ Resource: '*' })), MSG.prohibitedResource, 'trust');
    rejects(doc(trustStmt({ NotResource: '*' })), MSG.prohibitedNotResource, 'trust');
    rejects(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), MSG.missingPrincipal, 'trust');
    accepts(doc(trustStmt({ NotPrincipal: { AWS: '123456789012' }, Principal: undefined })), 'trust');
  });

  it('resource: Principal required, Resource required', () => {
    rejects(doc(stmt()), MSG.missingPrincipal, 'resource');
    rejects(doc({ Effect: 'Allow', Action: 'iam:GetRole', Principal: '*' }), MSG.missingResources, 'resource');
    accepts(doc(stmt({ Principal: { AWS: 'arn:aws:iam::123456789012:root' } })), 'resource');
  });

  it('trust: only STS AssumeRole-family actions', () => {
    rejects(doc(trustStmt({ Action: 'sts:GetCallerIdentity' })), MSG.trustActionsOnlyAssumeRole, 'trust');
    rejects(doc(trustStmt({ Action: ['sts:AssumeRole', 'iam:PassRole'] })), MSG.trustActionsOnlyAssumeRole, 'trust');
    rejects(doc(trustStmt({ Action: undefined, NotAction: 'sts:AssumeRole' })), MSG.trustActionsOnlyAssumeRole, 'trust');
    for (const action of ['sts:AssumeRole', 'STS:assumerole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML',
      'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext', 'sts:AssumeRole*', 'sts:*']) {
      accepts(doc(trustStmt({ Action: action })), 'trust');
    }
  });
});

describe('parsePolicy: "The policy failed legacy parsing"', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['an Effect in the wrong case', stmt({ Effect: 'deny' })],
    ['a date that is not a date', stmt({ Condition: { DateGreaterThan: { 'aws:CurrentTime': 'tomorrow' } } })],
    ['month 13', stmt({ Condition: { DateLessThanEquals: { 'aws:CurrentTime': '2024-13' } } })],
    ['February 30', stmt({ Condition: { DateEquals: { 'aws:CurrentTime': '2023-02-30' } } })],
    ['a one-digit offset', stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': '2024-05-01T10:00:00+2' } } })],
    ['ten fraction digits', stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': '2024-05-01T10:00:00.1234567890Z' } } })],
    ['an epoch beyond 64 bits', stmt({ Condition: { 'ForAnyValue:DateNotEquals': { d: ['2024', '9223372036854775808'] } } })],
    ['a year beyond the clock', stmt({ Condition: { DateEquals: { d: '300000000-01-01' } } })],
    ['a known partition with an empty service', stmt({ Resource: 'arn:aws::::bucket' })],
    ['a five-part ARN', stmt({ Resource: 'arn:aws:s3::bucket' })],
    ['a four-part NotResource', stmt({ Resource: undefined, NotResource: 'arn:aws:memorydb:us-east-1' })],
  ];
  for (const [name, statement] of cases) it(name, () => rejects(doc(statement), MSG.legacyParsing));

  it('comes before missing actions, duplicate ids and partition errors', () => {
    rejects(doc({ Effect: 'Allow', Condition: { DateGreaterThan: { a: 'x' } } }), MSG.legacyParsing);
    rejects(doc(stmt({ Sid: 'a', Effect: 'aLLow' }), { Sid: 'a', Effect: 'Allow' }), MSG.legacyParsing);
    rejects(doc(stmt({ Resource: 'arn:nope:s3:::b', Condition: { DateGreaterThan: { a: 'x' } } })), MSG.legacyParsing);
  });

  it('accepts the lenient ISO forms AWS accepts', () => {
    for (const date of ['2024-05-01T10:00:00Z', '2016-12-13T21:20:37.593194+00:00', '2016-12-13t2:00:00.593194+23',
      '01T', '-292275054', '1700000000', '9223372036854775807', '2024-W05-3', '2024-123', 'T10:15', '2024-02-29']) {
      accepts(doc(stmt({ Condition: { DateGreaterThan: { 'aws:CurrentTime': date } } })));
    }
  });

  it('accepts short ARNs AWS accepts: vendor only, or ending in a wildcard', () => {
    accepts(doc(stmt({ Resource: ['arn:aws:memorydb', 'arn:aws:waf:*', 'arn:aws:cloudfront::*:*', 'arn:*:kms:*:*:key/*'] })));
  });
});

describe('parsePolicy: statement ids', () => {
  it('"Statement IDs (SID) in a single policy must be unique." before missing actions', () => {
    rejects(doc(stmt({ Sid: 'One' }), { Sid: 'One', Effect: 'Allow' }), MSG.duplicateSid);
  });

  it('Sids are alphanumeric', () => {
    rejects(doc(stmt({ Sid: 'read-only' })), MSG.sidNotAlphanumeric);
    rejects(doc(stmt({ Sid: 'with space' })), MSG.sidNotAlphanumeric);
    accepts(doc(stmt({ Sid: 'ReadOnly2' })));
  });
});

describe('parsePolicy: actions and resources', () => {
  it('"Policy statement must contain actions." (missing or empty), before resources', () => {
    rejects(doc({ Effect: 'Allow', Resource: '*' }), MSG.missingActions);
    rejects(doc(stmt({ Action: [] })), MSG.missingActions);
    rejects(doc({ Effect: 'Deny' }), MSG.missingActions);
    rejects(doc(stmt(), { Effect: 'Deny' }), MSG.missingActions);
  });

  it('"Policy statement must contain resources." (missing or empty), before the action format', () => {
    rejects(doc({ Effect: 'Allow', Action: 'bogus' }), MSG.missingResources);
    rejects(doc(stmt({ Resource: [] })), MSG.missingResources);
  });

  it('resource formats, in AWS\'s words', () => {
    rejects(doc(stmt({ Resource: 'my bucket' })), 'Resource my bucket must be in ARN format or "*".');
    rejects(doc(stmt({ Resource: '' })), 'Resource  must be in ARN format or "*".');
    rejects(doc(stmt({ Resource: 'x:nope' })), 'Partition "nope" is not valid for resource "arn:nope:*:*:*:*".');
    rejects(doc(stmt({ Resource: 'x:p:svc' })), 'Partition "p" is not valid for resource "arn:p:svc:*:*:*".');
    rejects(doc(stmt({ Resource: 'aws:s3:::bucket' })), 'Partition "s3" is not valid for resource "arn:s3:::bucket:*".');
    rejects(doc(stmt({ Resource: 'a:b:c:d:e:f:g' })), 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g".');
    rejects(doc(stmt({ Resource: 'arn:aws' })), MSG.resourceVendorNotQualified);
    rejects(doc(stmt({ Resource: 'arn:aws:iam:::bucket' })), MSG.iamResourcePath);
    rejects(doc(stmt({ Resource: 'arn:aws:iam:eu-west-1::role/r' })), 'IAM resource arn:aws:iam:eu-west-1::role/r cannot contain region information.');
    rejects(doc(stmt({ Resource: 'arn:aws:s3:eu-west-1::bucket' })), 'Resource arn:aws:s3:eu-west-1::bucket can not contain region information.');
    accepts(doc(stmt({ Resource: ['arn:aws:s3:us-west-2:123456789012:accesspoint/ap', 'arn:aws:iam::123456789012:root',
      'arn:aws:iam::*:user/${aws:username}', 'arn:aws:ec2:us-east-1::image/*', 'arn:aws:anything-new:::x'] })));
  });

  it('resource format errors come before action format errors', () => {
    rejects(doc(stmt({ Action: 'a:b:c', Resource: 'nope' })), 'Resource nope must be in ARN format or "*".');
  });

  it('action formats, in AWS\'s words', () => {
    rejects(doc(stmt({ Action: 'DescribeClusters' })), MSG.actionNoVendor);
    rejects(doc(stmt({ Action: undefined, NotAction: '' })), MSG.actionNoVendor);
    rejects(doc(stmt({ Action: 'memorydb:Describe:Clusters' })), MSG.actionTwoColons);
    rejects(doc(stmt({ Action: ['iam:GetRole', 'memory db:Describe'] })), 'Vendor memory db is not valid');
    accepts(doc(stmt({ Action: ['*', 'iam:*', 's3:*Object', 'iam: odd but accepted ', 'aws-portal:View', 's3.x:Get'] })));
  });
});

describe('parsePolicy: principals', () => {
  const trustWith = (principal: unknown) => doc(trustStmt({ Principal: principal }));
  it('accepts every principal form AWS documents', () => {
    accepts(trustWith({
      AWS: ['*', '123456789012', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:user/path/alice',
        'arn:aws:iam::123456789012:role/ops', 'arn:aws:sts::123456789012:assumed-role/ops/s1', 'arn:aws-cn:iam::123456789012:root'],
      Service: ['ec2.amazonaws.com', 'elasticache.amazonaws.com.cn'],
      Federated: ['arn:aws:iam::123456789012:saml-provider/Okta', 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', 'cognito-identity.amazonaws.com'],
      CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    }), 'trust');
  });

  it('"Invalid principal in policy", naming the type as AWS does', () => {
    rejects(trustWith({ AWS: 'foo' }), 'Invalid principal in policy: "AWS":"foo"', 'trust');
    rejects(trustWith({ AWS: ['123456789012', 'arn:aws:iam::123456789012:role/*'] }),
      'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/*"', 'trust');
    rejects(trustWith({ AWS: '12345' }), 'Invalid principal in policy: "AWS":"12345"', 'trust');
    rejects(trustWith({ Service: 'amazonaws.com' }), 'Invalid principal in policy: "SERVICE":"amazonaws.com"', 'trust');
    rejects(trustWith({ Service: [] }), 'Invalid principal in policy: "SERVICE":""', 'trust');
    rejects(trustWith({ Federated: 'not a provider' }), 'Invalid principal in policy: "FEDERATED":"not a provider"', 'trust');
    rejects(trustWith({ CanonicalUser: 'abc' }), 'Invalid principal in policy: "CANONICALUSER":"abc"', 'trust');
  });
});

describe('parsePolicy: warnings for values that can never match', () => {
  it('warns about malformed Null, Bool, numeric, IP and binary values but accepts them', () => {
    const result = parsePolicy(text(doc(stmt({ Condition: {
      Null: { 'aws:TokenIssueTime': 'maybe' },
      Bool: { 'aws:SecureTransport': 'yes' },
      NumericLessThan: { 's3:max-keys': 'ten' },
      IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32', '10.0.0.300'] },
      BinaryEquals: { 'k': 'QmluYXJ5' },
    } }))), 'identity');
    assert.ok(result.ok);
    assert.equal(result.warnings.length, 4);
    assert.match(result.warnings[0], /Null on aws:TokenIssueTime expects true or false; "maybe" never matches/);
    assert.match(result.warnings[3], /"10\.0\.0\.300"/);
  });

  it('warns that variables are literal without a Version', () => {
    const result = parsePolicy(text({ Statement: stmt({ Resource: 'arn:aws:iam::*:user/${aws:username}' }) }), 'identity');
    assert.ok(result.ok);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0], /literal/);
  });
});

describe('policySize and limits', () => {
  it('does not count white space between tokens, counts it inside strings', () => {
    const compact = JSON.stringify(doc(stmt({ Sid: 'A' })));
    const pretty = JSON.stringify(doc(stmt({ Sid: 'A' })), null, 4);
    assert.equal(policySize(pretty, 'identity'), compact.length);
    assert.equal(policySize(pretty, 'trust'), compact.length);
    assert.equal(policySize('{ "a b" : "c\\" d" }', 'identity'), '{"a b":"c\\" d"}'.length);
  });

  it('counts every character of a session policy (the STS parameter limit)', () => {
    assert.equal(policySize(' { } ', 'session'), 5);
  });

  it('AWS default limits', () => {
    assert.deepEqual(
      [POLICY_SIZE_LIMITS.managed, POLICY_SIZE_LIMITS.inlineUser, POLICY_SIZE_LIMITS.inlineRole, POLICY_SIZE_LIMITS.inlineGroup,
        POLICY_SIZE_LIMITS.trust, POLICY_SIZE_LIMITS.session],
      [6144, 2048, 10240, 5120, 2048, 2048],
    );
  });

  it('answers LimitExceeded with AWS\'s quota text, before reading the JSON', () => {
    const big = doc(stmt({ Resource: `arn:aws:s3:::${'b'.repeat(6200)}` }));
    assert.deepEqual(parsePolicy(text(big), 'identity', { maxSize: 6144, managed: true }),
      { ok: false, error: { code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' } });
    assert.deepEqual(parsePolicy(`${'x'.repeat(3000)}`, 'trust', { maxSize: 2048 }),
      { ok: false, error: { code: 'LimitExceeded', message: 'Cannot exceed quota for ACLSizePerRole: 2048' } });
    const padded = `${' '.repeat(7000)}${JSON.stringify(doc(stmt()))}\n`;
    assert.ok(padded.length > 6144);
    accepts(padded, 'identity', { maxSize: 6144 });
  });
});

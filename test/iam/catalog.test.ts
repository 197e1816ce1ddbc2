import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsManagedPolicies, isServiceRolePolicy, withExtraPolicies } from '../../src/iam/catalog/managed-policies.ts';
import { loadServiceCatalog, ServiceCatalogError } from '../../src/iam/catalog/service-linked-roles.ts';
import { awsManagedPolicyId } from '../../src/iam/catalog/policy-id.ts';
import { parsePolicy } from '../../src/policy/parse.ts';
import { generateCatalog } from '../../scripts/generate-catalog.ts';
import { REFERENCE_DIR, referenceAbsent } from '../helpers/reference.ts';

const REFERENCE = `${REFERENCE_DIR}/data`;
const SR = 'arn:aws:iam::aws:policy/aws-service-role/';

// The seed texts as the project specification gives them, written out here independently of
// scripts/catalog/seed-policies.ts so that a change there cannot go unnoticed.
const SEEDS: Record<string, string> = {
  MemoryDBServiceRolePolicy:
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateNetworkInterface"},"ForAllValues:StringEquals":{"aws:TagKeys":["AmazonMemoryDBManaged"]}}},{"Effect":"Allow","Action":["ec2:CreateNetworkInterface"],"Resource":["arn:aws:ec2:*:*:network-interface/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:ResourceTag/AmazonMemoryDBManaged":"true"}}},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:security-group/*"},{"Effect":"Allow","Action":["ec2:DescribeSecurityGroups","ec2:DescribeNetworkInterfaces","ec2:DescribeAvailabilityZones","ec2:DescribeSubnets","ec2:DescribeVpcs"],"Resource":"*"},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"AWS/MemoryDB"}}}]}',
  AmazonMQServiceRolePolicy:
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeVpcEndpoints"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc-endpoint/*"],"Condition":{"StringEquals":{"aws:RequestTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateVpcEndpoint"}}},{"Effect":"Allow","Action":["ec2:DeleteVpcEndpoints"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:ResourceTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["logs:PutLogEvents","logs:DescribeLogStreams","logs:DescribeLogGroups","logs:CreateLogStream","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/amazonmq/*"]}]}',
  ElastiCacheServiceRolePolicy:
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:CreateNetworkInterface","ec2:CreateSecurityGroup","ec2:DeleteNetworkInterface","ec2:DeleteSecurityGroup","ec2:DescribeAvailabilityZones","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","ec2:RevokeSecurityGroupIngress","cloudwatch:PutMetricData","outposts:GetOutpost","outposts:GetOutpostInstanceTypes","outposts:ListOutposts","outposts:ListSites","logs:DeleteLogDelivery","application-autoscaling:DeregisterScalableTarget","application-autoscaling:DescribeScalableTargets"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:AssignIpv6Addresses","ec2:UnassignIpv6Addresses"],"Resource":"arn:aws:ec2:*:*:network-interface/eni-*"}]}',
};

/** JSON normalisation: parse, sort object keys recursively, print. */
function normalise(text: string): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]))
        : v;
  return JSON.stringify(sortKeys(JSON.parse(text)));
}

const defaultDocument = (arn: string): string => {
  const policy = awsManagedPolicies().get(arn);
  assert.ok(policy, arn);
  const version = policy.Versions.find((v) => v.IsDefaultVersion);
  assert.ok(version);
  return version.Document;
};

describe('AWS managed policies', () => {
  test('every reference policy with an ARN is kept; the ones without an ARN are left out', { skip: referenceAbsent }, (t) => {
    const reference = JSON.parse(gunzipSync(readFileSync(join(REFERENCE, 'managed-policies/aws-managed-policies.json.gz'))).toString()) as {
      policies: { Arn: string | null }[];
    };
    const withoutArn = reference.policies.filter((p) => p.Arn === null).length;
    assert.equal(reference.policies.length, 1645);
    assert.equal(withoutArn, 49);
    const catalog = awsManagedPolicies();
    assert.equal(catalog.list().length, 1645 - 49);
    assert.equal(new Set(catalog.list().map((p) => p.Arn)).size, 1596);
    t.diagnostic(`loaded in ${catalog.loadMillis.toFixed(0)} ms`);
  });

  test('records are coherent: one default version, dates, AWS-shaped unique ids, sorted list', () => {
    const list = awsManagedPolicies().list();
    const ids = new Set<string>();
    for (const p of list) {
      const defaults = p.Versions.filter((v) => v.IsDefaultVersion);
      assert.equal(defaults.length, 1, p.Arn);
      assert.equal(defaults[0].VersionId, p.DefaultVersionId, p.Arn);
      assert.equal(defaults[0].CreateDate.getTime(), p.UpdateDate.getTime(), p.Arn);
      assert.ok(p.CreateDate.getTime() <= p.UpdateDate.getTime(), p.Arn);
      assert.match(p.PolicyId, /^ANPA[A-Z2-7]{17}$/);
      ids.add(p.PolicyId);
      assert.equal(p.Arn, `arn:aws:iam::aws:policy${p.Path}${p.PolicyName}`);
      for (const v of p.Versions) assert.doesNotThrow(() => JSON.parse(v.Document), `${p.Arn} ${v.VersionId}`);
    }
    assert.equal(ids.size, list.length);
    const names = list.map((p) => p.PolicyName);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('real ids are kept, missing ids are derived from the ARN', () => {
    const catalog = awsManagedPolicies();
    assert.equal(catalog.get('arn:aws:iam::aws:policy/AdministratorAccess')?.PolicyId, 'ANPAIWMBCKSKIEE64ZLYK');
    const generated = catalog.list().filter((p) => p.PolicyId === awsManagedPolicyId(p.Arn));
    assert.ok(generated.length >= 140, `${generated.length} generated ids`);
    assert.equal(catalog.get('arn:aws:iam::aws:policy/NoSuchPolicy'), undefined);
  });

  test('service-role policies are reported attachable, as AWS does, and recognisable by path', () => {
    const memorydb = awsManagedPolicies().get(`${SR}MemoryDBServiceRolePolicy`)!;
    assert.equal(memorydb.IsAttachable, true);
    assert.equal(memorydb.Path, '/aws-service-role/');
    assert.equal(isServiceRolePolicy(memorydb), true);
    assert.equal(isServiceRolePolicy(awsManagedPolicies().get('arn:aws:iam::aws:policy/ReadOnlyAccess')!), false);
    // Deprecated ones are not attachable.
    assert.equal(awsManagedPolicies().get('arn:aws:iam::aws:policy/service-role/AWSConfigRole')?.IsAttachable, false);
  });

  test('the seed policies default to the seed text, byte for byte, and keep AWS history', () => {
    for (const [name, seed] of Object.entries(SEEDS)) {
      const text = defaultDocument(`${SR}${name}`);
      assert.equal(text, seed, name);
      assert.equal(normalise(text), normalise(seed), name);
      const parsed = parsePolicy(text, 'identity', { managed: true });
      assert.ok(parsed.ok, `${name}: ${parsed.ok ? '' : parsed.error.message}`);
    }
    const versions = (name: string) =>
      awsManagedPolicies().get(`${SR}${name}`)!.Versions.map((v) => `${v.VersionId}${v.IsDefaultVersion ? '*' : ''}`);
    assert.deepEqual(versions('MemoryDBServiceRolePolicy'), ['v1', 'v2', 'v3', 'v4*']);
    assert.deepEqual(versions('ElastiCacheServiceRolePolicy'), ['v1', 'v2', 'v3', 'v4', 'v5*']);
    assert.deepEqual(versions('AmazonMQServiceRolePolicy'), ['v1*']);
    const memorydb = awsManagedPolicies().get(`${SR}MemoryDBServiceRolePolicy`)!;
    assert.equal(memorydb.UpdateDate.toISOString(), '2026-08-26T01:07:19.000Z');
    assert.equal(memorydb.Versions[2].CreateDate.toISOString(), '2024-12-01T16:21:07.000Z');
    assert.match(memorydb.Versions[2].Document, /memorydb:ReplicateMultiRegionClusterData/);
  });

  test('withExtraPolicies adds policies without disturbing the base catalog', () => {
    const base = awsManagedPolicies();
    const extra = { ...base.get(`${SR}AmazonMQServiceRolePolicy`)!, PolicyName: 'ZzExtra', Arn: `${SR}ZzExtra` };
    const combined = withExtraPolicies(base, [extra]);
    assert.equal(combined.get(`${SR}ZzExtra`), extra);
    assert.equal(combined.list().length, base.list().length + 1);
    assert.equal(combined.list().at(-1), extra);
    assert.equal(base.get(`${SR}ZzExtra`), undefined);
  });
});

describe('built-in service-linked roles', () => {
  const catalog = loadServiceCatalog({ file: undefined });

  test('one entry per principal; every policy ARN resolves to a service-role policy', () => {
    assert.equal(catalog.list().length, 166);
    for (const s of catalog.list()) {
      assert.equal(s.path, `/aws-service-role/${s.servicePrincipal}/`);
      assert.match(s.roleName, /^AWSServiceRoleFor[\w+=,.@-]+$/);
      for (const arn of s.policyArns) assert.equal(catalog.policies().get(arn)?.Path, '/aws-service-role/', arn);
    }
  });

  test('the three seed services', () => {
    const expected = [
      ['memorydb.amazonaws.com', 'AWSServiceRoleForMemoryDB', 'MemoryDBServiceRolePolicy'],
      ['elasticache.amazonaws.com', 'AWSServiceRoleForElastiCache', 'ElastiCacheServiceRolePolicy'],
      ['mq.amazonaws.com', 'AWSServiceRoleForAmazonMQ', 'AmazonMQServiceRolePolicy'],
    ];
    for (const [principal, roleName, policy] of expected) {
      assert.deepEqual(catalog.get(principal), {
        servicePrincipal: principal,
        roleName,
        path: `/aws-service-role/${principal}/`,
        policyArns: [`${SR}${policy}`],
        customSuffixAllowed: false,
        source: 'aws-recorded',
      });
    }
  });

  test('custom suffixes: allowed exactly where AWS accepted them, refused where unknown', () => {
    const allowed = catalog.list().filter((s) => s.customSuffixAllowed).map((s) => s.servicePrincipal);
    assert.deepEqual(allowed, ['autoscaling.amazonaws.com', 'connect.amazonaws.com', 'lexv2.amazonaws.com']);
    assert.equal(catalog.get('elasticbeanstalk.amazonaws.com')?.customSuffixAllowed, false);
    assert.equal(catalog.get('access-analyzer.amazonaws.com')?.customSuffixAllowed, false);
  });

  test('entries without a known policy exist with none; an ambiguous principal is settled', () => {
    assert.equal(catalog.list().filter((s) => s.policyArns.length === 0).length, 84);
    assert.deepEqual(catalog.get('access-analyzer.amazonaws.com')?.policyArns, []);
    assert.deepEqual(catalog.get('lex.amazonaws.com')?.policyArns, []);
    assert.equal(catalog.get('ssm-sap.amazonaws.com')?.roleName, 'AWSServiceRoleForAWSSSMForSAP');
    assert.deepEqual(catalog.get('ssm-sap.amazonaws.com')?.policyArns, [`${SR}AWSSSMForSAPServiceLinkedRolePolicy`]);
    assert.equal(catalog.get('rds.amazonaws.com')?.description, 'Allows Amazon RDS to manage AWS resources on your behalf');
    assert.equal(catalog.get('nosuch.amazonaws.com'), undefined);
  });
});

describe('IAMD_SERVICE_CATALOG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-catalog-'));
  let n = 0;
  const write = (content: unknown): string => {
    const file = join(dir, `catalog-${++n}.json`);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const widgetsPolicy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeVpcs', Resource: '*' }],
  };
  const widgets = {
    servicePrincipal: 'widgets.amazonaws.com',
    roleName: 'AWSServiceRoleForWidgets',
    customSuffixAllowed: true,
    description: 'Lets Widgets manage ENIs',
    policy: { name: 'WidgetsServiceRolePolicy', description: 'Widgets', document: widgetsPolicy },
  };

  test('adds services, overrides built-in ones and makes their policies known', () => {
    const file = write([
      widgets,
      { servicePrincipal: 'gadgets.example.com', roleName: 'AWSServiceRoleForGadgets', policyArn: `${SR}WidgetsServiceRolePolicy` },
      { servicePrincipal: 'memorydb.amazonaws.com', roleName: 'AWSServiceRoleForMemoryDB', policyArn: `${SR}AmazonMQServiceRolePolicy` },
      {
        servicePrincipal: 'text.amazonaws.com',
        roleName: 'AWSServiceRoleForText',
        path: '/aws-service-role/text.amazonaws.com/',
        policy: { name: 'TextPolicy', document: '{ "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*" } }' },
      },
    ]);
    const catalog = loadServiceCatalog({ file });
    assert.equal(catalog.userFile, file);
    assert.equal(catalog.list().length, 166 + 3);
    assert.deepEqual(catalog.get('widgets.amazonaws.com'), {
      servicePrincipal: 'widgets.amazonaws.com',
      roleName: 'AWSServiceRoleForWidgets',
      path: '/aws-service-role/widgets.amazonaws.com/',
      policyArns: [`${SR}WidgetsServiceRolePolicy`],
      customSuffixAllowed: true,
      description: 'Lets Widgets manage ENIs',
      source: 'user',
    });
    assert.deepEqual(catalog.get('memorydb.amazonaws.com')?.policyArns, [`${SR}AmazonMQServiceRolePolicy`]);
    assert.equal(catalog.get('memorydb.amazonaws.com')?.source, 'user');

    const policy = catalog.policies().get(`${SR}WidgetsServiceRolePolicy`);
    assert.ok(policy);
    assert.equal(policy.PolicyId, awsManagedPolicyId(policy.Arn));
    assert.equal(policy.Path, '/aws-service-role/');
    assert.equal(policy.Description, 'Widgets');
    assert.equal(policy.Versions[0].Document, JSON.stringify(widgetsPolicy));
    // A document given as text is kept as written, as AWS keeps the text it was given.
    assert.match(catalog.policies().get(`${SR}TextPolicy`)!.Versions[0].Document, /^\{ "Version": "2012-10-17"/);
    assert.equal(catalog.policies().list().length, awsManagedPolicies().list().length + 2);
    assert.equal(awsManagedPolicies().get(`${SR}WidgetsServiceRolePolicy`), undefined);
  });

  test('is read from the environment unless a file option is given', () => {
    const file = write([widgets]);
    const saved = process.env.IAMD_SERVICE_CATALOG;
    process.env.IAMD_SERVICE_CATALOG = file;
    try {
      assert.equal(loadServiceCatalog().get('widgets.amazonaws.com')?.roleName, 'AWSServiceRoleForWidgets');
      assert.equal(loadServiceCatalog({ file: undefined }).get('widgets.amazonaws.com'), undefined);
    } finally {
      if (saved === undefined) delete process.env.IAMD_SERVICE_CATALOG;
      else process.env.IAMD_SERVICE_CATALOG = saved;
    }
  });

  /** Loads `content` and returns the problems reported, checking they name the file. */
  const problemsOf = (content: unknown): string[] => {
    const file = typeof content === 'string' && content.startsWith('/') ? content : write(content);
    try {
      loadServiceCatalog({ file });
    } catch (error) {
      assert.ok(error instanceof ServiceCatalogError, String(error));
      assert.equal(error.file, file);
      assert.ok(error.message.startsWith(`invalid service catalog ${file}:`));
      return error.problems;
    }
    assert.fail('the catalog was accepted');
  };

  test('file-level errors', () => {
    assert.deepEqual(problemsOf(join(dir, 'missing.json')), ['cannot be read: ENOENT']);
    const [badJson] = problemsOf('[{"servicePrincipal": ');
    assert.match(badJson, /^is not valid JSON: /);
    assert.deepEqual(problemsOf({ services: [] }), ['must be a JSON array of service entries']);
    assert.equal(loadServiceCatalog({ file: write([]) }).list().length, 166);
  });

  const entryErrors: [string, unknown, string][] = [
    ['not an object', 'widgets', 'entry 1: must be an object'],
    ['unknown field', { ...widgets, policyarn: 'x' }, 'entry 1 (widgets.amazonaws.com): unknown field "policyarn"'],
    ['missing principal', { ...widgets, servicePrincipal: undefined }, 'entry 1: servicePrincipal is required and must be a string'],
    ['upper-case principal', { ...widgets, servicePrincipal: 'Widgets.amazonaws.com' }, 'entry 1 (Widgets.amazonaws.com): servicePrincipal must be a lower-case DNS name such as "widgets.amazonaws.com" (at most 128 characters)'],
    ['single-label principal', { ...widgets, servicePrincipal: 'widgets' }, 'entry 1 (widgets): servicePrincipal must be a lower-case DNS name such as "widgets.amazonaws.com" (at most 128 characters)'],
    ['principal with a space', { ...widgets, servicePrincipal: 'wid gets.amazonaws.com' }, 'entry 1 (wid gets.amazonaws.com): servicePrincipal must be a lower-case DNS name such as "widgets.amazonaws.com" (at most 128 characters)'],
    ['wrong path', { ...widgets, path: '/widgets/' }, 'entry 1 (widgets.amazonaws.com): path, when given, must be "/aws-service-role/widgets.amazonaws.com/"'],
    ['missing role name', { ...widgets, roleName: undefined }, 'entry 1 (widgets.amazonaws.com): roleName is required and must be a string'],
    ['role name too long', { ...widgets, roleName: 'R'.repeat(65) }, 'entry 1 (widgets.amazonaws.com): roleName must be 1-64 characters of letters, digits and _+=,.@-'],
    ['role name with a slash', { ...widgets, roleName: 'AWSServiceRole/Widgets' }, 'entry 1 (widgets.amazonaws.com): roleName must be 1-64 characters of letters, digits and _+=,.@-'],
    ['suffix flag not boolean', { ...widgets, customSuffixAllowed: 'yes' }, 'entry 1 (widgets.amazonaws.com): customSuffixAllowed must be true or false'],
    ['description out of range', { ...widgets, description: 'Widgets ✓' }, 'entry 1 (widgets.amazonaws.com): description must be a string of at most 1000 characters from tab, newline and U+0020-U+007E, U+00A1-U+00FF'],
    ['no policy', { ...widgets, policy: undefined }, 'entry 1 (widgets.amazonaws.com): needs exactly one of policyArn (an AWS managed policy ARN) and policy ({ name, document })'],
    ['two policies', { ...widgets, policyArn: `${SR}AmazonMQServiceRolePolicy` }, 'entry 1 (widgets.amazonaws.com): needs exactly one of policyArn (an AWS managed policy ARN) and policy ({ name, document })'],
    ['customer policy ARN', { ...widgets, policy: undefined, policyArn: 'arn:aws:iam::123456789012:policy/Mine' }, 'entry 1 (widgets.amazonaws.com): policyArn must be an AWS managed policy ARN, arn:aws:iam::aws:policy/…'],
    ['unknown policy ARN', { ...widgets, policy: undefined, policyArn: `${SR}NoSuchPolicy` }, `entry 1 (widgets.amazonaws.com): policyArn ${SR}NoSuchPolicy is neither an AWS managed policy nor defined by an entry of this file`],
    ['policy not an object', { ...widgets, policy: 'WidgetsServiceRolePolicy' }, 'entry 1 (widgets.amazonaws.com): policy must be an object { name, document, description? }'],
    ['unknown policy field', { ...widgets, policy: { ...widgets.policy, Document: 1 } }, 'entry 1 (widgets.amazonaws.com): unknown field "policy.Document"'],
    ['bad policy name', { ...widgets, policy: { ...widgets.policy, name: 'Widgets Policy' } }, 'entry 1 (widgets.amazonaws.com): policy.name must be 1-128 characters of letters, digits and _+=,.@-'],
    ['policy description too long', { ...widgets, policy: { ...widgets.policy, description: 'd'.repeat(1001) } }, 'entry 1 (widgets.amazonaws.com): policy.description must be a string of at most 1000 characters'],
    ['missing document', { ...widgets, policy: { name: 'WidgetsServiceRolePolicy' } }, 'entry 1 (widgets.amazonaws.com): policy.document is required: a policy object or its JSON text'],
    ['document without Resource', { ...widgets, policy: { ...widgets.policy, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeVpcs' }] } } }, 'entry 1 (widgets.amazonaws.com): policy.document is not a valid identity policy: MalformedPolicyDocument: '],
    ['document not JSON', { ...widgets, policy: { ...widgets.policy, document: '{"Version":' } }, 'entry 1 (widgets.amazonaws.com): policy.document is not a valid identity policy: MalformedPolicyDocument: '],
    ['document of an old version', { ...widgets, policy: { ...widgets.policy, document: { ...widgetsPolicy, Version: '2008-10-17' } } }, 'entry 1 (widgets.amazonaws.com): policy.document is not a valid identity policy: MalformedPolicyDocument: '],
    ['policy name of an AWS policy', { ...widgets, policy: { ...widgets.policy, name: 'MemoryDBServiceRolePolicy' } }, `entry 1 (widgets.amazonaws.com): policy ${SR}MemoryDBServiceRolePolicy is already an AWS managed policy; refer to it with policyArn instead`],
  ];
  for (const [what, entry, expected] of entryErrors) {
    test(`entry error: ${what}`, () => {
      const problems = problemsOf([entry]);
      assert.equal(problems.length, 1, problems.join('\n'));
      if (expected.endsWith(': ')) assert.ok(problems[0].startsWith(expected) && problems[0].length > expected.length, problems[0]);
      else assert.equal(problems[0], expected);
    });
  }

  test('errors across entries', () => {
    const gadgets = { ...widgets, servicePrincipal: 'gadgets.amazonaws.com', roleName: 'AWSServiceRoleForGadgets' };
    assert.deepEqual(problemsOf([widgets, { ...widgets, policy: undefined, policyArn: `${SR}AmazonMQServiceRolePolicy` }]), [
      'entry 2 (widgets.amazonaws.com): servicePrincipal appears more than once in the file',
    ]);
    assert.deepEqual(problemsOf([widgets, gadgets]), [
      'entry 2 (gadgets.amazonaws.com): policy name "WidgetsServiceRolePolicy" is already defined by another entry',
    ]);
    assert.deepEqual(problemsOf([{ ...widgets, roleName: 'AWSServiceRoleForMemoryDB' }]), [
      'widgets.amazonaws.com: roleName AWSServiceRoleForMemoryDB is already the role of memorydb.amazonaws.com',
    ]);
    assert.deepEqual(problemsOf([widgets, { ...gadgets, roleName: widgets.roleName, policy: undefined, policyArn: `${SR}WidgetsServiceRolePolicy` }]), [
      'gadgets.amazonaws.com: roleName AWSServiceRoleForWidgets is already the role of widgets.amazonaws.com',
    ]);
    // Every problem of the file is reported at once.
    assert.deepEqual(problemsOf([{ servicePrincipal: 'a.b' }, 7]), [
      'entry 1 (a.b): roleName is required and must be a string',
      'entry 1 (a.b): needs exactly one of policyArn (an AWS managed policy ARN) and policy ({ name, document })',
      'entry 2: must be an object',
    ]);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));
});

describe('generator', () => {
  test('is deterministic: a fresh run gives the committed files byte for byte', { skip: referenceAbsent }, () => {
    const out = mkdtempSync(join(tmpdir(), 'iamd-gen-'));
    try {
      const result = generateCatalog(REFERENCE, out);
      assert.equal(result.policies, 1596);
      assert.equal(result.skippedWithoutArn.length, 49);
      assert.deepEqual(result.droppedPolicyArns, [`lex.amazonaws.com: ${SR}AmazonLexBotPolicy`]);
      for (const name of ['aws-managed-policies.json.gz', 'service-linked-roles.json']) {
        const committed = readFileSync(new URL(`../../data/${name}`, import.meta.url));
        assert.ok(readFileSync(join(out, name)).equals(committed), `${name} differs from a fresh run`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

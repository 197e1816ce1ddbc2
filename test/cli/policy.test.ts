// `iamd policy validate|eval`, run as users run it: `node bin/iamd.js policy …` in a child process,
// on policy and request files in a temporary folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const IAMD = fileURLToPath(new URL('../../bin/iamd.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The machine is shared: a few commands at a time, however many a test starts at once.
const MAX_RUNNING = 3;
let running = 0;
const waiting: (() => void)[] = [];

async function iamd(args: string[], stdin?: string): Promise<Run> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await spawnIamd(args, stdin);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnIamd(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [IAMD, ...args], { cwd: dir, env: { ...process.env, IAMD_DEBUG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

/** The decisions printed by `eval`, one JSON object per line. */
const lines = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

/** No run may end in a stack trace, whatever the input. */
function assertNoTrace(run: Run): void {
  assert.doesNotMatch(run.stderr, /\n\s+at .+\(.*:\d+:\d+\)/, `stack trace on stderr:\n${run.stderr}`);
}

let dir: string;

const MEMORYDB_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['ec2:CreateTags'],
      Resource: 'arn:aws:ec2:*:*:network-interface/*',
      Condition: {
        StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['AmazonMemoryDBManaged'] },
      },
    },
    { Effect: 'Allow', Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs'], Resource: '*' },
    { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'AWS/MemoryDB' } } },
  ],
};
const DENY_UNTAGGED = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'NoPublic', Effect: 'Deny', Action: 'ec2:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
};
const BOUNDARY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] };
const BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:user/alice' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }],
};

const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForMemoryDB/memorydb';
const ENI = 'arn:aws:ec2:us-east-1:123456789012:network-interface/eni-0a1b2c3d';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iamd-cli-policy-'));
  await writeFile(join(dir, 'memorydb.json'), JSON.stringify(MEMORYDB_POLICY, null, 2));
  await writeFile(join(dir, 'deny.json'), JSON.stringify(DENY_UNTAGGED));
  await writeFile(join(dir, 'boundary.json'), JSON.stringify(BOUNDARY));
  await writeFile(join(dir, 'bucket.json'), JSON.stringify(BUCKET_POLICY));
  await writeFile(join(dir, 'no-resource.json'), '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:CreateTags"}]}');
  await writeFile(join(dir, 'not-json.json'), '{"Version": "2012-10-17", "Statement": [');
  await writeFile(join(dir, 'old-version.json'), '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}');
  await writeFile(join(dir, 'trust.json'), JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'memorydb.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  }));
  const requests = [
    { principal: ROLE_SESSION, action: 'ec2:CreateTags', resource: ENI, context: { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged'], 'aws:SecureTransport': true } },
    { principal: ROLE_SESSION, action: 'ec2:CreateTags', resource: ENI, context: { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged', 'Owner'], 'aws:SecureTransport': true } },
    { principal: ROLE_SESSION, action: 'ec2:DescribeSubnets', resource: '*', context: { 'aws:SecureTransport': false } },
    { principal: ROLE_SESSION, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'AWS/MemoryDB' } },
    { principal: ROLE_SESSION, action: 'iam:CreateRole', resource: 'arn:aws:iam::123456789012:role/x' },
  ];
  await writeFile(join(dir, 'requests.jsonl'), requests.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
  await writeFile(join(dir, 'bad-requests.jsonl'), [
    JSON.stringify(requests[0]),
    '{"principal": "arn:aws:iam::123456789012:user/bob", "action": "s3:GetObject"',
    JSON.stringify({ principal: 'arn:aws:iam::123456789012:user/bob', action: 'GetObject' }),
    JSON.stringify({ principal: 'arn:aws:iam::123456789012:user/bob', action: 's3:GetObject', Context: {} }),
  ].join('\n'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('iamd with no command prints the commands and exits 2; --help exits 0', async () => {
  const [bare, help, unknown] = await Promise.all([iamd([]), iamd(['--help']), iamd(['frobnicate'])]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /usage: iamd <command>/);
  assert.match(bare.stderr, /\n\s+policy\s+/);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /\n\s+policy\s+validate policies/);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test('iamd help policy and iamd policy --help print the policy usage', async () => {
  const [viaHelp, viaFlag] = await Promise.all([iamd(['help', 'policy']), iamd(['policy', '--help'])]);
  for (const run of [viaHelp, viaFlag]) {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /iamd policy validate FILE/);
    assert.match(run.stdout, /iamd policy eval/);
  }
});

test('validate: a valid policy is reported with its size, exit 0', async () => {
  const run = await iamd(['policy', 'validate', 'memorydb.json']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^memorydb\.json: valid identity policy \(3 statements, \d+ of 6144 characters\)\n/);
  assert.equal(run.stderr, '');
});

test('validate: an invalid policy gets AWS\'s code and message, exit 1', async () => {
  const [noResource, notJson, both] = await Promise.all([
    iamd(['policy', 'validate', 'no-resource.json']),
    iamd(['policy', 'validate', 'not-json.json']),
    iamd(['policy', 'validate', 'memorydb.json', 'no-resource.json']),
  ]);
  assert.equal(noResource.code, 1);
  assert.match(noResource.stdout, /no-resource\.json: invalid identity policy\n  error MalformedPolicyDocument: Policy statement must contain resources\.\n/);
  assert.equal(notJson.code, 1);
  assert.match(notJson.stdout, /error MalformedPolicyDocument: Syntax errors in policy\./);
  assert.equal(both.code, 1, 'one invalid file fails the run');
  assert.match(both.stdout, /memorydb\.json: valid/);
  assert.match(both.stdout, /no-resource\.json: invalid/);
});

test('validate: --kind trust and --kind resource apply that kind\'s rules', async () => {
  const [asTrust, trustAsIdentity, bucket] = await Promise.all([
    iamd(['policy', 'validate', '--kind', 'trust', 'trust.json']),
    iamd(['policy', 'validate', 'trust.json']),
    iamd(['policy', 'validate', '--kind=resource', 'bucket.json']),
  ]);
  assert.equal(asTrust.code, 0, asTrust.stdout + asTrust.stderr);
  assert.match(asTrust.stdout, /valid trust policy \(1 statement, \d+ of 2048 characters\)/);
  assert.equal(trustAsIdentity.code, 1, 'an identity policy has no Principal');
  assert.match(trustAsIdentity.stdout, /MalformedPolicyDocument/);
  assert.equal(bucket.code, 0, bucket.stdout + bucket.stderr);
});

test('validate: --managed requires Version 2012-10-17; --max-size applies a quota', async () => {
  const [inline, managed, tooBig] = await Promise.all([
    iamd(['policy', 'validate', 'old-version.json']),
    iamd(['policy', 'validate', '--managed', 'old-version.json']),
    iamd(['policy', 'validate', '--max-size', '50', 'memorydb.json']),
  ]);
  assert.equal(inline.code, 0, inline.stdout);
  assert.equal(managed.code, 1);
  assert.match(managed.stdout, /Policy document must be version 2012-10-17 or greater\./);
  assert.equal(tooBig.code, 1);
  assert.match(tooBig.stdout, /error LimitExceeded: /);
});

test('validate: usage errors and unreadable files exit 2 with one line, no trace', async () => {
  const runs = await Promise.all([
    iamd(['policy', 'validate']),
    iamd(['policy', 'validate', '--kind', 'scp', 'memorydb.json']),
    iamd(['policy', 'validate', 'missing.json']),
    iamd(['policy', 'validate', '.']),
    iamd(['policy', 'validate', '--max-size', 'lots', 'memorydb.json']),
    iamd(['policy', 'validate', '--frob', 'memorydb.json']),
    iamd(['policy', 'lint']),
    iamd(['policy']),
  ]);
  for (const run of runs) {
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^iamd policy: /);
    assertNoTrace(run);
  }
  assert.match(runs[1].stderr, /--kind must be one of identity, resource, trust, boundary, session/);
  assert.match(runs[2].stderr, /cannot read missing\.json: no such file/);
  assert.match(runs[3].stderr, /cannot read \.: is a directory/);
  assert.match(runs[5].stderr, /unknown option --frob/);
});

test('eval: one decision per request line, in order; blank lines skipped', async () => {
  const run = await iamd(['policy', 'eval', '--identity', 'memorydb.json', 'deny.json', '--requests', 'requests.jsonl']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lines(run.stdout), [
    { decision: 'Allow' },
    { decision: 'ImplicitDeny', deniedBy: 'identity' }, // aws:TagKeys has a key the policy does not allow
    { decision: 'ExplicitDeny', deniedBy: 'identity' }, // deny.json: aws:SecureTransport false (a JSON boolean)
    { decision: 'Allow' },
    { decision: 'ImplicitDeny', deniedBy: 'identity' },
  ]);
});

test('eval: --request takes one inline request; the context is authoritative', async () => {
  const ask = (context: Record<string, unknown>) =>
    iamd(['policy', 'eval', '--identity', 'memorydb.json', '--request', JSON.stringify({ principal: ROLE_SESSION, action: 'ec2:CreateTags', resource: ENI, context })]);
  const [absentTagKeys, emptyTagKeys, wrongAction, caseFolded] = await Promise.all([
    ask({ 'ec2:CreateAction': 'CreateNetworkInterface' }),
    ask({ 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': [] }),
    ask({ 'ec2:CreateAction': 'RunInstances' }),
    ask({ 'EC2:createaction': 'CreateNetworkInterface' }),
  ]);
  // ForAllValues holds for an absent key and for an empty set alike.
  assert.deepEqual(lines(absentTagKeys.stdout), [{ decision: 'Allow' }]);
  assert.deepEqual(lines(emptyTagKeys.stdout), [{ decision: 'Allow' }]);
  assert.deepEqual(lines(wrongAction.stdout), [{ decision: 'ImplicitDeny', deniedBy: 'identity' }]);
  assert.deepEqual(lines(caseFolded.stdout), [{ decision: 'Allow' }], 'condition keys are case-insensitive');
});

test('eval: a permissions boundary and a resource policy take part', async () => {
  const request = (action: string) => JSON.stringify({ principal: ROLE_SESSION, action, resource: '*', context: {} });
  const [bounded, outside] = await Promise.all([
    iamd(['policy', 'eval', '--identity', 'memorydb.json', '--boundary', 'boundary.json', '--request', request('ec2:DescribeVpcs')]),
    iamd(['policy', 'eval', '--identity', 'memorydb.json', '--boundary', 'boundary.json', '--request',
      JSON.stringify({ principal: ROLE_SESSION, action: 'cloudwatch:PutMetricData', resource: '*', context: { 'cloudwatch:namespace': 'AWS/MemoryDB' } })]),
  ]);
  assert.deepEqual(lines(bounded.stdout), [{ decision: 'Allow' }]);
  assert.equal(lines(outside.stdout)[0].decision, 'ImplicitDeny');
  assert.equal(lines(outside.stdout)[0].deniedBy, 'boundary');

  // Cross-account: alice's own policy allows, the bucket policy names her.
  await writeFile(join(dir, 'alice.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }));
  const get = (principal: string) => JSON.stringify({ principal, action: 's3:GetObject', resource: 'arn:aws:s3:::shared/report.csv', resourceAccount: '444455556666' });
  const [alice, bob] = await Promise.all([
    iamd(['policy', 'eval', '--identity', 'alice.json', '--resource-policy', 'bucket.json', '--request', get('arn:aws:iam::111122223333:user/alice')]),
    iamd(['policy', 'eval', '--identity', 'alice.json', '--resource-policy', 'bucket.json', '--request', get('arn:aws:iam::111122223333:user/bob')]),
  ]);
  assert.deepEqual(lines(alice.stdout), [{ decision: 'Allow' }], alice.stderr);
  assert.equal(lines(bob.stdout)[0].decision, 'ImplicitDeny');
});

test('eval --explain adds which statements applied and why others did not', async () => {
  const run = await iamd([
    'policy', 'eval', '--identity', 'memorydb.json', 'deny.json', '--explain',
    '--request', JSON.stringify({ principal: ROLE_SESSION, action: 'ec2:DescribeSubnets', resource: '*', context: { 'aws:SecureTransport': 'false' } }),
  ]);
  assert.equal(run.code, 0, run.stderr);
  const [result] = lines(run.stdout);
  assert.equal(result.decision, 'ExplicitDeny');
  const explanation = result.explanation as { summary: string; matched: { policy: string; sid?: string; effect: string }[]; unmatched: { miss?: { kind: string } }[] };
  assert.equal(typeof explanation.summary, 'string');
  assert.ok(explanation.matched.some((s) => s.policy === 'deny.json' && s.sid === 'NoPublic' && s.effect === 'Deny'));
  assert.ok(explanation.matched.some((s) => s.policy === 'memorydb.json' && s.effect === 'Allow'));
  assert.ok(explanation.unmatched.length > 0 && explanation.unmatched.every((s) => s.miss !== undefined));
});

test('eval: --requests - reads standard input', async () => {
  const request = JSON.stringify({ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', resource: '*' });
  const run = await iamd(['policy', 'eval', '--identity', 'memorydb.json', '--requests', '-'], `${request}\n${request}\n`);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lines(run.stdout), [{ decision: 'Allow' }, { decision: 'Allow' }]);
});

test('eval: principals of every kind are read from their ARN', async () => {
  const principals = ['arn:aws:iam::123456789012:root', '123456789012', 'arn:aws:iam::123456789012:user/division/alice', ROLE_SESSION,
    'arn:aws:sts::123456789012:federated-user/carol', 'memorydb.amazonaws.com', '*'];
  const file = join(dir, 'principals.jsonl');
  await writeFile(file, principals.map((principal) => JSON.stringify({ principal, action: 'ec2:DescribeVpcs', resource: '*' })).join('\n'));
  const run = await iamd(['policy', 'eval', '--identity', 'memorydb.json', '--requests', file]);
  assert.equal(run.code, 0, run.stderr);
  const decisions = lines(run.stdout);
  assert.equal(decisions.length, principals.length);
  for (const d of decisions) assert.ok(['Allow', 'ImplicitDeny'].includes(String(d.decision)));
});

test('eval: bad requests are all reported, with their line, before anything is evaluated', async () => {
  const run = await iamd(['policy', 'eval', '--identity', 'memorydb.json', '--requests', 'bad-requests.jsonl']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '', 'nothing is evaluated when a line is bad');
  assert.match(run.stderr, /bad-requests\.jsonl:2: not valid JSON/);
  assert.match(run.stderr, /bad-requests\.jsonl:3: "action" GetObject must be service:Action/);
  assert.match(run.stderr, /bad-requests\.jsonl:4: unknown field "Context"/);
  assert.doesNotMatch(run.stderr, /bad-requests\.jsonl:1:/);
  assertNoTrace(run);
});

test('eval: every malformed request is named with its line and reason', async () => {
  const bad: [unknown, RegExp][] = [
    [[1], /a request must be a JSON object/],
    [{ action: 'ec2:DescribeVpcs' }, /"principal" is required/],
    [{ principal: 'arn:aws:iam::123456789012:role/R', action: 'ec2:DescribeVpcs' }, /is a role, which cannot call AWS itself/],
    [{ principal: 'alice', action: 'ec2:DescribeVpcs' }, /principal "alice" is not a caller/],
    [{ principal: 'arn:aws:iam::123456789012:user/', action: 'ec2:DescribeVpcs' }, /is not a caller ARN/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', context: { k: { nested: 1 } } }, /context value k must be a string, number or boolean/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', context: { k: [null] } }, /context value k\[0\]/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', context: { 'aws:TagKeys': [], 'AWS:TAGKEYS': [] } }, /lists the key AWS:TAGKEYS twice/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', context: [] }, /"context" must be an object/],
    [{ principal: ROLE_SESSION, principalAccount: '999999999999', action: 'ec2:DescribeVpcs' }, /differs from the principal's account 123456789012/],
    [{ principal: 'memorydb.amazonaws.com', principalAccount: '123456789012', action: 'ec2:DescribeVpcs' }, /a service principal has no account/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', resourceAccount: 'mine' }, /"resourceAccount" must be a 12-digit account id/],
    [{ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', resource: 7 }, /"resource" must be a non-empty string/],
    [{ principal: ROLE_SESSION, action: 'ec2:Describe:Vpcs' }, /must be service:Action/],
  ];
  const file = join(dir, 'malformed.jsonl');
  await writeFile(file, bad.map(([request]) => JSON.stringify(request)).join('\n'));
  const run = await iamd(['policy', 'eval', '--identity', 'memorydb.json', '--requests', file]);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assertNoTrace(run);
  const reported = run.stderr.trimEnd().split('\n');
  assert.equal(reported.length, bad.length, run.stderr);
  bad.forEach(([, message], i) => {
    assert.match(reported[i], new RegExp(`^(iamd policy: )?${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${i + 1}: `));
    assert.match(reported[i], message);
  });
});

test('eval: bad arguments and unreadable policies are a one-line message and a non-zero exit, never a trace', async () => {
  const ok = JSON.stringify({ principal: ROLE_SESSION, action: 'ec2:DescribeVpcs', resource: '*' });
  const cases: [string[], number, RegExp][] = [
    [['policy', 'eval', '--identity', 'no-resource.json', '--request', ok], 1, /no-resource\.json: invalid identity policy: MalformedPolicyDocument: Policy statement must contain resources\./],
    [['policy', 'eval', '--identity', 'missing.json', '--request', ok], 2, /cannot read missing\.json/],
    [['policy', 'eval', '--identity', 'memorydb.json'], 2, /exactly one of --request JSON or --requests FILE\.jsonl/],
    [['policy', 'eval', '--identity', 'memorydb.json', '--request', ok, '--requests', 'requests.jsonl'], 2, /exactly one of/],
    [['policy', 'eval', '--identity', '--request', ok], 2, /--identity needs one or more values/],
    [['policy', 'eval', '--identity', 'memorydb.json', '--request', '{"principal":'], 2, /--request: not valid JSON/],
  ];
  const runs = await Promise.all(cases.map(([args]) => iamd(args)));
  runs.forEach((run, i) => {
    const [args, code, message] = cases[i];
    assert.equal(run.code, code, `${args.join(' ')}\n${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, message);
    assertNoTrace(run);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isApiError } from '../../src/common/errors.ts';
import { decode, resolveService, type WireRequest } from '../../src/protocol/index.ts';
import { decodeError, form, signedFor, wireRequest } from './helpers.ts';
// Copies of shared/reference/sdk-captures (provenance in NOTICE), so the test stands alone.
const CAPTURES = new URL('./fixtures/sdk-captures/', import.meta.url).pathname;

interface Capture {
  scenario?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function captures(file: string): Capture[] {
  const j = JSON.parse(readFileSync(CAPTURES + file, 'utf8')) as Capture[] | { requests: Capture[] };
  return Array.isArray(j) ? j : j.requests;
}

const toWire = (c: Capture): WireRequest => wireRequest(c.method, c.url, c.headers, c.body);

function decodeCapture(c: Capture) {
  const req = toWire(c);
  const target = resolveService(req);
  return { target, ...decode(target, req) };
}

test('IAM and STS captures from both SDKs decode to the model-named inputs', () => {
  const js = captures('js-sdk-v3.requests.json');
  const boto = captures('botocore.requests.json');
  // The same call from both SDKs (`%20` vs `+` for a space) gives the same input.
  for (const c of [js[0], boto[0]]) {
    assert.deepEqual(decodeCapture(c), {
      target: { service: 'iam', protocol: 'query' },
      operation: 'CreateServiceLinkedRole',
      input: { AWSServiceName: 'autoscaling.amazonaws.com', Description: 'a b+c&d', CustomSuffix: 'x1' },
    });
  }
  assert.deepEqual(decodeCapture(js[6]).input, { PathPrefix: '/aws-service-role/', MaxItems: 10 });
  assert.deepEqual(decodeCapture(js[11]).input, {
    RoleName: 'r',
    Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }],
  });
  // `TagKeys=` is the empty list; `Description=` the empty string.
  assert.deepEqual(decodeCapture(js[13]).input, { RoleName: 'r', TagKeys: [] });
  assert.deepEqual(decodeCapture(boto[5]).input, { RoleName: 'r', Description: '' });
  const simulate = decodeCapture(js[14]);
  assert.equal(simulate.operation, 'SimulatePrincipalPolicy');
  assert.deepEqual(simulate.input.ActionNames, ['s3:GetObject', 's3:PutObject']);
  assert.deepEqual((simulate.input.ContextEntries as unknown[])[0], {
    ContextKeyName: 'aws:SourceIp',
    ContextKeyValues: ['1.2.3.4'],
    ContextKeyType: 'ip',
  });
  const sts = decodeCapture(boto[6]);
  assert.deepEqual(sts, { target: { service: 'sts', protocol: 'query' }, operation: 'GetCallerIdentity', input: {} });
});

test('captures of the linked services decode per protocol', () => {
  for (const file of ['protocols.js-sdk-v3.requests.json', 'protocols.botocore.requests.json']) {
    const all = captures(file);
    const by = (scenario: string, i = 0) => all.filter((c) => c.scenario === scenario)[i];

    const mdb = decodeCapture(by('mdb-describe', 1));
    assert.equal(mdb.target.protocol, 'json');
    assert.equal(mdb.operation, 'CreateCluster');
    assert.deepEqual(mdb.input, {
      ClusterName: 'c1', NodeType: 'db.t4g.small', ACLName: 'open-access', NumShards: 1, TLSEnabled: true,
      Tags: [{ Key: 'k', Value: 'v' }],
    });

    const createBroker = decodeCapture(by('mq-create', 0));
    assert.equal(createBroker.operation, 'CreateBroker');
    assert.equal(createBroker.input.BrokerName, 'mybroker');
    assert.deepEqual(createBroker.input.Tags, { team: 'a' });
    assert.deepEqual(createBroker.input.Users, [{ Username: 'admin', Password: 'password12345' }]);
    assert.deepEqual(decodeCapture(by('mq-create', 1)).input, { MaxResults: 5, NextToken: 'a b' });
    const untag = decodeCapture(by('mq-tags', 1));
    assert.equal(untag.operation, 'DeleteTags');
    assert.deepEqual(untag.input, { ResourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:mybroker:b-1', TagKeys: ['k1', 'k 2'] });
    assert.deepEqual(decodeCapture(by('mq-describe')).input, { BrokerId: 'b-1234a5b6' });

    const put = decodeCapture(by('cw-put'));
    assert.deepEqual(put.target, { service: 'cloudwatch', protocol: 'json' });
    const datum = (put.input.MetricData as Record<string, unknown>[])[0];
    assert.ok(datum.Timestamp instanceof Date);
    assert.equal(Math.floor((datum.Timestamp as Date).getTime() / 1000), 1741854652);
    assert.equal(datum.Value, 1.5);
    assert.deepEqual(datum.Dimensions, [{ Name: 'd', Value: 'v' }]);

    assert.deepEqual(decodeCapture(by('logs-ok')), {
      target: { service: 'logs', protocol: 'json' },
      operation: 'CreateLogGroup',
      input: { logGroupName: '/aws/x' },
    });

    // ElastiCache names list members after the model: Tags.Tag.N, CacheNodeIdsToRemove.CacheNodeId.N.
    assert.deepEqual(decodeCapture(by('ec-tags')).input, {
      ResourceName: 'arn:aws:elasticache:us-east-1:123456789012:cluster:c1',
      Tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: '' }],
    });
    assert.deepEqual(decodeCapture(by('ec-ok', 1)).input, {
      CacheClusterId: 'c1', NumCacheNodes: 1, CacheNodeIdsToRemove: ['0002', '0003'], SecurityGroupIds: [],
    });

    // EC2 operations outside iamd's subset are InvalidAction, in EC2's words.
    const e = decodeError(toWire(by('ec2-describe')));
    assert.equal(e.code, 'InvalidAction');
    assert.equal(e.message, 'The action DescribeInstances is not valid for this web service.');
  }
});

test('ec2Query: lists are Name.N under the queryName/capitalised locationName', () => {
  const req = form(
    'ec2',
    'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&VpcId.2=vpc-2&Filter.1.Name=tag%3AName&Filter.1.Value.1=a+b&Filter.1.Value.2=c&DryRun=false&MaxResults=5',
  );
  assert.deepEqual(decode(resolveService(req), req), {
    operation: 'DescribeVpcs',
    input: { VpcIds: ['vpc-1', 'vpc-2'], Filters: [{ Name: 'tag:Name', Values: ['a b', 'c'] }], DryRun: false, MaxResults: 5 },
  });
  const missing = decodeError(form('ec2', 'Action=CreateSecurityGroup&Version=2016-11-15&GroupName=g'));
  assert.equal(missing.code, 'MissingParameter');
  assert.equal(missing.message, 'The request must contain the parameter GroupDescription');
});

test('awsQuery: Action and Version are checked as AWS does', () => {
  const cases: [string, string, string][] = [
    ['Action=NoSuchAction&Version=2010-05-08', 'InvalidAction', 'Could not find operation NoSuchAction for version 2010-05-08'],
    ['Action=GetRole&RoleName=r', 'InvalidAction', 'Could not find operation GetRole for version NO_VERSION_SPECIFIED'],
    ['Action=GetRole&Version=&RoleName=r', 'InvalidAction', 'Could not find operation GetRole for version '],
    ['Action=GetRole&Version=2000-01-01&RoleName=r', 'InvalidAction', 'Could not find operation GetRole for version 2000-01-01'],
    ['Action=&Version=2010-05-08', 'InvalidAction', 'Could not find operation  for version 2010-05-08'],
    ['Version=2010-05-08', 'MissingAction', 'The request must contain the parameter Action.'],
  ];
  for (const [body, code, message] of cases) {
    const e = decodeError(form('iam', body));
    assert.deepEqual([e.code, e.message, e.status, e.fault], [code, message, 400, 'Sender'], body);
  }
  // The first of duplicated parameters wins; unknown parameters are ignored.
  const req = form('iam', 'Action=GetRole&Action=Nope&Version=2010-05-08&RoleName=r&Unknown=1&RoleName=s');
  assert.deepEqual(decode(resolveService(req), req), { operation: 'GetRole', input: { RoleName: 'r' } });
  // GET with the parameters in the query string.
  const get = wireRequest('GET', '/?Action=GetRole&Version=2010-05-08&RoleName=S3Access', signedFor('iam'));
  assert.deepEqual(decode(resolveService(get), get), { operation: 'GetRole', input: { RoleName: 'S3Access' } });
});

test('services are resolved from the credential scope, then the target, path and Version', () => {
  const r = (headers: Record<string, string>, url = '/', body = '', method = 'POST') =>
    resolveService(wireRequest(method, url, headers, body));
  assert.deepEqual(r(signedFor('monitoring'), '/', 'Action=ListMetrics&Version=2010-08-01'), { service: 'cloudwatch', protocol: 'query' });
  assert.deepEqual(r({ ...signedFor('monitoring'), 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }), { service: 'cloudwatch', protocol: 'json' });
  assert.deepEqual(r({ ...signedFor('memorydb') }), { service: 'memorydb', protocol: 'json' });
  assert.deepEqual(r({ 'x-amz-target': 'Logs_20140328.CreateLogGroup' }), { service: 'logs', protocol: 'json' });
  assert.deepEqual(r({}, '/v1/brokers', '', 'GET'), { service: 'mq', protocol: 'rest-json' });
  // Unsigned STS calls (AssumeRoleWithWebIdentity) are placed by their Version.
  assert.deepEqual(r({}, '/', 'Action=AssumeRoleWithWebIdentity&Version=2011-06-15'), { service: 'sts', protocol: 'query' });
  assert.deepEqual(r({}, '/?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&Action=GetCallerIdentity', '', 'GET'), { service: 'sts', protocol: 'query' });
  assert.deepEqual(r({}), { service: 'iam', protocol: 'query' });
});

test('JSON protocols: unknown targets, routes and malformed bodies are ApiErrors', () => {
  const json = (service: string, target: string, body: string) =>
    wireRequest('POST', '/', { ...signedFor(service), 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body);
  let e = decodeError(json('memorydb', 'AmazonMemoryDB.Nope', '{}'));
  assert.deepEqual([e.code, e.status], ['UnknownOperationException', 400]);
  e = decodeError(json('memorydb', 'Wrong.DescribeClusters', '{}'));
  assert.equal(e.code, 'UnknownOperationException');
  e = decodeError(json('memorydb', 'AmazonMemoryDB.DescribeClusters', '{"ClusterName":'));
  assert.deepEqual([e.code, e.status], ['SerializationException', 400]);
  e = decodeError(json('memorydb', 'AmazonMemoryDB.DescribeClusters', '{"ClusterName":5}'));
  assert.equal(e.code, 'SerializationException');
  e = decodeError(json('logs', 'Logs_20140328.CreateLogGroup', '[]'));
  assert.equal(e.code, 'SerializationException');
  e = decodeError(wireRequest('GET', '/v1/nothing-here', signedFor('mq')));
  assert.deepEqual([e.code, e.status], ['UnknownOperationException', 404]);
  e = decodeError(wireRequest('GET', '/v1/brokers/b%ZZ', signedFor('mq')));
  assert.equal(e.code, 'SerializationException');
  e = decodeError(wireRequest('GET', '/v1/brokers?maxResults=abc', signedFor('mq')));
  assert.equal(e.code, 'SerializationException');
});

test('decode never throws anything but ApiError, whatever the bytes', () => {
  const services = ['iam', 'sts', 'elasticache', 'ec2', 'monitoring', 'memorydb', 'logs', 'mq'];
  const targets = ['', 'AmazonMemoryDB.CreateCluster', 'Logs_20140328.PutLogEvents', 'GraniteServiceVersion20100801.PutMetricData'];
  const keys = ['Action', 'Version', 'RoleName', 'Tags.member.1.Key', 'Tags.member.x', 'Tags.Tag.1', 'Filter.1.Value.0', 'MaxItems', 'SummaryMap.entry.1.key', '__proto__', 'Tags.member.99999999999.Key'];
  fc.assert(
    fc.property(
      fc.constantFrom(...services),
      fc.constantFrom(...targets),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
      fc.oneof(fc.string(), fc.webPath()),
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.json().map((s) => Buffer.from(s)),
        fc.array(fc.tuple(fc.constantFrom(...keys), fc.string()), { maxLength: 8 }).map((pairs) =>
          Buffer.from(['Action=CreateRole&Version=2010-05-08', ...pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&')),
        ),
      ),
      (service, target, method, path, body) => {
        const headers: Record<string, string> = { ...signedFor(service) };
        if (target) headers['x-amz-target'] = target;
        let req: WireRequest;
        try {
          req = wireRequest(method, path.startsWith('/') ? path : `/${path}`, headers, body);
        } catch {
          return; // not a URL at all: never reaches the codec
        }
        try {
          decode(resolveService(req), req);
        } catch (e) {
          assert.ok(isApiError(e), String(e));
          assert.ok(e.status >= 400 && e.status < 500, `${e.code} ${e.status}`);
          // MalformedInput is the safety net for a decoder bug; no input should reach it.
          assert.notEqual(e.code, 'MalformedInput', e.message);
        }
      },
    ),
    { numRuns: 1000 },
  );
});

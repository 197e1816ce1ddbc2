// The exact bytes and headers of the envelopes, where botocore (not run here) is stricter than the JS SDK.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import fc from 'fast-check';
import { encodePolicyDocument, wholeSecondsIso } from '../../src/protocol/xml.ts';
import { ApiError } from '../../src/common/errors.ts';
import { Reusable, withValues } from '../../src/common/reusable.ts';
import { toJson } from '../../src/protocol/json.ts';
import { serviceModel } from '../../src/protocol/model.ts';
import { bodyTooLarge, encodeError, encodeResult, modelError, readBody } from '../../src/protocol/index.ts';

const IAM = { service: 'iam', protocol: 'query' } as const;
const NS = 'xmlns="https://iam.amazonaws.com/doc/2010-05-08/"';

test('awsQuery envelopes: result wrapper, empty result, no result, headers', () => {
  const del = encodeResult(IAM, 'DeleteRole', undefined, 'id-1');
  assert.equal(del.body, `<DeleteRoleResponse ${NS}><ResponseMetadata><RequestId>id-1</RequestId></ResponseMetadata></DeleteRoleResponse>`);
  assert.equal(del.status, 200);
  assert.equal(del.headers['x-amzn-RequestId'], 'id-1');
  assert.equal(del.headers['Content-Type'], 'text/xml');
  assert.equal(del.headers['Content-Length'], undefined, 'the HTTP layer counts the bytes it sends');
  assert.ok(Math.abs(Date.parse(del.headers.Date) - Date.now()) < 5 * 60_000, del.headers.Date);
  // botocore needs <UpdateRoleResult/> even though the output has no members.
  assert.match(encodeResult(IAM, 'UpdateRole', {}, 'id-2').body, /^<UpdateRoleResponse [^>]+><UpdateRoleResult\/><ResponseMetadata>/);
  const got = encodeResult(IAM, 'GetRolePolicy', { RoleName: 'r<&>', PolicyName: 'p', PolicyDocument: '{"a": "b c*"}' }, 'id-3');
  assert.equal(got.body,
    `<GetRolePolicyResponse ${NS}><GetRolePolicyResult><RoleName>r&lt;&amp;&gt;</RoleName><PolicyName>p</PolicyName>` +
      '<PolicyDocument>%7B%22a%22%3A%20%22b%20c%2A%22%7D</PolicyDocument></GetRolePolicyResult>' +
      '<ResponseMetadata><RequestId>id-3</RequestId></ResponseMetadata></GetRolePolicyResponse>');
  const role = encodeResult(IAM, 'GetRole', { Role: { RoleName: 'r', CreateDate: new Date('2012-05-08T23:34:01.250Z'), RoleLastUsed: {} } }, 'id');
  assert.match(role.body, /<RoleName>r<\/RoleName><CreateDate>2012-05-08T23:34:01Z<\/CreateDate><RoleLastUsed\/>/);
});

test('error envelopes per protocol carry the model code, status and request id', () => {
  const e = modelError('iam', 'NoSuchEntityException', 'The role with name nope cannot be found.');
  assert.deepEqual([e.code, e.status, e.fault], ['NoSuchEntity', 404, 'Sender']);
  const q = encodeError(IAM, e, 'rid');
  assert.equal(q.status, 404);
  assert.equal(q.body,
    `<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name nope cannot be found.</Message></Error><RequestId>rid</RequestId></ErrorResponse>`);

  const ec = modelError('elasticache', 'CacheClusterNotFoundFault', 'x');
  assert.deepEqual([ec.code, ec.status], ['CacheClusterNotFound', 404]);

  const ec2 = encodeError({ service: 'ec2', protocol: 'ec2' }, new ApiError('InvalidVpcID.NotFound', 'no <vpc>'), 'rid');
  assert.equal(ec2.body,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>no &lt;vpc&gt;</Message></Error></Errors><RequestID>rid</RequestID></Response>');
  assert.equal(ec2.headers['x-amzn-RequestId'], 'rid');

  const cw = encodeError({ service: 'cloudwatch', protocol: 'json' }, modelError('cloudwatch', 'DashboardNotFoundError', 'gone'), 'rid');
  assert.equal(cw.headers['x-amzn-query-error'], 'ResourceNotFound;Sender');
  assert.deepEqual(JSON.parse(cw.body), { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'gone' });
  assert.equal(cw.headers['Content-Type'], 'application/x-amz-json-1.0');

  const mdb = encodeError({ service: 'memorydb', protocol: 'json' }, modelError('memorydb', 'ClusterNotFoundFault', 'm'), 'rid');
  assert.deepEqual([mdb.status, JSON.parse(mdb.body)], [400, { __type: 'ClusterNotFoundFault', message: 'm' }]);
  assert.equal(mdb.headers['Content-Type'], 'application/x-amz-json-1.1');
  const logsServer = modelError('logs', 'ServiceUnavailableException', 'down');
  assert.deepEqual([logsServer.status, logsServer.fault], [500, 'Receiver']);

  const mq = encodeError({ service: 'mq', protocol: 'rest-json' }, modelError('mq', 'NotFoundException', 'nf'), 'rid');
  assert.deepEqual([mq.status, mq.headers['x-amzn-ErrorType'], JSON.parse(mq.body)], [404, 'NotFoundException', { message: 'nf' }]);
});

test('ec2Query and restJson1 successes', () => {
  const del = encodeResult({ service: 'ec2', protocol: 'ec2' }, 'CreateTags', {}, 'rid');
  assert.equal(del.body, '<?xml version="1.0" encoding="UTF-8"?>\n<CreateTagsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>rid</requestId><return>true</return></CreateTagsResponse>');
  const tags = encodeResult({ service: 'mq', protocol: 'rest-json' }, 'CreateTags', undefined, 'rid');
  assert.deepEqual([tags.status, tags.body, tags.headers['Content-Type']], [204, '', undefined]);
});

test('readBody refuses bodies over the limit, declared or not', async () => {
  const stream = (chunks: string[], headers: Record<string, string> = {}) => Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers });
  assert.equal((await readBody(stream(['ab', 'cd']), 4)).toString(), 'abcd');
  await assert.rejects(readBody(stream(['ab', 'cde']), 4), (e: ApiError) => e.code === bodyTooLarge().code && e.status === 413);
  await assert.rejects(readBody(stream([], { 'content-length': '5' }), 4), (e: ApiError) => e.status === 413);
});

test('XML answers stay well-formed XML 1.0 when a message or value holds characters XML cannot carry', () => {
  // Found by the fuzzer: STS and ElastiCache quote the offending value in ValidationError messages,
  // and a NUL there made the whole envelope unreadable to strict parsers (botocore's expat).
  const message = "Value 'a\u0000b\u0001\u0008\u000b\u000c\u001f\ufffe\uffff' at 'policy' failed\ttab\nline\rcr";
  const wellFormed = (xml: string) => {
    const parser = new SaxesParser();
    const errors: string[] = [];
    parser.on('error', (e) => errors.push(e.message));
    parser.write(xml).close();
    return errors;
  };
  for (const target of [IAM, { service: 'ec2', protocol: 'ec2' } as const]) {
    const body = encodeError(target, new ApiError('ValidationError', message, 400), 'rid').body;
    assert.deepEqual(wellFormed(body), [], body);
    assert.ok(body.includes("Value 'a\ufffdb\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd' at 'policy' failed\ttab\nline&#13;cr"), body);
  }
  const out = encodeResult(IAM, 'GetRole', { Role: { RoleName: 'r\u0002', Description: 'd\u0007' } }, 'id').body;
  assert.deepEqual(wellFormed(out), [], out);
  assert.match(out, /<RoleName>r\ufffd<\/RoleName>.*<Description>d\ufffd<\/Description>/);
});

test('lists, maps and nested structures come out the same from the compiled encoders on every use', () => {
  const list = { Roles: [{ RoleName: 'a', Tags: [{ Key: 'k', Value: 'v<' }] }, { RoleName: 'b', Tags: [] }], IsTruncated: false };
  const listed =
    '<ListRolesResult><Roles><member><RoleName>a</RoleName><Tags><member><Key>k</Key><Value>v&lt;</Value></member></Tags></member>' +
    '<member><RoleName>b</RoleName><Tags/></member></Roles><IsTruncated>false</IsTruncated></ListRolesResult>';
  const summary = { SummaryMap: { Users: 1, Roles: 2 } };
  const summarised = '<GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>1</value></entry><entry><key>Roles</key><value>2</value></entry></SummaryMap></GetAccountSummaryResult>';
  for (let i = 0; i < 2; i++) {
    assert.ok(encodeResult(IAM, 'ListRoles', list, 'id').body.includes(listed), `ListRoles, use ${i + 1}`);
    assert.ok(encodeResult(IAM, 'GetAccountSummary', summary, 'id').body.includes(summarised), `GetAccountSummary, use ${i + 1}`);
    // A policy document is percent-encoded once and then answered from the memo, the same.
    assert.ok(encodeResult(IAM, 'GetRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: '{"x": "(y)"}' }, 'id').body.includes('<PolicyDocument>%7B%22x%22%3A%20%22%28y%29%22%7D</PolicyDocument>'));
  }
});

test('a percent-encoded policy document holds nothing XML would need escaped, so it is written as it is', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (text) => /^[A-Za-z0-9\-_.~%]*$/.test(encodePolicyDocument(text))),
    { numRuns: 2000 },
  );
  assert.equal(encodePolicyDocument('{"a": "<&>\r\u0001 ()!*\'"}'), '%7B%22a%22%3A%20%22%3C%26%3E%0D%01%20%28%29%21%2A%27%22%7D');
});

test('timestamps in whole seconds are written as toISOString writes them, less the milliseconds, in every year', () => {
  const expected = (d: Date) => d.toISOString().slice(0, -5) + 'Z';
  fc.assert(
    // Date's whole range: years −271821 to 275760, the four-digit ones and the others.
    fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => wholeSecondsIso(new Date(ms)) === expected(new Date(ms))),
    { numRuns: 5000 },
  );
  fc.assert(
    fc.property(fc.date({ min: new Date('0999-01-01T00:00:00Z'), max: new Date('+010000-12-31T23:59:59Z'), noInvalidDate: true }), (d) => wholeSecondsIso(d) === expected(d)),
    { numRuns: 5000 },
  );
  for (const text of ['1000-01-01T00:00:00.000Z', '0999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z', '2024-02-29T09:05:07.001Z']) {
    assert.equal(wholeSecondsIso(new Date(text)), expected(new Date(text)));
  }
  const role = encodeResult(IAM, 'GetRole', { Role: { RoleName: 'r', CreateDate: '2024-02-29T09:05:07.999Z', RoleLastUsed: {} } }, 'id');
  assert.ok(role.body.includes('<CreateDate>2024-02-29T09:05:07Z</CreateDate>'), role.body);
});

test('a Reusable member is written as its value is, then again from what was kept while its version is the same', () => {
  let made = 0;
  const role = (description: string) => () => {
    made++;
    return { RoleName: 'r', Description: description, CreateDate: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)), AssumeRolePolicyDocument: '{"a": "b c"}' };
  };
  const page = (roles: unknown[]) => encodeResult(IAM, 'ListRoles', { Roles: roles, IsTruncated: false }, 'id').body;
  const plain = page([role('one <&>')()]);
  made = 0;
  assert.equal(page([new Reusable('test\0role', 'r', 'v1', role('one <&>'))]), plain, 'written as its value');
  assert.equal(page([new Reusable('test\0role', 'r', 'v1', role('one <&>'))]), plain, 'the same bytes again');
  assert.equal(made, 1, 'its value made once');

  assert.match(page([new Reusable('test\0role', 'r', 'v2', role('two'))]), /<Description>two<\/Description>/, 'a new version, a new value');
  assert.equal(made, 2);
  // The same id under another element (GetRole's <Role>, not a list's <member>) is written for that element.
  const got = encodeResult(IAM, 'GetRole', { Role: new Reusable('test\0role', 'r', 'v2', role('two')) }, 'id').body;
  assert.match(got, /<GetRoleResult><Role><RoleName>r<\/RoleName>/);
  assert.equal(made, 3);
});

test('what is kept of Reusable members is bounded: after many others, the first is made again', () => {
  let made = 0;
  const reusable = (id: string) => new Reusable('bounded', id, 'v', () => (made++, { RoleName: id }));
  const page = (id: string) => encodeResult(IAM, 'ListRoles', { Roles: [reusable(id)], IsTruncated: false }, 'id').body;
  page('bounded-first');
  for (let i = 0; i < 20_000; i++) page(`bounded-${i}`);
  made = 0;
  assert.match(page('bounded-first'), /<RoleName>bounded-first<\/RoleName>/);
  assert.equal(made, 1);
});

test('the JSON encoders and a caller in the process see a Reusable as its value', () => {
  const value = { RoleName: 'r', CreateDate: new Date(0), Tags: [{ Key: 'k', Value: 'v' }] };
  const role = serviceModel('iam').operations.get('GetRole')!.output!;
  assert.deepEqual(toJson(role, { Role: new Reusable('json', 'r', 'v', () => value) }), toJson(role, { Role: value }));
  assert.deepEqual(withValues({ Roles: [new Reusable('x', 'r', 'v', () => value)], IsTruncated: false }), { Roles: [value], IsTruncated: false });
});

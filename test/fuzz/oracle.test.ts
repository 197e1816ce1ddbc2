// The fuzzer's own parts, which its verdicts rest on: the envelope checkers accept what iamd's
// encoders write for every protocol and refuse what a client could not read; a case is rebuilt
// exactly from (seed, index); encoded requests decode back through iamd's decoders to their input.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../src/common/errors.ts';
import { decode, encodeError, encodeResult, resolveService, type WireRequest } from '../../src/protocol/index.ts';
import { serviceModel } from '../../src/protocol/model.ts';
import { checkAnswer, type Answer } from './envelopes.ts';
import { generateCase } from './cases.ts';
import { encodeRequest, type HttpRequestSpec } from './wire.ts';

const answer = (status: number, headers: Record<string, string>, body: string): Answer => ({ status, headers: { 'x-amzn-requestid': 'rid', ...headers }, body: Buffer.from(body) });

function fromWire(r: { status: number; headers: Record<string, string>; body: string }): Answer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { status: r.status, headers, body: Buffer.from(r.body) };
}

const TARGETS = [
  { service: 'iam', protocol: 'query' },
  { service: 'ec2', protocol: 'ec2' },
  { service: 'memorydb', protocol: 'json' },
  { service: 'cloudwatch', protocol: 'json' },
  { service: 'mq', protocol: 'rest-json' },
] as const;

describe('envelope checkers', () => {
  test("accept iamd's own errors and results in every protocol", () => {
    for (const target of TARGETS) {
      const error = fromWire(encodeError(target, new ApiError('ValidationError', 'bad <input> & "quotes"', 400), 'rid'));
      assert.equal(checkAnswer(target.protocol, error), undefined, `${target.service} error`);
      const notImplemented = fromWire(encodeError(target, new ApiError('NotImplemented', 'later', 501), 'rid'));
      assert.equal(checkAnswer(target.protocol, notImplemented), undefined, `${target.service} 501`);
    }
    assert.equal(checkAnswer('query', fromWire(encodeResult(TARGETS[0], 'GetUser', { User: { UserName: 'u' } }, 'rid'))), undefined);
    assert.equal(checkAnswer('ec2', fromWire(encodeResult(TARGETS[1], 'DescribeVpcs', { Vpcs: [] }, 'rid'))), undefined);
    assert.equal(checkAnswer('json', fromWire(encodeResult(TARGETS[2], 'DescribeClusters', { Clusters: [] }, 'rid'))), undefined);
    assert.equal(checkAnswer('rest-json', fromWire(encodeResult(TARGETS[4], 'ListBrokers', { BrokerSummaries: [] }, 'rid'))), undefined);
  });

  test('refuse 500s, other protocols, and what strict clients cannot parse', () => {
    const iamError = '<ErrorResponse xmlns="x"><Error><Type>Sender</Type><Code>C</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>';
    assert.equal(checkAnswer('query', answer(400, {}, iamError)), undefined);
    assert.match(checkAnswer('query', answer(500, {}, iamError.replace('Sender', 'Receiver')))!, /HTTP 500/);
    assert.match(checkAnswer('query', answer(501, {}, iamError))!, /HTTP 501/, 'a 501 other than NotImplemented');
    assert.match(checkAnswer('query', answer(400, {}, iamError.replace('<Code>C</Code>', '')))!, /without a Code/);
    assert.match(checkAnswer('query', answer(400, {}, iamError.replace('m</Message>', 'a\u0000b</Message>')))!, /not well-formed/);
    assert.match(checkAnswer('query', answer(400, {}, iamError.replace('</ErrorResponse>', '')))!, /not well-formed/);
    assert.match(checkAnswer('ec2', answer(400, {}, iamError))!, /not <Response>/);
    assert.match(checkAnswer('query', { status: 400, headers: {}, body: Buffer.from(iamError) })!, /RequestId header/);
    assert.match(checkAnswer('query', answer(400, {}, ''))!, /XML/);
    const json = { 'content-type': 'application/x-amz-json-1.1' };
    assert.equal(checkAnswer('json', answer(400, json, '{"__type":"X","message":"m"}')), undefined);
    assert.match(checkAnswer('json', answer(400, json, '{"message":"m"}'))!, /without __type/);
    assert.match(checkAnswer('json', answer(400, { 'content-type': 'text/xml' }, '{"__type":"X"}'))!, /Content-Type/);
    assert.match(checkAnswer('json', answer(400, json, iamError))!, /not JSON/);
    assert.match(checkAnswer('rest-json', answer(404, {}, '{"message":"m"}'))!, /x-amzn-ErrorType/);
    assert.equal(checkAnswer('rest-json', answer(404, { 'x-amzn-errortype': 'NotFoundException' }, '{"message":"m"}')), undefined);
    assert.match(checkAnswer('query', { status: 400, headers: { 'x-amzn-requestid': 'r' }, body: Buffer.from([0x3c, 0xff, 0x3e]) })!, /UTF-8/);
    // Any protocol will do when routing was damaged, but it must be one of them.
    assert.equal(checkAnswer('any', answer(400, json, '{"__type":"X"}')), undefined);
    assert.match(checkAnswer('any', answer(400, {}, 'plain text'))!, /no protocol's envelope/);
  });

  test("Node's own refusal passes only for a request that was not HTTP", () => {
    const refusal: Answer = { status: 431, headers: { connection: 'close' }, body: Buffer.alloc(0) };
    assert.equal(checkAnswer('query', refusal, true), undefined);
    assert.ok(checkAnswer('query', refusal, false));
  });
});

describe('cases', () => {
  test('a case is the same whenever it is built from the same seed and index', () => {
    for (const index of [0, 1, 4, 363, 9_999]) {
      assert.deepEqual(generateCase(7, index), generateCase(7, index));
    }
    const a = [0, 1, 2, 3, 5].map((i) => JSON.stringify(generateCase(7, i).input));
    const b = [0, 1, 2, 3, 5].map((i) => JSON.stringify(generateCase(8, i).input));
    assert.notDeepEqual(a, b);
  });

  test('undamaged cases encode to requests iamd decodes back to the same operation', () => {
    let checked = 0;
    for (let index = 0; index < 2_000; index++) {
      const c = generateCase(11, index);
      if (c.inputMutations.length || c.wireMutations.length || c.kind !== 'operation') continue;
      const model = serviceModel(c.service);
      const spec: HttpRequestSpec = encodeRequest(model, c.protocol, model.operations.get(c.operation)!, c.input, c.encode);
      const query = new URLSearchParams(spec.query.map(([k, v]) => [k, v.replace(/[\ud800-\udfff]/g, '\ufffd')]));
      const headers: Record<string, string> = Object.fromEntries(spec.headers);
      headers.authorization = `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${model.metadata.signingName ?? model.metadata.endpointPrefix}/aws4_request, SignedHeaders=host, Signature=0`;
      const wire: WireRequest = { method: spec.method, path: spec.path, query, headers, body: spec.body };
      try {
        assert.equal(decode(resolveService(wire), wire).operation, c.operation);
      } catch (error) {
        // Generated values may break the model's constraints (validation errors are answers too);
        // what must not happen is a request that is read as another operation or not read at all.
        assert.ok(error instanceof ApiError, String(error));
        assert.match(error.code, /Validation|InvalidParameter|MissingParameter|BadRequest/, `${c.service}:${c.operation} case ${index}: ${error.code} ${error.message}`);
      }
      checked++;
    }
    assert.ok(checked > 500, `only ${checked} undamaged cases`);
  });
});

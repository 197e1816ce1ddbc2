// What counts as a proper answer, one checker per wire protocol (query-protocol.md § 4,
// ec2-protocol.md § 3–6). Every answer must be UTF-8 with an x-amzn-RequestId header; no 5xx but
// 501 NotImplemented. Errors in the protocol's envelope: awsQuery `<ErrorResponse><Error>` with
// Type, Code and Message; ec2Query `<Response><Errors><Error>` with Code and Message; awsJson a JSON
// object with `__type` (and for CloudWatch the x-amzn-query-error header); restJson1 a JSON object
// and the x-amzn-ErrorType header. Successes must parse as their protocol's documents. XML is read
// with saxes, strictly (well-formed XML 1.0, its character rules included), as expat-based clients
// such as botocore read it.

import { SaxesParser } from 'saxes';
import type { WireProtocol } from '../../src/protocol/index.ts';

export interface Answer {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What the request should be answered in: one protocol, or (when routing was damaged) any of them. */
export type Expectation = WireProtocol | 'any';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** The document's root element, or the first well-formedness error. */
export function parseXml(text: string): XmlElement | string {
  const parser = new SaxesParser({ xmlns: false });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: string | undefined;
  parser.on('error', (e) => {
    error ??= e.message;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
    if (stack.length) stack[stack.length - 1].children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1].text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error !== undefined) return `XML is not well-formed: ${error}`;
  return root ?? 'XML has no root element';
}

const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => e?.children.find((c) => c.name === name);

function header(answer: Answer, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const isError = (answer: Answer) => answer.status >= 300;

function checkAwsQuery(answer: Answer, text: string): string | undefined {
  const root = parseXml(text);
  if (typeof root === 'string') return root;
  if (!isError(answer)) {
    if (!root.name.endsWith('Response') || root.name === 'ErrorResponse') return `awsQuery success with root <${root.name}>`;
    if (!child(child(root, 'ResponseMetadata'), 'RequestId')?.text) return 'awsQuery success without ResponseMetadata/RequestId';
    return undefined;
  }
  if (root.name !== 'ErrorResponse') return `awsQuery error with root <${root.name}>, not <ErrorResponse>`;
  const error = child(root, 'Error');
  if (!error) return 'awsQuery error without <Error>';
  const type = child(error, 'Type')?.text;
  if (type !== 'Sender' && type !== 'Receiver') return `awsQuery error with Type ${JSON.stringify(type)}`;
  if (!child(error, 'Code')?.text) return 'awsQuery error without a Code';
  if (!child(error, 'Message')) return 'awsQuery error without a Message';
  if (!child(root, 'RequestId')?.text) return 'awsQuery error without a RequestId';
  return undefined;
}

function checkEc2(answer: Answer, text: string): string | undefined {
  const root = parseXml(text);
  if (typeof root === 'string') return root;
  if (!isError(answer)) {
    if (!root.name.endsWith('Response')) return `ec2Query success with root <${root.name}>`;
    if (!child(root, 'requestId')?.text) return 'ec2Query success without requestId';
    return undefined;
  }
  if (root.name !== 'Response') return `ec2Query error with root <${root.name}>, not <Response>`;
  const error = child(child(root, 'Errors'), 'Error');
  if (!error) return 'ec2Query error without <Errors><Error>';
  if (!child(error, 'Code')?.text) return 'ec2Query error without a Code';
  if (!child(error, 'Message')) return 'ec2Query error without a Message';
  if (!child(root, 'RequestID')?.text) return 'ec2Query error without a RequestID';
  return undefined;
}

function jsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'JSON body is not an object';
  return value as Record<string, unknown>;
}

function checkAwsJson(answer: Answer, text: string): string | undefined {
  const type = header(answer, 'content-type') ?? '';
  if (!/^application\/x-amz-json-1\.[01]$/.test(type)) return `awsJson answer with Content-Type ${JSON.stringify(type)}`;
  const body = jsonObject(text);
  if (typeof body === 'string') return `awsJson: ${body}`;
  if (!isError(answer)) return undefined;
  if (typeof body.__type !== 'string' || body.__type === '') return 'awsJson error without __type';
  const message = body.message ?? body.Message;
  if (message !== undefined && typeof message !== 'string') return 'awsJson error message is not a string';
  const queryError = header(answer, 'x-amzn-query-error');
  if (queryError !== undefined && !/^[^;]+;(Sender|Receiver)$/.test(queryError)) return `malformed x-amzn-query-error ${JSON.stringify(queryError)}`;
  return undefined;
}

function checkRestJson(answer: Answer, text: string): string | undefined {
  if (!isError(answer)) {
    if (text === '') return undefined;
    const body = jsonObject(text);
    return typeof body === 'string' ? `restJson: ${body}` : undefined;
  }
  if (!header(answer, 'x-amzn-errortype')) return 'restJson error without x-amzn-ErrorType';
  const body = jsonObject(text);
  if (typeof body === 'string') return `restJson error: ${body}`;
  if (body.message !== undefined && typeof body.message !== 'string') return 'restJson error message is not a string';
  return undefined;
}

const CHECKERS: Record<WireProtocol, (answer: Answer, text: string) => string | undefined> = {
  query: checkAwsQuery,
  ec2: checkEc2,
  json: checkAwsJson,
  'rest-json': checkRestJson,
};

/** The error code an answer carries, whatever its protocol (for the run's statistics). */
export function errorCode(answer: Answer): string | undefined {
  const text = answer.body.toString('utf8');
  const typed = header(answer, 'x-amzn-errortype') ?? header(answer, 'x-amzn-query-error')?.split(';')[0];
  if (typed) return typed;
  const xml = /<Code>([^<]*)<\/Code>/.exec(text);
  if (xml) return xml[1];
  const json = /"__type":"([^"]*)"/.exec(text);
  return json?.[1].replace(/^.*#/, '');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Node's own answer to a request it cannot parse as HTTP: 400 or 431, nothing else. */
export const isHttpRefusal = (answer: Answer): boolean =>
  (answer.status === 400 || answer.status === 431) && answer.body.length === 0 && header(answer, 'x-amzn-requestid') === undefined;

/**
 * Why `answer` is not a proper answer, or undefined when it is. `beyondHttp`: the request was not HTTP
 * Node's parser reads (see Transport.beyondHttp), so Node's own refusal is a proper answer to it.
 */
export function checkAnswer(expected: Expectation, answer: Answer, beyondHttp = false): string | undefined {
  if (beyondHttp && isHttpRefusal(answer)) return undefined;
  if (answer.status >= 500 && !(answer.status === 501 && errorCode(answer) === 'NotImplemented')) return `HTTP ${answer.status}`;
  if (!header(answer, 'x-amzn-requestid')) return 'no x-amzn-RequestId header';
  let text: string;
  try {
    text = utf8.decode(answer.body);
  } catch {
    return 'body is not UTF-8';
  }
  if (expected !== 'any') {
    const problem = CHECKERS[expected](answer, text);
    return problem === undefined ? undefined : `${problem} (expected ${expected})`;
  }
  const problems = Object.values(CHECKERS).map((check) => check(answer, text));
  return problems.includes(undefined) ? undefined : `in no protocol's envelope: ${problems.join('; ')}`;
}

// Damage to an encoded request, below the level of values: bodies cut short or sprinkled with bytes
// that are not UTF-8, bad percent-encoding, parameter names with broken list indexes, wrong methods,
// paths and headers (Content-Type, X-Amz-Target), JSON nested beyond any stack, XML (entity bombs
// included) where no XML belongs. Applied before the
// request is signed, so that an authentic request carries them to the decoders. Plain data, like
// every part of a case.

import fc from 'fast-check';
import { encodePairs, percentEncode, type HttpRequestSpec } from './wire.ts';

export type WireMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert-bytes'; at: number; bytes: number[] }
  | { kind: 'replace-body'; bytes: number[] }
  | { kind: 'append'; text: string }
  | { kind: 'bad-escape'; at: number; escape: string }
  | { kind: 'damage-key'; at: number; how: KeyDamage }
  | { kind: 'header'; name: string; value?: string }
  | { kind: 'method'; method: string }
  | { kind: 'path'; how: PathDamage }
  | { kind: 'json-nest'; depth: number }
  | { kind: 'xml-body'; text: string }
  | { kind: 'json-duplicate-key' };

type KeyDamage = 'index-0' | 'index-negative' | 'index-huge' | 'index-empty' | 'index-leading-zero' | 'index-exponent' | 'drop-tail' | 'extra-segment' | 'empty-name' | 'case';
type PathDamage = 'root' | 'extra-segment' | 'trailing-slash' | 'double-slash' | 'dot-segments' | 'bad-escape' | 'high-bytes' | 'encoded-slash' | 'long';

const position = fc.double({ min: 0, max: 1, noNaN: true });
const bytes = (max: number) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: max });

const ESCAPES = ['%', '%z', '%zz', '%F', '%FF', '%FF%FE', '%C3', '%C3%28', '%E2%82', '%ED%A0%80', '%F4%90%80%80', '%C0%AF', '%00', '%0A', '+', '%2B', '%25'];
const APPENDIX = [
  '&', '&&', '&=', '&=x', '&x', '&Action=DeleteRole', '&Version=2010-05-08', '&Action=', '&%zz=1', '&A%FF=1', '&Tags.member.0.Key=k',
  '&Filter.1.Value.99999999999=v', '&Tags.member.1.Key=a&Tags.member.1.Key=b', ',', '}', ']', ' garbage', '\u0000', '{"a":1}',
];
/** XML where a form or JSON body belongs: well-formed, broken, and entity bombs for a parser that expands them. */
const XML_BODIES = [
  '<?xml version="1.0" encoding="UTF-8"?><GetRole><RoleName>fuzz1</RoleName></GetRole>',
  '<GetRole><RoleName>fuzz1</RoleName>',
  '<a><b></a></b>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;&c;&c;</x>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '<x>\u0000</x>',
  '<Action>DeleteRole</Action>',
];

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=latin1', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1',
  'application/json', 'text/plain', 'text/xml', 'multipart/form-data; boundary=x', '', ';;;', 'application/cbor',
];
const TARGETS = [
  '', '.', 'AmazonMemoryDB.', 'AmazonMemoryDB.Nope', 'amazonmemorydb.describeclusters', 'Logs_20140328.CreateLogGroup', 'AmazonMemoryDB.DescribeClusters.x',
  'GraniteServiceVersion20100801.GetMetricData', 'CloudTrail_20131101.LookupEvents', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
  'X.DescribeClusters', 'AmazonMemoryDB.__proto__', 'AmazonMemoryDB.constructor', 'AmazonMemoryDB.toString',
];

export const wireMutation: fc.Arbitrary<WireMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert-bytes' as const), at: position, bytes: bytes(8) }),
  fc.record({ kind: fc.constant('replace-body' as const), bytes: bytes(64) }),
  fc.record({ kind: fc.constant('append' as const), text: fc.constantFrom(...APPENDIX) }),
  fc.record({ kind: fc.constant('bad-escape' as const), at: position, escape: fc.constantFrom(...ESCAPES) }),
  fc.record({
    kind: fc.constant('damage-key' as const),
    at: fc.nat(),
    how: fc.constantFrom<KeyDamage>('index-0', 'index-negative', 'index-huge', 'index-empty', 'index-leading-zero', 'index-exponent', 'drop-tail', 'extra-segment', 'empty-name', 'case'),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    name: fc.constantFrom('content-type', 'x-amz-target', 'content-encoding', 'x-amz-content-sha256', 'x-amzn-query-mode', 'accept'),
    value: fc.option(fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...TARGETS), fc.constantFrom('gzip', 'true', 'UNSIGNED-PAYLOAD', 'x'.repeat(64))), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('method' as const), method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS') }),
  fc.record({
    kind: fc.constant('path' as const),
    how: fc.constantFrom<PathDamage>('root', 'extra-segment', 'trailing-slash', 'double-slash', 'dot-segments', 'bad-escape', 'high-bytes', 'encoded-slash', 'long'),
  }),
  fc.record({ kind: fc.constant('json-nest' as const), depth: fc.constantFrom(100, 10_000, 200_000) }),
  fc.record({ kind: fc.constant('xml-body' as const), text: fc.constantFrom(...XML_BODIES) }),
  fc.constant({ kind: 'json-duplicate-key' as const }),
);

/** Text for a query string: what a request target cannot hold raw (spaces, controls) percent-encoded. */
const urlSafe = (text: string): string => text.replace(/[^\x21-\x7e]/gu, (c) => percentEncode(c));

const at = (length: number, fraction: number) => Math.min(length, Math.floor(length * fraction));

function damageKey(key: string, how: KeyDamage): string {
  const index = /\.(\d+)(?=\.|$)/;
  switch (how) {
    case 'index-0':
      return index.test(key) ? key.replace(index, '.0') : `${key}.0`;
    case 'index-negative':
      return index.test(key) ? key.replace(index, '.-1') : `${key}.-1`;
    case 'index-huge':
      return index.test(key) ? key.replace(index, '.99999999999999999999') : `${key}.4294967296`;
    case 'index-empty':
      return index.test(key) ? key.replace(index, '.') : `${key}.`;
    case 'index-leading-zero':
      return index.test(key) ? key.replace(index, '.01') : `${key}.01`;
    case 'index-exponent':
      return index.test(key) ? key.replace(index, '.1e3') : `${key}.1e3`;
    case 'drop-tail':
      return key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
    case 'extra-segment':
      return `${key}.member.1`;
    case 'empty-name':
      return key.replace(/^[^.]*/, '');
    case 'case':
      return key.toLowerCase();
  }
}

function damagePath(path: string, how: PathDamage): string {
  switch (how) {
    case 'root':
      return '/';
    case 'extra-segment':
      return `${path.replace(/\/$/, '')}/extra`;
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return path.replace('/', '//');
    case 'dot-segments':
      return `${path}/../.././x/..`;
    case 'bad-escape':
      return `${path}%zz%`;
    case 'high-bytes':
      // Bytes above 0x7f unescaped: Node's client sends them as Latin-1.
      return `${path}\u00ff\u00e9`;
    case 'encoded-slash':
      return `${path}%2F..%2Fx`;
    case 'long':
      return `${path}/${'a'.repeat(8000)}`;
  }
}

/** The form-encoded parameters of a request: its form body, else its query string. */
function paramsOf(req: HttpRequestSpec): { pairs: [string, string][]; inBody: boolean } | undefined {
  const type = req.headers.find(([n]) => n === 'content-type')?.[1] ?? '';
  if (req.body.length && type.startsWith('application/x-www-form-urlencoded')) return { pairs: [...new URLSearchParams(req.body.toString('utf8'))], inBody: true };
  if (req.query.length && req.rawQuery === undefined) return { pairs: req.query, inBody: false };
  return undefined;
}

/** Applies one mutation to a copy of the request. */
export function applyWireMutation(req: HttpRequestSpec, m: WireMutation): HttpRequestSpec {
  const out: HttpRequestSpec = { ...req, query: [...req.query], headers: [...req.headers] };
  const body = req.body;
  switch (m.kind) {
    case 'truncate':
      out.body = body.subarray(0, at(body.length, m.at));
      break;
    case 'insert-bytes': {
      const i = at(body.length, m.at);
      out.body = Buffer.concat([body.subarray(0, i), Buffer.from(m.bytes), body.subarray(i)]);
      break;
    }
    case 'replace-body':
      out.body = Buffer.from(m.bytes);
      break;
    case 'append':
      if (body.length || !req.query.length) out.body = Buffer.concat([body, Buffer.from(m.text)]);
      else out.rawQuery = encodePairs(req.query) + urlSafe(m.text);
      break;
    case 'bad-escape': {
      // Into the form body when there is one, else into the query string.
      if (body.length) {
        const i = at(body.length, m.at);
        out.body = Buffer.concat([body.subarray(0, i), Buffer.from(m.escape), body.subarray(i)]);
      } else {
        const raw = req.rawQuery ?? encodePairs(req.query);
        const i = at(raw.length, m.at);
        out.rawQuery = raw.slice(0, i) + m.escape + raw.slice(i);
      }
      break;
    }
    case 'damage-key': {
      const params = paramsOf(req);
      if (!params || params.pairs.length === 0) break;
      const pairs = [...params.pairs];
      const i = m.at % pairs.length;
      pairs[i] = [damageKey(pairs[i][0], m.how), pairs[i][1]];
      if (params.inBody) out.body = Buffer.from(encodePairs(pairs));
      else out.query = pairs;
      break;
    }
    case 'header':
      out.headers = out.headers.filter(([n]) => n !== m.name);
      if (m.value !== undefined) out.headers.push([m.name, m.value]);
      break;
    case 'method':
      out.method = m.method;
      break;
    case 'path':
      out.path = damagePath(req.path, m.how);
      break;
    case 'json-nest':
      out.body = Buffer.from(`{"a":${'['.repeat(m.depth)}${']'.repeat(m.depth)}}`);
      break;
    case 'xml-body':
      out.body = Buffer.from(m.text);
      out.headers = [...out.headers.filter(([n]) => n !== 'content-type'), ['content-type', 'text/xml']];
      break;
    case 'json-duplicate-key': {
      const text = body.toString('utf8');
      const first = /^\{\s*("(?:[^"\\]|\\.)*")\s*:/.exec(text);
      if (first) out.body = Buffer.from(`{${first[1]}:{"dup":[1]},${text.slice(1)}`);
      break;
    }
  }
  return out;
}

/** Whether a mutation changes what the server reads to tell CloudWatch's JSON from its Query requests. */
export function switchesCloudWatchProtocol(m: WireMutation): boolean {
  return (m.kind === 'header' && (m.name === 'content-type' || m.name === 'x-amz-target')) || m.kind === 'xml-body';
}

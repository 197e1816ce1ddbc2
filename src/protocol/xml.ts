// XML outputs of awsQuery (IAM, STS, ElastiCache, CloudWatch in query mode) and ec2Query, by shape:
// element names from the members (`locationName` or name), list items `<member>` or the list
// member's `locationName` (ElastiCache `<Tag>`, EC2 `<item>`), maps as `<entry><key/><value/></entry>`,
// unset members left out, IAM policy documents percent-encoded (query-protocol.md § 3.3).

import type { Shape } from './model.ts';
import { toDate } from './json.ts';
import { Reusable } from '../common/reusable.ts';

// XML 1.0 cannot carry most C0 controls, U+FFFE or U+FFFF at all, not even as character references:
// strict parsers (botocore's expat) refuse the whole document. Such characters (a NUL quoted back in a
// validation message) are written as U+FFFD, so the answer stays readable.
const XML_SPECIAL = /[&<>\r"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const XML_SPECIALS = /[&<>\r"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  if (!XML_SPECIAL.test(s)) return s;
  return s.replace(XML_SPECIALS, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === '\r' ? '&#13;' : '\ufffd');
}

/** RFC 3986 percent-encoding, as IAM applies it to policy documents: space → %20, never `+`. */
export function encodePolicyDocument(s: string): string {
  let encoded = encodedPolicies.get(s);
  if (encoded === undefined) {
    encoded = encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    // The same few documents are answered again and again (a role's trust policy in every GetRole and
    // ListRoles); bounded, and started again empty once full.
    if (encodedPolicies.size >= ENCODED_POLICIES) encodedPolicies.clear();
    encodedPolicies.set(s, encoded);
  }
  return encoded;
}
const ENCODED_POLICIES = 512;
const encodedPolicies = new Map<string, string>();

export type XmlDialect = 'query' | 'ec2';

/** A scalar value as element text; undefined to leave the element out (a timestamp that is no date). */
type ScalarText = (v: unknown) => string | undefined;

const twoDigits = (n: number): string => (n < 10 ? '0' + n : String(n));

/**
 * `2012-05-08T23:34:01Z`: toISOString without its milliseconds, from the date's fields — toISOString
 * costs several times as much, once for every date of every answer (a ListRoles page has 100).
 */
export function wholeSecondsIso(d: Date): string {
  const year = d.getUTCFullYear();
  // Four-digit years only; toISOString writes the others as `+275760` or `-000001`.
  if (year < 1000 || year > 9999) return d.toISOString().slice(0, -5) + 'Z';
  return (
    year + '-' + twoDigits(d.getUTCMonth() + 1) + '-' + twoDigits(d.getUTCDate()) + 'T' +
    twoDigits(d.getUTCHours()) + ':' + twoDigits(d.getUTCMinutes()) + ':' + twoDigits(d.getUTCSeconds()) + 'Z'
  );
}

/** IAM & co. print whole seconds (`2012-05-08T23:34:01Z`), EC2 milliseconds (`…19.000Z`). */
const timestampText = (dialect: XmlDialect): ScalarText =>
  dialect === 'ec2'
    ? (v) => toDate(v)?.toISOString()
    : (v) => {
        const d = toDate(v);
        return d === undefined ? undefined : wholeSecondsIso(d);
      };

const numberText: ScalarText = (v) => {
  const n = Number(v);
  return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : String(n);
};

/**
 * How a scalar shape's values are written, chosen once per shape when its encoder is compiled rather
 * than by a switch on every value of every answer.
 */
function scalarTextOf(shape: Shape, dialect: XmlDialect): ScalarText {
  switch (shape.type) {
    case 'timestamp':
      return timestampText(dialect);
    case 'boolean':
      return (v) => (v ? 'true' : 'false');
    case 'blob':
      return (v) => (Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64'));
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return numberText;
    default:
      // Percent-encoded text is letters, digits, `-_.~` and `%` only: nothing XML would need escaped.
      if (shape.urlEncodedOutput) return (v) => encodePolicyDocument(typeof v === 'string' ? v : String(v));
      return (v) => escapeXml(typeof v === 'string' ? v : String(v));
  }
}

/** One value of a shape as its element(s) `<name>…</name>`; '' when the value is unset or of the wrong kind. */
type ElementEncoder = (v: unknown) => string;

/**
 * Encoders are built once per shape, member and dialect: the tags of every element (`<RoleName>`,
 * `</RoleName>`, `<member>`, `<Tags/>`) are strings made once, not formatted again for every value of
 * every response. A structure's members are compiled on its first use, so recursive shapes terminate.
 */
function elementEncoder(name: string, shape: Shape, dialect: XmlDialect, flattened: boolean): ElementEncoder {
  const open = `<${name}>`;
  const close = `</${name}>`;
  const empty = `<${name}/>`;
  switch (shape.type) {
    case 'structure': {
      const body = bodyEncoder(shape, dialect);
      const encode: ElementEncoder = (v) => {
        if (v === undefined || v === null || typeof v !== 'object') return '';
        const inner = body(v as Record<string, unknown>);
        return inner ? open + inner + close : empty;
      };
      return (v) => (v instanceof Reusable ? reuse(v, encode) : encode(v));
    }
    case 'list': {
      const m = shape.member!;
      if (flattened || shape.flattened) {
        const item = elementEncoder(name, m.shape, dialect, false);
        return (v) => {
          if (!Array.isArray(v)) return '';
          let out = '';
          for (const value of v) out += item(value);
          return out;
        };
      }
      const item = elementEncoder(m.locationName ?? 'member', m.shape, dialect, false);
      return (v) => {
        if (!Array.isArray(v)) return '';
        let out = '';
        for (const value of v) out += item(value);
        return out ? open + out + close : empty;
      };
    }
    case 'map': {
      const keyName = shape.key!.locationName ?? 'key';
      const keyOpen = `<${keyName}>`;
      const keyClose = `</${keyName}>`;
      const value = elementEncoder(shape.value!.locationName ?? 'value', shape.value!.shape, dialect, false);
      const flat = flattened || shape.flattened;
      const entryOpen = flat ? open : '<entry>';
      const entryClose = flat ? close : '</entry>';
      return (v) => {
        if (v === undefined || v === null || typeof v !== 'object') return '';
        let out = '';
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          out += entryOpen + keyOpen + escapeXml(k) + keyClose + value(item) + entryClose;
        }
        if (flat) return out;
        return out ? open + out + close : empty;
      };
    }
    default: {
      const text = scalarTextOf(shape, dialect);
      return (v) => {
        if (v === undefined || v === null) return '';
        const t = text(v);
        return t === undefined ? '' : open + t + close;
      };
    }
  }
}

/**
 * What the element encoders wrote for Reusable values, by scope and key: written again while the
 * value's version and the encoder asking (shape, element name, dialect) are the same. Bounded: an
 * entry holds the element (~0.6 KB for a listed role) and its version (the row's text, ~0.5 KB), so
 * ~5 MB when full; then it starts again empty.
 */
const REUSED_LIMIT = 4096;
interface Kept {
  version: string;
  encoder: ElementEncoder;
  xml: string;
}
const reused = new Map<string, Map<string, Kept>>();
let reusedCount = 0;

function reuse(v: Reusable, encode: ElementEncoder): string {
  let scope = reused.get(v.scope);
  const kept = scope?.get(v.key);
  if (kept !== undefined && kept.version === v.version && kept.encoder === encode) return kept.xml;
  const xml = encode(v.value());
  if (kept !== undefined) {
    kept.version = v.version;
    kept.encoder = encode;
    kept.xml = xml;
    return xml;
  }
  if (reusedCount >= REUSED_LIMIT) {
    reused.clear();
    reusedCount = 0;
    scope = undefined;
  }
  if (scope === undefined) reused.set(v.scope, (scope = new Map()));
  scope.set(v.key, { version: v.version, encoder: encode, xml });
  reusedCount++;
  return xml;
}

type BodyEncoder = (obj: Record<string, unknown>) => string;
const bodyEncoders: Record<XmlDialect, WeakMap<Shape, BodyEncoder>> = { query: new WeakMap(), ec2: new WeakMap() };

/** The member elements of a structure, in model order: compiled on first use, then reused. */
function bodyEncoder(shape: Shape, dialect: XmlDialect): BodyEncoder {
  let encoder = bodyEncoders[dialect].get(shape);
  if (encoder === undefined) {
    let members: { name: string; encode: ElementEncoder }[] | undefined;
    encoder = (obj) => {
      members ??= shape.members.map((m) => ({ name: m.name, encode: elementEncoder(m.xmlName, m.shape, dialect, m.flattened) }));
      let out = '';
      for (const m of members) {
        const v = obj[m.name];
        if (v === undefined || v === null) continue;
        out += m.encode(v);
      }
      return out;
    };
    bodyEncoders[dialect].set(shape, encoder);
  }
  return encoder;
}

/** The member elements of a structure, in model order. */
export function structureBody(shape: Shape, obj: Record<string, unknown>, dialect: XmlDialect): string {
  return bodyEncoder(shape, dialect)(obj);
}

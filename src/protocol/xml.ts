// XML outputs of awsQuery (IAM, STS, ElastiCache, CloudWatch in query mode) and ec2Query, by shape:
// element names from the members (`locationName` or name), list items `<member>` or the list
// member's `locationName` (ElastiCache `<Tag>`, EC2 `<item>`), maps as `<entry><key/><value/></entry>`,
// unset members left out, IAM policy documents percent-encoded (query-protocol.md § 3.3).

import type { Shape } from './model.ts';
import { toDate } from './json.ts';

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
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export type XmlDialect = 'query' | 'ec2';

function scalarText(shape: Shape, v: unknown, dialect: XmlDialect): string | undefined {
  switch (shape.type) {
    case 'timestamp': {
      const d = toDate(v);
      if (!d) return undefined;
      // IAM & co. print whole seconds (`2012-05-08T23:34:01Z`), EC2 milliseconds (`…19.000Z`).
      return dialect === 'ec2' ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'boolean':
      return v ? 'true' : 'false';
    case 'blob':
      return Buffer.isBuffer(v) ? v.toString('base64') : Buffer.from(String(v)).toString('base64');
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const n = Number(v);
      return Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : String(n);
    }
    default: {
      const s = String(v);
      return escapeXml(shape.urlEncodedOutput ? encodePolicyDocument(s) : s);
    }
  }
}

/** Appends `<name>…</name>` for one value of `shape`; nothing when the value is unset. */
function element(name: string, shape: Shape, v: unknown, dialect: XmlDialect, flattened: boolean): string {
  if (v === undefined || v === null) return '';
  switch (shape.type) {
    case 'structure': {
      if (typeof v !== 'object') return '';
      const inner = structureBody(shape, v as Record<string, unknown>, dialect);
      return inner ? `<${name}>${inner}</${name}>` : `<${name}/>`;
    }
    case 'list': {
      if (!Array.isArray(v)) return '';
      const m = shape.member!;
      if (flattened || shape.flattened) {
        let out = '';
        for (const item of v) out += element(name, m.shape, item, dialect, false);
        return out;
      }
      const itemName = m.locationName ?? 'member';
      let out = '';
      for (const item of v) out += element(itemName, m.shape, item, dialect, false);
      return out ? `<${name}>${out}</${name}>` : `<${name}/>`;
    }
    case 'map': {
      if (typeof v !== 'object') return '';
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      let out = '';
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const entry = `<${keyName}>${escapeXml(k)}</${keyName}>${element(valueName, shape.value!.shape, item, dialect, false)}`;
        out += flattened || shape.flattened ? `<${name}>${entry}</${name}>` : `<entry>${entry}</entry>`;
      }
      if (flattened || shape.flattened) return out;
      return out ? `<${name}>${out}</${name}>` : `<${name}/>`;
    }
    default: {
      const text = scalarText(shape, v, dialect);
      return text === undefined ? '' : `<${name}>${text}</${name}>`;
    }
  }
}

/** The member elements of a structure, in model order. */
export function structureBody(shape: Shape, obj: Record<string, unknown>, dialect: XmlDialect): string {
  let out = '';
  for (const m of shape.members) {
    const v = obj[m.name];
    if (v === undefined || v === null) continue;
    out += element(m.xmlName, m.shape, v, dialect, m.flattened);
  }
  return out;
}

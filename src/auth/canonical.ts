// The pieces of a SigV4 canonical request, built from the request exactly as it arrived.
//
// Everything here works on the raw (already percent-encoded) path and query string and never
// throws: a malformed escape is re-encoded as a literal '%', so a bad request simply fails to match.
// The rules are those of AWS's signers for every service except S3 (which iamd does not serve):
// the path is normalised and encoded a second time, query parameters are decoded then re-encoded
// and sorted by name then value, header values are trimmed with inner runs of spaces folded.

const HEX = '0123456789ABCDEF';

/** RFC 3986 unreserved characters: the only ones SigV4 leaves unencoded. */
function isUnreserved(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e // - . _ ~
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const encoder = new TextEncoder();

function percentEncodeChar(s: string, i: number): { text: string; width: number } {
  const cp = s.codePointAt(i)!;
  const width = cp > 0xffff ? 2 : 1;
  let text = '';
  for (const b of encoder.encode(s.slice(i, i + width))) text += '%' + HEX[b >> 4] + HEX[b & 15];
  return { text, width };
}

const PLAIN = /^[A-Za-z0-9\-._~]*$/;

/**
 * A query name or value as SigV4 canonicalises it: decode (with `+` as a space, the form
 * semantics every protocol layer applies) then encode everything but the unreserved characters.
 * Done byte-wise, so invalid UTF-8 or a stray '%' never throws.
 */
export function canonicalQueryComponent(raw: string): string {
  if (PLAIN.test(raw)) return raw;
  let out = '';
  for (let i = 0; i < raw.length; ) {
    const c = raw.charCodeAt(i);
    if (isUnreserved(c)) {
      out += raw[i++];
    } else if (c === 0x25 /* % */) {
      const hi = i + 2 < raw.length ? hexValue(raw.charCodeAt(i + 1)) : -1;
      const lo = hi >= 0 ? hexValue(raw.charCodeAt(i + 2)) : -1;
      if (lo >= 0) {
        const b = (hi << 4) | lo;
        out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[hi] + HEX[lo];
        i += 3;
      } else {
        out += '%25';
        i += 1;
      }
    } else if (c === 0x2b /* + */) {
      out += '%20';
      i += 1;
    } else {
      const { text, width } = percentEncodeChar(raw, i);
      out += text;
      i += width;
    }
  }
  return out;
}

/** One `name=value` pair of a query string, both still raw. */
export interface RawParam {
  name: string;
  value: string;
}

export function splitQuery(query: string): RawParam[] {
  const params: RawParam[] = [];
  if (query.length === 0) return params;
  for (const part of query.split('&')) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    params.push(eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return params;
}

/**
 * The canonical query string: every parameter except X-Amz-Signature, encoded, sorted by name and
 * then by value (so repeated names keep a stable order), `name=value` even when the value is empty.
 */
export function canonicalQuery(params: readonly RawParam[]): string {
  if (params.length === 0) return '';
  const pairs: [string, string][] = [];
  for (const p of params) {
    const name = canonicalQueryComponent(p.name);
    if (name.length === 15 && name.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([name, canonicalQueryComponent(p.value)]);
  }
  if (pairs.length > 1) {
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += (i === 0 ? '' : '&') + pairs[i][0] + '=' + pairs[i][1];
  return out;
}

/**
 * The canonical URI for non-S3 services: dot segments and empty segments removed, then every
 * byte that is not unreserved or '/' percent-encoded — including the '%' of the escapes the
 * client already applied, which is the "double encoding" AWS's signers use for these services.
 */
export function canonicalPath(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  let path = rawPath;
  if (rawPath.includes('//') || rawPath.includes('/.')) {
    const segments: string[] = [];
    for (const segment of rawPath.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    const lead = rawPath.startsWith('/') ? '/' : '';
    const trail = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
    path = lead + segments.join('/') + trail;
  }
  let out = '';
  for (let i = 0; i < path.length; ) {
    const c = path.charCodeAt(i);
    if (c === 0x2f || isUnreserved(c)) {
      out += path[i++];
    } else {
      const { text, width } = percentEncodeChar(path, i);
      out += text;
      i += width;
    }
  }
  return out;
}

/** Header values as Node gives them: a string (duplicates already joined by Node) or the distinct values. */
export type HeaderValue = string | string[] | undefined;

const NEEDS_FOLDING = /[\t\r\n]| {2}|^ | $/;

function foldValue(value: string): string {
  return NEEDS_FOLDING.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim() : value;
}

/**
 * A header's canonical value: trimmed, inner whitespace folded to one space; several values
 * (from `req.headersDistinct`) are each folded and joined with ',' as the SigV4 rules say.
 * A signed header that is absent canonicalises to the empty string, so the signature fails.
 */
export function canonicalHeaderValue(value: HeaderValue): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return foldValue(value);
  if (value.length === 1) return foldValue(value[0]);
  return value.map(foldValue).join(',');
}

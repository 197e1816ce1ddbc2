// Reading condition values of the typed operators: numbers, dates, booleans, base64 blobs.
// Each returns `undefined` for text it cannot read — such a value matches nothing.

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

// ISO 8601, extended (`2024-01-31T12:00:00Z`) or basic (`20240131T120000Z`), date alone allowed;
// a time without a zone is UTC, as in AWS's request context.
const ISO_DATE =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;

/** Milliseconds since the epoch, from ISO 8601 text or epoch seconds (`aws:EpochTime`). */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (EPOCH.test(t)) return Math.round(Number(t) * 1000);
  const m = ISO_DATE.exec(t);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', , sign, zh = '0', zm = '0'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 24 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), Number((frac + '000').slice(0, 3)));
  if (sign) ms -= (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
  return ms;
}

/** `true` / `false`, in any case, as AWS reads them. */
export function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A base64 text in canonical form, so that equal bytes compare equal as strings. */
export function canonicalBase64(text: string): string | undefined {
  const t = text.trim();
  if (!BASE64.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64').toString('base64');
}

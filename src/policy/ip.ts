// IP addresses and CIDR blocks for IpAddress / NotIpAddress (RFC 4632 notation, IPv4 and IPv6).
// An address is held as four 32-bit words (IPv4 uses the first), so a block test is a few masked
// comparisons with no allocation beyond parsing the request's address.

export interface IpAddress {
  readonly v6: boolean;
  readonly words: readonly [number, number, number, number];
}

export interface CidrBlock {
  readonly v6: boolean;
  readonly words: readonly [number, number, number, number];
  readonly prefix: number;
}

function parseIPv4Words(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

function parseIPv6Words(text: string): [number, number, number, number] | undefined {
  let body = text;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = parseIPv4Words(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  const head = split(halves[0]);
  const rest = halves.length === 2 ? split(halves[1]) : [];
  for (const g of head) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
  for (const g of rest) if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const groups: number[] = head.map((g) => parseInt(g, 16));
  for (let i = explicit; i < 8; i++) groups.push(0);
  for (const g of rest) groups.push(parseInt(g, 16));
  return [
    ((groups[0] << 16) | groups[1]) >>> 0,
    ((groups[2] << 16) | groups[3]) >>> 0,
    ((groups[4] << 16) | groups[5]) >>> 0,
    ((groups[6] << 16) | groups[7]) >>> 0,
  ];
}

export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const words = parseIPv6Words(t);
    if (!words) return undefined;
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
    if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { v6: false, words: [words[3], 0, 0, 0] };
    return { v6: true, words };
  }
  const v4 = parseIPv4Words(t);
  return v4 === undefined ? undefined : { v6: false, words: [v4, 0, 0, 0] };
}

/** `203.0.113.0/24`, `2001:db8::/32`, or a bare address (a block of one). */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.v6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1).trim();
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { v6: address.v6, words: address.words, prefix };
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.v6 !== address.v6) return false;
  let remaining = block.prefix;
  for (let i = 0; i < 4 && remaining > 0; i++) {
    const bits = remaining >= 32 ? 32 : remaining;
    const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0;
    if (((block.words[i] & mask) >>> 0) !== ((address.words[i] & mask) >>> 0)) return false;
    remaining -= bits;
  }
  return true;
}

// EC2 resource ids: a prefix and 17 lower-case hex digits (`eni-0a1b2c3d4e5f60718`), random for what
// callers create, derived from (account, region) for the default VPC and what comes with it, so that
// creating the defaults lazily gives the same ids however often and on whichever node it happens.

import { createHash, randomBytes } from 'node:crypto';

const HEX_DIGITS = 17;

export function newResourceId(prefix: string): string {
  return `${prefix}-${randomBytes(9).toString('hex').slice(0, HEX_DIGITS)}`;
}

export function stableResourceId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update([prefix, ...parts].join('\n')).digest('hex');
  return `${prefix}-${digest.slice(0, HEX_DIGITS)}`;
}

/** A locally administered, unicast MAC address (`02:…`), as EC2 gives network interfaces. */
export function newMacAddress(): string {
  const bytes = [...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0'));
  return ['02', ...bytes].join(':');
}

/** Random low 64 bits of an IPv6 address, as four hex groups. */
export function newIpv6InterfaceId(): string {
  const b = randomBytes(8);
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

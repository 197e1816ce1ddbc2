// IPv4 and IPv6 arithmetic the default network and the address allocator need.

export function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** A /16 … /28 block: its first address and size. */
export function ipv4Block(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  return { base: ipv4ToNumber(ip), size: 2 ** (32 - Number(bits)) };
}

/** AWS reserves the first four addresses of every subnet and the last one. */
export const RESERVED_PER_SUBNET = 5;
export const FIRST_USABLE_HOST = 4;

export function usableAddressCount(cidr: string): number {
  return ipv4Block(cidr).size - RESERVED_PER_SUBNET;
}

/** `ip-172-31-0-10.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** Whether `ip` is a well-formed dotted quad inside `cidr`. */
export function ipv4InBlock(ip: string, cidr: string): boolean {
  if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) || ip.split('.').some((p) => Number(p) > 255)) return false;
  const { base, size } = ipv4Block(cidr);
  const n = ipv4ToNumber(ip);
  return n >= base && n < base + size;
}

/** The `/64` prefix (four groups) of a subnet's IPv6 block `2600:1f18:…::/64`. */
export function ipv6Prefix64(cidr: string): string {
  return cidr.split('::')[0];
}

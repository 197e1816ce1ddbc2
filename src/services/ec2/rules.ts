// Security group rules from a request: the IpPermissions form and the older top-level form
// (CidrIp/IpProtocol/FromPort/ToPort, SourceSecurityGroupName), each split into one rule per peer,
// with EC2's normalisation (protocol numbers and `all` → names and `-1`; no ports for "all") and its
// refusals.

import { invalidParameterValue, groupNameNotFound } from './errors.ts';
import { listResources, SECURITY_GROUP, type RuleDoc } from './model.ts';
import { requireGroup, type Region } from './region.ts';

export type RuleSpec = Omit<RuleDoc, 'SecurityGroupRuleId' | 'Tags'>;

export interface IpPermissionInput {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string; Description?: string }[];
  UserIdGroupPairs?: { GroupId?: string; GroupName?: string; Description?: string }[];
  PrefixListIds?: { PrefixListId?: string }[];
}

export interface IngressInput {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermissionInput[];
  CidrIp?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  SourceSecurityGroupName?: string;
}

const PROTOCOL_NAMES: Record<string, string> = { all: '-1', '-1': '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function normalizeProtocol(raw: string | undefined): string {
  const p = (raw ?? '').toLowerCase();
  if (PROTOCOL_NAMES[p]) return PROTOCOL_NAMES[p];
  if (['tcp', 'udp', 'icmp', 'icmpv6'].includes(p)) return p;
  if (/^\d{1,3}$/.test(p) && Number(p) <= 255) return p;
  throw invalidParameterValue(`Invalid value '${raw ?? ''}' for IP protocol. Unknown protocol.`);
}

function ports(protocol: string, from: number | undefined, to: number | undefined): { FromPort?: number; ToPort?: number } {
  if (protocol === '-1') return {};
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) {
      throw invalidParameterValue(`Invalid value 'null' for portRange. Must specify both from and to ports with TCP/UDP.`);
    }
    if (from < 0 || to > 65535 || from > to) {
      throw invalidParameterValue(`Invalid value '${from}-${to}' for portRange. Must be in the range 0-65535 with from port not greater than to port.`);
    }
  }
  return { FromPort: from ?? -1, ToPort: to ?? -1 };
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function checkIpv4Cidr(cidr: string): string {
  const m = IPV4_CIDR.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw invalidParameterValue(`Value (${cidr}) for parameter cidrIp is invalid. This is not a valid CIDR block.`);
  }
  return cidr;
}

function checkIpv6Cidr(cidr: string): string {
  const [address, bits] = cidr.split('/');
  if (!bits || !/^\d{1,3}$/.test(bits) || Number(bits) > 128 || !/^[0-9a-fA-F:]+$/.test(address) || !address.includes(':')) {
    throw invalidParameterValue(`Value (${cidr}) for parameter cidrIpv6 is invalid. This is not a valid IPv6 CIDR block.`);
  }
  return cidr;
}

async function groupByName(r: Region, name: string): Promise<string> {
  const groups = await listResources(r.tx, r.account, r.region, SECURITY_GROUP);
  const found = groups.find((g) => g.VpcId === r.defaults.vpcId && g.GroupName === name);
  if (!found) throw groupNameNotFound(name, r.defaults.vpcId);
  return found.GroupId;
}

async function peerGroup(r: Region, pair: { GroupId?: string; GroupName?: string }): Promise<string> {
  if (pair.GroupId !== undefined) return (await requireGroup(r, pair.GroupId)).GroupId;
  if (pair.GroupName !== undefined) return groupByName(r, pair.GroupName);
  throw invalidParameterValue('A group ID or group name is required for a security group peer.');
}

/** The rules an Authorize/RevokeSecurityGroupIngress request names, one per peer. */
export async function rulesFromRequest(r: Region, input: IngressInput, egress: boolean): Promise<RuleSpec[]> {
  const permissions: IpPermissionInput[] = [...(input.IpPermissions ?? [])];
  if (input.IpProtocol !== undefined || input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined) {
    permissions.push({
      IpProtocol: input.IpProtocol ?? (input.SourceSecurityGroupName !== undefined ? '-1' : undefined),
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : [],
      UserIdGroupPairs: input.SourceSecurityGroupName !== undefined ? [{ GroupName: input.SourceSecurityGroupName }] : [],
    });
  }
  const specs: RuleSpec[] = [];
  for (const p of permissions) {
    const IpProtocol = normalizeProtocol(p.IpProtocol);
    const range = ports(IpProtocol, p.FromPort, p.ToPort);
    const base = { IsEgress: egress, IpProtocol, ...range };
    for (const ip of p.IpRanges ?? []) specs.push({ ...base, CidrIpv4: checkIpv4Cidr(ip.CidrIp ?? ''), Description: ip.Description });
    for (const ip of p.Ipv6Ranges ?? []) specs.push({ ...base, CidrIpv6: checkIpv6Cidr(ip.CidrIpv6 ?? ''), Description: ip.Description });
    for (const pair of p.UserIdGroupPairs ?? []) specs.push({ ...base, ReferencedGroupId: await peerGroup(r, pair), Description: pair.Description });
    if ((p.PrefixListIds ?? []).length > 0) throw invalidParameterValue('iamd does not support prefix lists in security group rules.');
  }
  if (specs.length === 0) throw invalidParameterValue('The request must contain the parameter ipPermissions');
  return specs;
}

/** Two rules are the same rule when everything but the id, description and tags matches. */
export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return a.IsEgress === b.IsEgress && a.IpProtocol === b.IpProtocol && a.FromPort === b.FromPort && a.ToPort === b.ToPort &&
    a.CidrIpv4 === b.CidrIpv4 && a.CidrIpv6 === b.CidrIpv6 && a.ReferencedGroupId === b.ReferencedGroupId;
}

/** How EC2 names a rule in InvalidPermission.Duplicate: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export function describeRule(rule: RuleSpec): string {
  const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.ReferencedGroupId ?? '';
  if (rule.IpProtocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  return `peer: ${peer}, ${rule.IpProtocol.toUpperCase()}, from port: ${rule.FromPort}, to port: ${rule.ToPort}, ALLOW`;
}

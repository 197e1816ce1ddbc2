// Stored documents → the API's output shapes: internal fields dropped, security group rules grouped
// into IpPermissions the way EC2 groups them (one entry per protocol and port range).

import { ec2Arn } from './arn.ts';
import type { NetworkInterfaceDoc, RuleDoc, SecurityGroupDoc, SubnetDoc, VpcDoc, VpcEndpointDoc } from './model.ts';

export function vpcView(doc: VpcDoc): Record<string, unknown> {
  return { ...doc };
}

export function subnetView(doc: SubnetDoc): Record<string, unknown> {
  const { nextHost: _allocator, ...view } = doc;
  return view;
}

export function networkInterfaceView(doc: NetworkInterfaceDoc): Record<string, unknown> {
  const { ownedBy: _owner, ...view } = doc;
  return view;
}

export function vpcEndpointView(doc: VpcEndpointDoc): Record<string, unknown> {
  return { ...doc };
}

interface IpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: { CidrIp: string; Description?: string }[];
  Ipv6Ranges: { CidrIpv6: string; Description?: string }[];
  UserIdGroupPairs: { UserId: string; GroupId: string; Description?: string }[];
  PrefixListIds: never[];
}

export function ipPermissions(rules: readonly RuleDoc[], egress: boolean, ownerId: string): IpPermission[] {
  const byRange = new Map<string, IpPermission>();
  for (const rule of rules) {
    if (rule.IsEgress !== egress) continue;
    const key = `${rule.IpProtocol}|${rule.FromPort ?? ''}|${rule.ToPort ?? ''}`;
    let p = byRange.get(key);
    if (!p) {
      p = { IpProtocol: rule.IpProtocol, FromPort: rule.FromPort, ToPort: rule.ToPort, IpRanges: [], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };
      byRange.set(key, p);
    }
    if (rule.CidrIpv4 !== undefined) p.IpRanges.push({ CidrIp: rule.CidrIpv4, Description: rule.Description });
    if (rule.CidrIpv6 !== undefined) p.Ipv6Ranges.push({ CidrIpv6: rule.CidrIpv6, Description: rule.Description });
    if (rule.ReferencedGroupId !== undefined) p.UserIdGroupPairs.push({ UserId: ownerId, GroupId: rule.ReferencedGroupId, Description: rule.Description });
  }
  return [...byRange.values()];
}

export function securityGroupView(doc: SecurityGroupDoc, region: string): Record<string, unknown> {
  const { rules, ...rest } = doc;
  return {
    ...rest,
    SecurityGroupArn: ec2Arn(region, doc.OwnerId, 'security-group', doc.GroupId),
    IpPermissions: ipPermissions(rules, false, doc.OwnerId),
    IpPermissionsEgress: ipPermissions(rules, true, doc.OwnerId),
  };
}

/** One rule as `SecurityGroupRule` (AuthorizeSecurityGroupIngress's answer). */
export function securityGroupRuleView(rule: RuleDoc, group: SecurityGroupDoc, region: string): Record<string, unknown> {
  return {
    SecurityGroupRuleId: rule.SecurityGroupRuleId,
    GroupId: group.GroupId,
    GroupOwnerId: group.OwnerId,
    IsEgress: rule.IsEgress,
    IpProtocol: rule.IpProtocol,
    FromPort: rule.FromPort ?? -1,
    ToPort: rule.ToPort ?? -1,
    CidrIpv4: rule.CidrIpv4,
    CidrIpv6: rule.CidrIpv6,
    ReferencedGroupInfo: rule.ReferencedGroupId ? { GroupId: rule.ReferencedGroupId, UserId: group.OwnerId } : undefined,
    Description: rule.Description,
    Tags: rule.Tags,
    SecurityGroupRuleArn: ec2Arn(region, group.OwnerId, 'security-group-rule', rule.SecurityGroupRuleId),
  };
}

/** One rule as `RevokedSecurityGroupRule`. */
export function revokedRuleView(rule: RuleDoc, group: SecurityGroupDoc): Record<string, unknown> {
  return {
    SecurityGroupRuleId: rule.SecurityGroupRuleId,
    GroupId: group.GroupId,
    IsEgress: rule.IsEgress,
    IpProtocol: rule.IpProtocol,
    FromPort: rule.FromPort ?? -1,
    ToPort: rule.ToPort ?? -1,
    CidrIpv4: rule.CidrIpv4,
    CidrIpv6: rule.CidrIpv6,
    ReferencedGroupId: rule.ReferencedGroupId,
    Description: rule.Description,
  };
}

// Security groups and their ingress rules. A group is addressed by id, or by name in the default VPC
// (EC2's older form). The default group cannot be deleted, nor a group still used by a network
// interface, a VPC endpoint or another group's rule.

import type { AuthzCheck, Operation } from '../../../common/call.ts';
import { ec2Arn } from '../arn.ts';
import { onNewResource, onSecurityGroup, onVpc, tagOnCreate } from '../authz.ts';
import {
  cannotDeleteDefaultGroup, dependencyViolation, groupDuplicate, groupNameNotFound, invalidParameterValue, missingParameter,
  permissionDuplicate, permissionNotFound, ruleIdNotFound,
} from '../errors.ts';
import { newResourceId } from '../ids.ts';
import {
  deleteResource, insertResource, listResources, NETWORK_INTERFACE, SECURITY_GROUP, updateResource, VPC_ENDPOINT,
  type RuleDoc, type SecurityGroupDoc,
} from '../model.ts';
import { ec2Operation } from '../operation.ts';
import { requireGroup, requireVpc, type Region } from '../region.ts';
import { describeRule, rulesFromRequest, sameRule, type IngressInput, type RuleSpec } from '../rules.ts';
import { tagsForCreate, type TagSpecification } from '../tags.ts';
import { ipPermissions, revokedRuleView, securityGroupRuleView } from '../views.ts';
import { DEFAULT_GROUP_NAME } from '../defaults.ts';

/** The group a request names by GroupId, or by GroupName in the default VPC. */
async function targetGroup(r: Region, input: { GroupId?: string; GroupName?: string }): Promise<SecurityGroupDoc> {
  if (input.GroupId !== undefined) return requireGroup(r, input.GroupId);
  if (input.GroupName === undefined) throw missingParameter('GroupId');
  const groups = await listResources(r.tx, r.account, r.region, SECURITY_GROUP);
  const found = groups.find((g) => g.VpcId === r.defaults.vpcId && g.GroupName === input.GroupName);
  if (!found) throw groupNameNotFound(input.GroupName, r.defaults.vpcId);
  return found;
}

interface CreateInput {
  DryRun?: boolean;
  GroupName: string;
  Description: string;
  VpcId?: string;
  TagSpecifications?: TagSpecification[];
}

function checkGroupName(name: string): void {
  if (name.toLowerCase().startsWith('sg-')) {
    throw invalidParameterValue(`Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`);
  }
}

const createSecurityGroup = ec2Operation<CreateInput>({
  name: 'CreateSecurityGroup',
  async authorize(input, r) {
    const vpc = await requireVpc(r, input.VpcId ?? r.defaults.vpcId);
    const tags = tagsForCreate(input.TagSpecifications, 'security-group');
    return [
      onNewResource(r, 'CreateSecurityGroup', 'security-group', tags, { 'ec2:Vpc': ec2Arn(r.region, r.account, 'vpc', vpc.VpcId) }),
      onVpc(r, 'CreateSecurityGroup', vpc),
      ...tagOnCreate(r, 'CreateSecurityGroup', 'security-group', tags),
    ];
  },
  async handle(input, r) {
    checkGroupName(input.GroupName);
    const vpc = await requireVpc(r, input.VpcId ?? r.defaults.vpcId);
    const existing = await listResources(r.tx, r.account, r.region, SECURITY_GROUP);
    if (existing.some((g) => g.VpcId === vpc.VpcId && g.GroupName === input.GroupName)) throw groupDuplicate(input.GroupName, vpc.VpcId);
    const group: SecurityGroupDoc = {
      GroupId: newResourceId('sg'),
      GroupName: input.GroupName,
      Description: input.Description,
      VpcId: vpc.VpcId,
      OwnerId: r.account,
      Tags: tagsForCreate(input.TagSpecifications, 'security-group'),
      // Like EC2, a new group lets all traffic out and none in.
      rules: [{ SecurityGroupRuleId: newResourceId('sgr'), IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0', Tags: [] }],
    };
    await insertResource(r.tx, r.account, r.region, SECURITY_GROUP, group);
    return { GroupId: group.GroupId, Tags: group.Tags, SecurityGroupArn: ec2Arn(r.region, r.account, 'security-group', group.GroupId) };
  },
});

interface GroupInput {
  DryRun?: boolean;
  GroupId?: string;
  GroupName?: string;
}

async function assertUnused(r: Region, group: SecurityGroupDoc): Promise<void> {
  const id = group.GroupId;
  const interfaces = await listResources(r.tx, r.account, r.region, NETWORK_INTERFACE);
  const endpoints = await listResources(r.tx, r.account, r.region, VPC_ENDPOINT);
  const groups = await listResources(r.tx, r.account, r.region, SECURITY_GROUP);
  const used =
    interfaces.some((e) => e.Groups.some((g) => g.GroupId === id)) ||
    endpoints.some((e) => e.Groups.some((g) => g.GroupId === id)) ||
    groups.some((g) => g.GroupId !== id && g.rules.some((rule) => rule.ReferencedGroupId === id));
  if (used) throw dependencyViolation(id);
}

const deleteSecurityGroup = ec2Operation<GroupInput>({
  name: 'DeleteSecurityGroup',
  async authorize(input, r) {
    return [onSecurityGroup(r, 'DeleteSecurityGroup', await targetGroup(r, input))];
  },
  async handle(input, r) {
    const group = await targetGroup(r, input);
    if (group.GroupName === DEFAULT_GROUP_NAME) throw cannotDeleteDefaultGroup(group.GroupId);
    await assertUnused(r, group);
    await deleteResource(r.tx, r.account, r.region, SECURITY_GROUP, group.GroupId);
    return { Return: true, GroupId: group.GroupId };
  },
});

interface AuthorizeInput extends GroupInput, IngressInput {
  TagSpecifications?: TagSpecification[];
}

const authorizeSecurityGroupIngress = ec2Operation<AuthorizeInput>({
  name: 'AuthorizeSecurityGroupIngress',
  async authorize(input, r) {
    const group = await targetGroup(r, input);
    const tags = tagsForCreate(input.TagSpecifications, 'security-group-rule');
    const checks: AuthzCheck[] = [onSecurityGroup(r, 'AuthorizeSecurityGroupIngress', group)];
    if (tags.length > 0) {
      checks.push(onNewResource(r, 'AuthorizeSecurityGroupIngress', 'security-group-rule', tags));
      checks.push(...tagOnCreate(r, 'AuthorizeSecurityGroupIngress', 'security-group-rule', tags));
    }
    return checks;
  },
  async handle(input, r) {
    const group = await targetGroup(r, input);
    const tags = tagsForCreate(input.TagSpecifications, 'security-group-rule');
    const specs = await rulesFromRequest(r, input, false);
    const added: RuleDoc[] = [];
    for (const spec of specs) {
      if ([...group.rules, ...added].some((existing) => sameRule(existing, spec))) throw permissionDuplicate(describeRule(spec));
      added.push({ ...spec, SecurityGroupRuleId: newResourceId('sgr'), Tags: tags });
    }
    group.rules.push(...added);
    await updateResource(r.tx, r.account, r.region, SECURITY_GROUP, group);
    return { Return: true, SecurityGroupRules: added.map((rule) => securityGroupRuleView(rule, group, r.region)) };
  },
});

interface RevokeInput extends GroupInput, IngressInput {
  SecurityGroupRuleIds?: string[];
}

const revokeSecurityGroupIngress = ec2Operation<RevokeInput>({
  name: 'RevokeSecurityGroupIngress',
  async authorize(input, r) {
    return [onSecurityGroup(r, 'RevokeSecurityGroupIngress', await targetGroup(r, input))];
  },
  async handle(input, r) {
    const group = await targetGroup(r, input);
    const revoked: RuleDoc[] = [];
    const unknown: RuleSpec[] = [];
    for (const id of input.SecurityGroupRuleIds ?? []) {
      const rule = group.rules.find((x) => x.SecurityGroupRuleId === id && !x.IsEgress);
      if (!rule) throw ruleIdNotFound(id);
      revoked.push(rule);
    }
    const byPermission = input.IpPermissions?.length || input.IpProtocol !== undefined || input.CidrIp !== undefined || input.SourceSecurityGroupName !== undefined;
    if (byPermission || revoked.length === 0) {
      for (const spec of await rulesFromRequest(r, input, false)) {
        const rule = group.rules.find((x) => sameRule(x, spec));
        if (rule) revoked.push(rule);
        else unknown.push(spec);
      }
    }
    // EC2 revokes the rules it knows and lists the others; only when it knows none is it an error.
    if (revoked.length === 0) throw permissionNotFound();
    group.rules = group.rules.filter((x) => !revoked.includes(x));
    await updateResource(r.tx, r.account, r.region, SECURITY_GROUP, group);
    return {
      Return: true,
      RevokedSecurityGroupRules: revoked.map((rule) => revokedRuleView(rule, group)),
      UnknownIpPermissions: unknown.length > 0
        ? ipPermissions(unknown.map((u) => ({ ...u, SecurityGroupRuleId: '', Tags: [] })), false, group.OwnerId)
        : undefined,
    };
  },
});

export const securityGroupOperations: Operation[] = [
  createSecurityGroup, deleteSecurityGroup, authorizeSecurityGroupIngress, revokeSecurityGroupIngress,
];

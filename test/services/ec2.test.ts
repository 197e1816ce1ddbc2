// EC2 end to end with @aws-sdk/client-ec2: the default network of each account and region, network
// interfaces, security groups, VPC endpoints and tags, every refusal with EC2's code and text, and
// authorization as EC2 does it (UnauthorizedOperation, resource ARNs, ec2:CreateAction, tag keys).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AssignIpv6AddressesCommand, AuthorizeSecurityGroupIngressCommand, CreateNetworkInterfaceCommand, CreateSecurityGroupCommand,
  CreateTagsCommand, CreateVpcEndpointCommand, DeleteNetworkInterfaceCommand, DeleteSecurityGroupCommand, DeleteTagsCommand,
  DeleteVpcEndpointsCommand, DescribeAvailabilityZonesCommand, DescribeNetworkInterfacesCommand, DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand, DescribeTagsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand, EC2Client,
  ModifyNetworkInterfaceAttributeCommand, RevokeSecurityGroupIngressCommand, UnassignIpv6AddressesCommand, type Subnet,
} from '@aws-sdk/client-ec2';
import { decodeAuthorizationFailure } from '../../src/authz/authorization-message.ts';
import { startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedForm } from '../helpers/signed.ts';

let server: TestServer;
let ec2: EC2Client;
let subnets: Subnet[];
let vpcId: string;
let defaultGroupId: string;

const client = (credentials: Credentials = ROOT, region = 'us-east-1') => server.client(EC2Client, credentials, region);
const eniTags = (tags: Record<string, string>) => [{ ResourceType: 'network-interface' as const, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }];

before(async () => {
  server = await startServer();
  ec2 = client();
  // Sorted by zone, so subnets[i] is in zone a, b, c…
  subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
  vpcId = subnets[0].VpcId!;
  defaultGroupId = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }))).SecurityGroups![0].GroupId!;
});
after(() => server.close());

describe('the default network', () => {
  test('one default VPC, 172.31.0.0/16', async () => {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    assert.equal(vpcs.length, 1);
    assert.equal(vpcs[0].CidrBlock, '172.31.0.0/16');
    assert.equal(vpcs[0].IsDefault, true);
    assert.equal(vpcs[0].State, 'available');
    assert.equal(vpcs[0].OwnerId, ACCOUNT);
    assert.match(vpcs[0].VpcId!, /^vpc-[0-9a-f]{17}$/);
  });

  test('one default /20 subnet per availability zone of the region', async () => {
    assert.deepEqual(subnets.map((s) => s.AvailabilityZone), ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`));
    assert.deepEqual(subnets.map((s) => s.CidrBlock), [0, 16, 32, 48, 64, 80].map((n) => `172.31.${n}.0/20`));
    for (const s of subnets) {
      assert.equal(s.DefaultForAz, true);
      assert.equal(s.VpcId, vpcId);
      assert.equal(s.SubnetArn, `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${s.SubnetId}`);
      assert.match(s.SubnetId!, /^subnet-[0-9a-f]{17}$/);
    }
    const west = (await client(ROOT, 'us-west-2').send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.deepEqual(west.map((s) => s.AvailabilityZone).sort(), ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d']);
    assert.ok(west.every((s) => !subnets.some((e) => e.SubnetId === s.SubnetId)), 'regions have their own subnets');
  });

  test('created once: the same ids on every call', async () => {
    const again = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.deepEqual(again.map((s) => s.SubnetId).sort(), subnets.map((s) => s.SubnetId).sort());
  });

  test('the default security group: all in from itself, all out', async () => {
    const [group] = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [defaultGroupId] }))).SecurityGroups!;
    assert.equal(group.GroupName, 'default');
    assert.equal(group.VpcId, vpcId);
    assert.deepEqual(group.IpPermissions!.map((p) => [p.IpProtocol, p.UserIdGroupPairs!.map((g) => g.GroupId)]), [['-1', [defaultGroupId]]]);
    assert.deepEqual(group.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.IpRanges!.map((r) => r.CidrIp)]), [['-1', ['0.0.0.0/0']]]);
  });

  test('availability zones, and an unknown one refused', async () => {
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    assert.deepEqual(zones.map((z) => [z.ZoneName, z.ZoneId, z.State]).slice(0, 2), [['us-east-1a', 'use1-az1', 'available'], ['us-east-1b', 'use1-az2', 'available']]);
    const one = (await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['us-east-1c'] }] }))).AvailabilityZones!;
    assert.deepEqual(one.map((z) => z.ZoneName), ['us-east-1c']);
    await rejects(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] })), 'InvalidParameterValue', 'Invalid availability zone: [us-east-1z]', 400);
  });

  test('each account has its own network and sees nothing of another', async () => {
    const other = client(await newAccount(server, OTHER_ACCOUNT));
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId }))).NetworkInterface!;
    const theirs = (await other.send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.equal(theirs.length, 6);
    assert.ok(theirs.every((s) => s.OwnerId === OTHER_ACCOUNT && !subnets.some((m) => m.SubnetId === s.SubnetId)));
    assert.deepEqual((await other.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces, []);
    await rejects(other.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId })), 'InvalidNetworkInterfaceID.NotFound');
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
  });
});

describe('network interfaces', () => {
  test('create, describe with filters and ids, delete', async () => {
    const subnet = subnets[1];
    const created = (await ec2.send(new CreateNetworkInterfaceCommand({
      SubnetId: subnet.SubnetId, Description: 'cache node 1', TagSpecifications: eniTags({ team: 'cache', tier: 'a' }),
    }))).NetworkInterface!;
    assert.match(created.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.equal(created.SubnetId, subnet.SubnetId);
    assert.equal(created.VpcId, vpcId);
    assert.equal(created.AvailabilityZone, subnet.AvailabilityZone);
    assert.equal(created.Status, 'available');
    assert.deepEqual(created.Groups, [{ GroupId: defaultGroupId, GroupName: 'default' }]);
    assert.equal(created.PrivateIpAddress, '172.31.16.4');
    assert.deepEqual(created.TagSet, [{ Key: 'team', Value: 'cache' }, { Key: 'tier', Value: 'a' }]);

    const second = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet.SubnetId, Description: 'other' }))).NetworkInterface!;
    assert.equal(second.PrivateIpAddress, '172.31.16.5');
    const [after] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }))).Subnets!;
    assert.equal(after.AvailableIpAddressCount, subnet.AvailableIpAddressCount! - 2);

    const find = async (filters: { Name: string; Values: string[] }[]) =>
      (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces!.map((e) => e.NetworkInterfaceId).sort();
    const both = [created.NetworkInterfaceId, second.NetworkInterfaceId].sort();
    assert.deepEqual(await find([{ Name: 'subnet-id', Values: [subnet.SubnetId!] }]), both);
    assert.deepEqual(await find([{ Name: 'tag:team', Values: ['cache'] }]), [created.NetworkInterfaceId]);
    assert.deepEqual(await find([{ Name: 'tag-key', Values: ['tier'] }]), [created.NetworkInterfaceId]);
    assert.deepEqual(await find([{ Name: 'description', Values: ['cache node *'] }]), [created.NetworkInterfaceId]);
    assert.deepEqual(await find([{ Name: 'availability-zone', Values: [subnet.AvailabilityZone!] }, { Name: 'group-id', Values: [defaultGroupId] }]), both);
    assert.deepEqual(await find([{ Name: 'vpc-id', Values: ['vpc-00000000000000000'] }]), []);
    const byId = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [second.NetworkInterfaceId!] }));
    assert.deepEqual(byId.NetworkInterfaces!.map((e) => e.Description), ['other']);

    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: created.NetworkInterfaceId }));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: second.NetworkInterfaceId }));
    assert.deepEqual(await find([{ Name: 'subnet-id', Values: [subnet.SubnetId!] }]), []);
    const [restored] = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnet.SubnetId!] }))).Subnets!;
    assert.equal(restored.AvailableIpAddressCount, subnet.AvailableIpAddressCount);
  });

  test('a repeated ClientToken returns the interface the first request made', async () => {
    const first = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, ClientToken: 'same-token' }))).NetworkInterface!;
    const again = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, ClientToken: 'same-token' }))).NetworkInterface!;
    assert.equal(again.NetworkInterfaceId, first.NetworkInterfaceId);
    const other = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, ClientToken: 'another-token' }))).NetworkInterface!;
    assert.notEqual(other.NetworkInterfaceId, first.NetworkInterfaceId);
    for (const id of [first.NetworkInterfaceId, other.NetworkInterfaceId]) await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: id }));
    // Once the interface is gone, the token makes a new one.
    const fresh = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, ClientToken: 'same-token' }))).NetworkInterface!;
    assert.notEqual(fresh.NetworkInterfaceId, first.NetworkInterfaceId);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: fresh.NetworkInterfaceId }));
  });

  test('refusals: unknown subnet, interface, group, filter; an address in use', async () => {
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: 'subnet-0000000000000000f' })), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-0000000000000000f' does not exist", 400);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, Groups: ['sg-0000000000000000f'] })), 'InvalidGroup.NotFound', "The security group 'sg-0000000000000000f' does not exist", 400);
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: 'eni-0000000000000000f' })), 'InvalidNetworkInterfaceID.NotFound', "The networkInterface ID 'eni-0000000000000000f' does not exist", 400);
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: 'to-set' })), 'InvalidNetworkInterfaceId.Malformed', 'Invalid id: "to-set" (expecting "eni-...")', 400);
    await rejects(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })), 'InvalidParameterValue', "The filter 'colour' is invalid", 400);
    await rejects(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-nope'] })), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-nope' does not exist", 400);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'k', Value: 'v' }] }] })), 'InvalidParameterValue', "'vpc' is not a valid taggable resource type for this operation.", 400);
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[2].SubnetId, PrivateIpAddress: '172.31.32.100' }))).NetworkInterface!;
    assert.equal(eni.PrivateIpAddress, '172.31.32.100');
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[2].SubnetId, PrivateIpAddress: '172.31.32.100' })), 'InvalidIPAddress.InUse', 'The specified address is already in use.', 400);
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[2].SubnetId, PrivateIpAddress: '10.0.0.1' })), 'InvalidParameterValue', "Address 10.0.0.1 does not fall within the subnet's address range", 400);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
  });

  test('modify description and groups; assign and unassign IPv6 addresses', async () => {
    const eni = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[3].SubnetId }))).NetworkInterface!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'eni-modify', Description: 'x' }))).GroupId!;
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Description: { Value: 'renamed' } }));
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Groups: [groupId] }));
    await rejects(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Description: { Value: 'a' }, SourceDestCheck: { Value: false } })), 'InvalidParameterCombination');
    const assigned = await ec2.send(new AssignIpv6AddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6AddressCount: 2 }));
    assert.equal(assigned.AssignedIpv6Addresses!.length, 2);
    const block = subnets[3].Ipv6CidrBlockAssociationSet![0].Ipv6CidrBlock!.split('::')[0];
    assert.ok(assigned.AssignedIpv6Addresses!.every((a) => a.startsWith(`${block}:`)), 'addresses come from the subnet /64');
    await ec2.send(new UnassignIpv6AddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: [assigned.AssignedIpv6Addresses![0]] }));
    const [now] = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))).NetworkInterfaces!;
    assert.equal(now.Description, 'renamed');
    assert.deepEqual(now.Groups!.map((g) => g.GroupId), [groupId]);
    assert.deepEqual(now.Ipv6Addresses!.map((a) => a.Ipv6Address), [assigned.AssignedIpv6Addresses![1]]);
    await rejects(ec2.send(new UnassignIpv6AddressesCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Ipv6Addresses: [assigned.AssignedIpv6Addresses![0]] })), 'InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eni.NetworkInterfaceId}`);
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })), 'DependencyViolation', `resource ${groupId} has a dependent object`, 400);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  });

  test('DryRun: DryRunOperation (412) when allowed', async () => {
    await rejects(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[0].SubnetId, DryRun: true })), 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
    assert.deepEqual((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnets[0].SubnetId!] }] }))).NetworkInterfaces, []);
  });
});

describe('security groups', () => {
  test('create, ingress rules, revoke, delete', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'web', Description: 'web servers', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'app', Value: 'web' }] }],
    }));
    const groupId = created.GroupId!;
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    assert.equal(created.SecurityGroupArn, `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${groupId}`);
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })), 'InvalidGroup.Duplicate', `The security group 'web' already exists for VPC '${vpcId}'`, 400);

    const added = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }] },
        { IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultGroupId }] },
      ],
    }));
    assert.equal(added.Return, true);
    assert.equal(added.SecurityGroupRules!.length, 2);
    assert.ok(added.SecurityGroupRules!.every((r) => /^sgr-[0-9a-f]{17}$/.test(r.SecurityGroupRuleId!) && r.GroupId === groupId));
    await rejects(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' })),
      'InvalidPermission.Duplicate', 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW" already exists', 400,
    );
    await rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', CidrIp: '10.0.0.0/8' })), 'InvalidParameterValue', "Invalid value 'null' for portRange. Must specify both from and to ports with TCP/UDP.");
    await rejects(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 1, ToPort: 2, CidrIp: '10.0.0.0/33' })), 'InvalidParameterValue', 'Value (10.0.0.0/33) for parameter cidrIp is invalid. This is not a valid CIDR block.');

    const [described] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['web'] }] }))).SecurityGroups!;
    assert.deepEqual(described.Tags, [{ Key: 'app', Value: 'web' }]);
    assert.deepEqual(described.IpPermissions!.map((p) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges!.map((r) => r.CidrIp), p.UserIdGroupPairs!.map((g) => g.GroupId)]), [
      ['tcp', 443, 443, ['0.0.0.0/0'], []],
      ['-1', undefined, undefined, [], [defaultGroupId]],
    ]);
    assert.deepEqual(described.IpPermissionsEgress!.map((p) => p.IpRanges!.map((r) => r.CidrIp)), [['0.0.0.0/0']]);

    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    }));
    assert.equal(revoked.RevokedSecurityGroupRules!.length, 1);
    assert.deepEqual(revoked.UnknownIpPermissions!.map((p) => p.FromPort), [22]);
    await rejects(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' })), 'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
    await rejects(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ['sgr-0000000000000000f'] })), 'InvalidSecurityGroupRuleId.NotFound');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [added.SecurityGroupRules![1].SecurityGroupRuleId!] }));

    await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'web' }));
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })), 'InvalidGroup.NotFound', `The security group '${groupId}' does not exist`, 400);
  });

  test('refusals: the default group, unknown names and ids, a group still referenced', async () => {
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroupId })), 'CannotDelete', `the specified group: "${defaultGroupId}" name: "default" cannot be deleted by a user`, 400);
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'nope' })), 'InvalidGroup.NotFound', `The security group 'nope' does not exist in default VPC '${vpcId}'`, 400);
    await rejects(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['bad'] })), 'InvalidGroupId.Malformed', 'Invalid id: "bad" (expecting "sg-...")', 400);
    await rejects(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', VpcId: 'vpc-0000000000000000f' })), 'InvalidVpcID.NotFound', "The vpc ID 'vpc-0000000000000000f' does not exist", 400);
    const a = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ref-a', Description: 'a' }))).GroupId!;
    const b = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'ref-b', Description: 'b' }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: b, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, UserIdGroupPairs: [{ GroupId: a }] }] }));
    await rejects(ec2.send(new DeleteSecurityGroupCommand({ GroupId: a })), 'DependencyViolation', `resource ${a} has a dependent object`, 400);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: b }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: a }));
  });
});

describe('VPC endpoints', () => {
  test('an Interface endpoint puts a managed interface in each subnet, removed with it', async () => {
    const endpoint = (await ec2.send(new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface', VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.elasticache',
      SubnetIds: [subnets[0].SubnetId!, subnets[1].SubnetId!], TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'owner', Value: 'cache' }] }],
    }))).VpcEndpoint!;
    assert.match(endpoint.VpcEndpointId!, /^vpce-[0-9a-f]{17}$/);
    assert.equal(endpoint.State, 'available');
    assert.equal(endpoint.NetworkInterfaceIds!.length, 2);
    assert.deepEqual(endpoint.Groups!.map((g) => g.GroupId), [defaultGroupId]);
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: endpoint.NetworkInterfaceIds }))).NetworkInterfaces!;
    assert.ok(enis.every((e) => e.RequesterManaged && e.InterfaceType === 'vpc_endpoint' && e.Description === `VPC Endpoint Interface ${endpoint.VpcEndpointId}`));
    await rejects(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: enis[0].NetworkInterfaceId })), 'InvalidParameterValue', `Network interface '${enis[0].NetworkInterfaceId}' is currently in use.`, 400);

    const byService = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'service-name', Values: ['com.amazonaws.us-east-1.elasticache'] }] }));
    assert.deepEqual(byService.VpcEndpoints!.map((e) => e.VpcEndpointId), [endpoint.VpcEndpointId]);
    assert.deepEqual((await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:owner', Values: ['nobody'] }] }))).VpcEndpoints, []);
    await rejects(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-0000000000000000f'] })), 'InvalidVpcEndpointId.NotFound', "The Vpc Endpoint Id 'vpce-0000000000000000f' does not exist", 400);

    const deleted = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId!, 'vpce-0000000000000000f'] }));
    assert.deepEqual(deleted.Unsuccessful, [{ ResourceId: 'vpce-0000000000000000f', Error: { Code: 'InvalidVpcEndpointId.NotFound', Message: "The Vpc Endpoint Id 'vpce-0000000000000000f' does not exist" } }]);
    assert.deepEqual((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'network-interface-id', Values: endpoint.NetworkInterfaceIds! }] }))).NetworkInterfaces, []);
  });

  test('refusals: two subnets in one zone, subnets on a Gateway endpoint, an unknown service', async () => {
    const eastA = subnets.find((s) => s.AvailabilityZone === 'us-east-1a')!;
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Gateway', VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', SubnetIds: [eastA.SubnetId!] })), 'InvalidParameter', 'Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.', 400);
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: vpcId, ServiceName: 'acme.widgets', SubnetIds: [eastA.SubnetId!] })), 'InvalidServiceName', "The Vpc Endpoint Service 'acme.widgets' does not exist", 400);
    await rejects(ec2.send(new CreateVpcEndpointCommand({ VpcEndpointType: 'Interface', VpcId: 'vpc-0000000000000000f', ServiceName: 'com.amazonaws.us-east-1.s3' })), 'InvalidVpcID.NotFound');
  });
});

describe('tags', () => {
  test('CreateTags, DescribeTags with filters, DeleteTags by key and by value', async () => {
    const subnetId = subnets[4].SubnetId!;
    await ec2.send(new CreateTagsCommand({ Resources: [subnetId, vpcId], Tags: [{ Key: 'env', Value: 'test' }, { Key: 'empty', Value: '' }] }));
    const tags = (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [subnetId] }] }))).Tags!;
    assert.deepEqual(tags, [
      { ResourceId: subnetId, ResourceType: 'subnet', Key: 'empty', Value: '' },
      { ResourceId: subnetId, ResourceType: 'subnet', Key: 'env', Value: 'test' },
    ]);
    const vpcTags = (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['vpc'] }, { Name: 'key', Values: ['env'] }] }))).Tags!;
    assert.deepEqual(vpcTags.map((t) => t.ResourceId), [vpcId]);
    assert.deepEqual((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:env', Values: ['te*'] }] }))).Subnets!.map((s) => s.SubnetId), [subnetId]);

    await ec2.send(new DeleteTagsCommand({ Resources: [subnetId], Tags: [{ Key: 'env', Value: 'other' }] }));
    assert.equal((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [subnetId] }] }))).Tags!.length, 2, 'a value that does not match removes nothing');
    await ec2.send(new DeleteTagsCommand({ Resources: [subnetId], Tags: [{ Key: 'env' }] }));
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId] }));
    assert.deepEqual((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [subnetId, vpcId] }] }))).Tags!.map((t) => t.Key), ['empty']);
    await ec2.send(new DeleteTagsCommand({ Resources: [subnetId] }));
  });

  test('refusals: an id of no known kind, a resource that does not exist, reserved keys', async () => {
    await rejects(ec2.send(new CreateTagsCommand({ Resources: ['i-1234567890abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })), 'InvalidID', "The ID 'i-1234567890abcdef0' is not valid", 400);
    await rejects(ec2.send(new CreateTagsCommand({ Resources: ['subnet-0000000000000000f'], Tags: [{ Key: 'k', Value: 'v' }] })), 'InvalidSubnetID.NotFound');
    await rejects(ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'aws:x', Value: 'v' }] })), 'InvalidParameterValue', /Tag keys starting with 'aws:' are reserved/);
  });
});

describe('bad input', () => {
  test('MaxResults below 5 is refused as EC2 refuses it, never an empty page that crashes its NextToken', async () => {
    // Found by the fuzzer: 0 or a negative MaxResults made an empty page that claimed a next one, and
    // the NextToken of that empty page crashed the call (500).
    await ec2.send(new CreateTagsCommand({ Resources: subnets.map((s) => s.SubnetId!), Tags: [{ Key: 'paged', Value: 'yes' }] }));
    for (const max of [0, -1, 4, -2147483649]) {
      // DescribeTags' MaxResults has no range in the model; EC2's own check words it so (recorded for DescribeInstances).
      const message = `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value greater than 5.`;
      await rejects(ec2.send(new DescribeTagsCommand({ MaxResults: max })), 'InvalidParameterValue', message, 400);
      await rejects(ec2.send(new DescribeVpcEndpointsCommand({ MaxResults: max })), 'InvalidParameterValue', message, 400);
      // DescribeSubnets' range (5–1000) is in the model, so the model's validation refuses it first.
      await rejects(ec2.send(new DescribeSubnetsCommand({ MaxResults: max })), 'InvalidParameterValue', /MaxResults is invalid/, 400);
    }
    const tags = await ec2.send(new DescribeTagsCommand({ MaxResults: 5, Filters: [{ Name: 'key', Values: ['paged'] }] }));
    assert.equal(tags.Tags!.length, 5);
    const rest = await ec2.send(new DescribeTagsCommand({ MaxResults: 100_000, NextToken: tags.NextToken, Filters: [{ Name: 'key', Values: ['paged'] }] }));
    assert.equal(rest.Tags!.length, 1);
    assert.equal(rest.NextToken, undefined);
    await ec2.send(new DeleteTagsCommand({ Resources: subnets.map((s) => s.SubnetId!), Tags: [{ Key: 'paged' }] }));
  });

  test('odd requests are answered with a 4xx, never a 500', async () => {
    const forms: Record<string, string>[] = [
      { Action: 'CreateNetworkInterface', SubnetId: '' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, 'SecurityGroupId.1': '' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, 'Ipv6Addresses.1.Ipv6Address': 'zz' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, SecondaryPrivateIpAddressCount: '-3' },
      { Action: 'AuthorizeSecurityGroupIngress', GroupId: defaultGroupId, 'IpPermissions.1.IpProtocol': 'banana' },
      { Action: 'AuthorizeSecurityGroupIngress', GroupId: defaultGroupId, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '9', 'IpPermissions.1.ToPort': '1', 'IpPermissions.1.IpRanges.1.CidrIp': '1.2.3.4/32' },
      { Action: 'AuthorizeSecurityGroupIngress', GroupId: defaultGroupId, 'IpPermissions.1.IpProtocol': '-1', 'IpPermissions.1.Groups.1.GroupId': '' },
      { Action: 'AuthorizeSecurityGroupIngress' },
      { Action: 'RevokeSecurityGroupIngress', GroupName: 'default' },
      { Action: 'DescribeSubnets', 'Filter.1.Value.1': 'x' },
      { Action: 'DescribeSubnets', MaxResults: '5', NextToken: '%%%' },
      { Action: 'DescribeTags', MaxResults: 'many' },
      { Action: 'CreateTags', 'ResourceId.1': '', 'Tag.1.Key': 'k' },
      { Action: 'DeleteTags', 'ResourceId.1': 'vpce-x' },
      { Action: 'CreateVpcEndpoint', VpcId: vpcId, VpcEndpointType: 'Resource', ServiceName: 'com.amazonaws.x' },
      { Action: 'CreateVpcEndpoint', VpcId: vpcId, VpcEndpointType: 'Interface' },
      { Action: 'ModifyNetworkInterfaceAttribute', NetworkInterfaceId: 'eni-0000000000000000f' },
      { Action: 'AssignIpv6Addresses', NetworkInterfaceId: 'eni-0000000000000000f', Ipv6AddressCount: '1' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, Ipv6AddressCount: '0' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, SecondaryPrivateIpAddressCount: '100000' },
      { Action: 'CreateNetworkInterface', SubnetId: subnets[0].SubnetId!, 'PrivateIpAddresses.1.PrivateIpAddress': '172.31.0.9', 'PrivateIpAddresses.1.Primary': 'true', PrivateIpAddress: '172.31.0.10' },
      { Action: 'NoSuchAction' },
    ];
    for (const form of forms) {
      const answer = await signedForm(server, 'ec2', { Version: '2016-11-15', ...form }, ROOT);
      assert.ok(answer.status >= 400 && answer.status < 500, `${JSON.stringify(form)} → ${answer.status} ${answer.body}`);
      assert.match(answer.body, /<Response><Errors><Error><Code>[\w.]+<\/Code>/);
    }
  });
});

describe('authorization', () => {
  // The network-interface part of MemoryDBServiceRolePolicy, as written.
  const memoryDbStyle = policy(
    allow('ec2:CreateTags', 'arn:aws:ec2:*:*:network-interface/*', { Condition: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkInterface' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['AmazonMemoryDBManaged'] } } }),
    allow('ec2:CreateNetworkInterface', ['arn:aws:ec2:*:*:network-interface/*', 'arn:aws:ec2:*:*:subnet/*', 'arn:aws:ec2:*:*:security-group/*']),
    allow(['ec2:DeleteNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'], 'arn:aws:ec2:*:*:network-interface/*', { Condition: { StringEquals: { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'true' } } }),
    allow(['ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs']),
  );
  let user: Credentials & { arn: string };
  let asUser: EC2Client;

  before(async () => {
    user = await userWithPolicy(server, 'memorydb-like', memoryDbStyle);
    asUser = client(user);
  });

  test('the role policy works as written: tagged creation allowed, tagged deletion allowed', async () => {
    const eni = (await asUser.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId, TagSpecifications: eniTags({ AmazonMemoryDBManaged: 'true' }) }))).NetworkInterface!;
    assert.deepEqual(eni.TagSet, [{ Key: 'AmazonMemoryDBManaged', Value: 'true' }]);
    await asUser.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni.NetworkInterfaceId, Description: { Value: 'mine' } }));
    await asUser.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
  });

  test('a tag key outside aws:TagKeys is refused on ec2:CreateTags, with EC2 wording', async () => {
    const error = await rejects(
      asUser.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId, TagSpecifications: eniTags({ AmazonMemoryDBManaged: 'true', other: 'x' }) })),
      'UnauthorizedOperation', undefined, 403,
    );
    const head = `You are not authorized to perform this operation. User: ${user.arn} is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/* because no identity-based policy allows the ec2:CreateTags action. Encoded authorization failure message: `;
    assert.ok(error.message.startsWith(head), error.message);
    const decoded = decodeAuthorizationFailure(error.message.slice(head.length));
    assert.deepEqual(decoded && [decoded.action, decoded.resource, decoded.principal, decoded.explicitDeny], ['ec2:CreateTags', `arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/*`, user.arn, false]);
    assert.deepEqual((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag-key', Values: ['other'] }] }))).NetworkInterfaces, [], 'nothing was created');
  });

  test('deleting an interface without the tag is refused on the interface ARN', async () => {
    const untagged = (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId }))).NetworkInterface!;
    await rejects(
      asUser.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: untagged.NetworkInterfaceId })),
      'UnauthorizedOperation',
      new RegExp(`^You are not authorized to perform this operation\\. User: ${user.arn} is not authorized to perform: ec2:DeleteNetworkInterface on resource: arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/${untagged.NetworkInterfaceId} because no identity-based policy allows the ec2:DeleteNetworkInterface action\\. Encoded authorization failure message: [A-Za-z0-9_-]+$`),
      403,
    );
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: untagged.NetworkInterfaceId }));
  });

  test('Describe* authorize on *, and the message names no resource', async () => {
    await asUser.send(new DescribeSubnetsCommand({}));
    await rejects(asUser.send(new DescribeTagsCommand({})), 'UnauthorizedOperation', new RegExp(`^You are not authorized to perform this operation\\. User: ${user.arn} is not authorized to perform: ec2:DescribeTags because no identity-based policy allows the ec2:DescribeTags action\\. Encoded`), 403);
  });

  test('DryRun without permission is UnauthorizedOperation, not DryRunOperation', async () => {
    await rejects(asUser.send(new CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'd', DryRun: true })), 'UnauthorizedOperation', undefined, 403);
    await rejects(asUser.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId, DryRun: true })), 'DryRunOperation', undefined, 412);
  });

  test('subnet, security group and VPC checks carry the resource tags (ec2:ResourceTag)', async () => {
    const onlyTaggedSubnets = await userWithPolicy(server, 'tagged-subnets', policy(
      allow('ec2:CreateNetworkInterface', ['arn:aws:ec2:*:*:network-interface/*', 'arn:aws:ec2:*:*:security-group/*']),
      allow('ec2:CreateNetworkInterface', 'arn:aws:ec2:*:*:subnet/*', { Condition: { StringEquals: { 'aws:ResourceTag/zone': 'ok' } } }),
    ));
    const as = client(onlyTaggedSubnets);
    await rejects(as.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId })), 'UnauthorizedOperation', new RegExp(`on resource: ${subnets[5].SubnetArn} because`), 403);
    await ec2.send(new CreateTagsCommand({ Resources: [subnets[5].SubnetId!], Tags: [{ Key: 'zone', Value: 'ok' }] }));
    const eni = (await as.send(new CreateNetworkInterfaceCommand({ SubnetId: subnets[5].SubnetId }))).NetworkInterface!;
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
    await ec2.send(new DeleteTagsCommand({ Resources: [subnets[5].SubnetId!] }));
  });

  test('CreateVpcEndpoint as Amazon MQ does it: request tag on vpc-endpoint/*, CreateTags with CreateAction', async () => {
    const mqStyle = await userWithPolicy(server, 'mq-like', policy(
      allow('ec2:CreateVpcEndpoint', ['arn:aws:ec2:*:*:vpc/*', 'arn:aws:ec2:*:*:subnet/*', 'arn:aws:ec2:*:*:security-group/*']),
      allow('ec2:CreateVpcEndpoint', 'arn:aws:ec2:*:*:vpc-endpoint/*', { Condition: { StringEquals: { 'aws:RequestTag/AMQManaged': 'true' } } }),
      allow('ec2:CreateTags', 'arn:aws:ec2:*:*:vpc-endpoint/*', { Condition: { StringEquals: { 'ec2:CreateAction': 'CreateVpcEndpoint' } } }),
      allow('ec2:DeleteVpcEndpoints', 'arn:aws:ec2:*:*:vpc-endpoint/*', { Condition: { StringEquals: { 'ec2:ResourceTag/AMQManaged': 'true' } } }),
    ));
    const as = client(mqStyle);
    const request = (tags: Record<string, string>) => new CreateVpcEndpointCommand({
      VpcEndpointType: 'Interface', VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.mq', SubnetIds: [subnets[0].SubnetId!],
      TagSpecifications: Object.keys(tags).length ? [{ ResourceType: 'vpc-endpoint', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] : undefined,
    });
    await rejects(as.send(request({})), 'UnauthorizedOperation', new RegExp(`ec2:CreateVpcEndpoint on resource: arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/\\* because`), 403);
    const endpoint = (await as.send(request({ AMQManaged: 'true' }))).VpcEndpoint!;
    assert.deepEqual(endpoint.Tags, [{ Key: 'AMQManaged', Value: 'true' }]);
    const deleted = await as.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [endpoint.VpcEndpointId!] }));
    assert.deepEqual(deleted.Unsuccessful, []);
  });

  test('the error envelope on the wire: <Response><Errors><Error>, RequestID, 403', async () => {
    const response = await signedForm(server, 'ec2', { Action: 'DescribeTags', Version: '2016-11-15' }, user);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('content-type'), 'text/xml;charset=UTF-8');
    const requestId = response.headers.get('x-amzn-requestid')!;
    assert.match(response.body, new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation\\. User: [^<]+</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>$`));
  });
});

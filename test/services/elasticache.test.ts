// ElastiCache end to end with @aws-sdk/client-elasticache and the clients of the services it acts on:
// the service-linked role created with the caller's authority (and nothing created without it), the
// network interfaces and metrics made through the role, the role reused across regions, the deletion
// task refused while clusters and replication groups exist — five listed per request, the sixth on
// the next — and accepted once they are gone; then a role policy that lacks a permission, which makes
// the cluster fail with the refusal in its events.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateCacheClusterCommand, CreateCacheSubnetGroupCommand, CreateReplicationGroupCommand, CreateSnapshotCommand,
  DeleteCacheClusterCommand, DeleteCacheSubnetGroupCommand, DeleteReplicationGroupCommand, DeleteSnapshotCommand,
  DescribeCacheClustersCommand, DescribeCacheSubnetGroupsCommand, DescribeEventsCommand, DescribeReplicationGroupsCommand,
  DescribeSnapshotsCommand, ElastiCacheClient, type CacheCluster, type ReplicationGroup,
} from '@aws-sdk/client-elasticache';
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { serviceCatalogFile, startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, deleteServiceLinkedRole, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedForm } from '../helpers/signed.ts';

const ROLE = 'AWSServiceRoleForElastiCache';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticache.amazonaws.com/${ROLE}`;
const SLR_DENIAL = new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/no-role is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticache\\.amazonaws\\.com/AWSServiceRoleForElastiCache because no identity-based policy allows the iam:CreateServiceLinkedRole action$`);
const arn = (region: string, type: string, name: string) => `arn:aws:elasticache:${region}:${ACCOUNT}:${type}:${name}`;

function clients(server: TestServer, credentials: Credentials = ROOT, region = 'us-east-1') {
  return {
    cache: server.client(ElastiCacheClient, credentials, region),
    ec2: server.client(EC2Client, credentials, region),
    cloudwatch: server.client(CloudWatchClient, credentials, region),
  };
}

async function clusterIn(cache: ElastiCacheClient, id: string): Promise<CacheCluster | undefined> {
  try {
    return (await cache.send(new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }))).CacheClusters![0];
  } catch (error) {
    if ((error as Error).name === 'CacheClusterNotFoundFault') return undefined;
    throw error;
  }
}

// The lifecycle jobs run with no delay in tests, so these take a few reads.
const settledCluster = (cache: ElastiCacheClient, id: string): Promise<CacheCluster> =>
  eventually(`cluster ${id} settles`, () => clusterIn(cache, id), (c): c is CacheCluster => c !== undefined && c.CacheClusterStatus !== 'creating');

const settledGroup = (cache: ElastiCacheClient, id: string): Promise<ReplicationGroup> =>
  eventually(
    `replication group ${id} settles`,
    async () => (await cache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups![0],
    (group) => group.Status !== 'creating',
  );

async function goneCluster(cache: ElastiCacheClient, id: string): Promise<void> {
  await eventually(`cluster ${id} is gone`, () => clusterIn(cache, id), (c) => c === undefined);
}

async function interfacesOf(ec2: EC2Client, clusterId: string) {
  const out = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: [`ElastiCache ${clusterId}`] }] }));
  return out.NetworkInterfaces!;
}

const deletionResult = (server: TestServer) => deleteServiceLinkedRole(server.iam(), ROLE);

const redis = (CacheClusterId: string) => ({ CacheClusterId, CacheNodeType: 'cache.t3.micro', Engine: 'redis' });

describe('ElastiCache owns its service-linked role', () => {
  let server: TestServer;
  let admin: Credentials;
  let noRole: Credentials;

  before(async () => {
    server = await startServer();
    noRole = await userWithPolicy(server, 'no-role', policy(allow(['elasticache:*', 'ec2:Describe*'])));
    admin = await userWithPolicy(server, 'admin', policy(
      allow('elasticache:*'),
      allow('iam:CreateServiceLinkedRole', ROLE_ARN, { Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticache.amazonaws.com' } } }),
    ));
  });
  after(() => server.close());

  test('without iam:CreateServiceLinkedRole the first resource is refused and nothing is left behind', async () => {
    const { cache } = clients(server, noRole);
    await rejects(cache.send(new CreateCacheClusterCommand(redis('first'))), 'AccessDenied', SLR_DENIAL, 403);
    const subnets = (await clients(server).ec2.send(new DescribeSubnetsCommand({}))).Subnets!;
    await rejects(
      cache.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'mine', CacheSubnetGroupDescription: 'd', SubnetIds: [subnets[0].SubnetId!] })),
      'AccessDenied', SLR_DENIAL, 403,
    );
    assert.deepEqual((await cache.send(new DescribeCacheClustersCommand({}))).CacheClusters, []);
    // Not even the default subnet group the cluster would have gone into.
    assert.deepEqual((await cache.send(new DescribeCacheSubnetGroupsCommand({}))).CacheSubnetGroups, []);
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE })), 'NoSuchEntityException');
  });

  test('a caller without elasticache permissions is refused with ElastiCache’s AccessDenied on the cluster ARN', async () => {
    const nobody = await userWithPolicy(server, 'nobody', policy(allow('ec2:DescribeVpcs')));
    const { cache } = clients(server, nobody);
    await rejects(
      cache.send(new CreateCacheClusterCommand(redis('Denied'))),
      'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: elasticache:CreateCacheCluster on resource: ${arn('us-east-1', 'cluster', 'denied')} because no identity-based policy allows the elasticache:CreateCacheCluster action`,
      403,
    );
    // The seed's example policy works as written.
    const reader = await userWithPolicy(server, 'reader', policy(allow('elasticache:DescribeCacheClusters')));
    assert.deepEqual((await clients(server, reader).cache.send(new DescribeCacheClustersCommand({}))).CacheClusters, []);
    await rejects(clients(server, reader).cache.send(new DescribeReplicationGroupsCommand({})), 'AccessDenied', /elasticache:DescribeReplicationGroups on resource: arn:aws:elasticache:us-east-1:123456789012:replicationgroup:\*/, 403);
  });

  test('the whole story: role on the first cluster, work through the role, five resources per deletion request', async () => {
    const east = clients(server, admin);
    const west = clients(server, admin, 'us-west-2');
    const root = clients(server);

    // The first cluster creates the role, with its policy attached.
    const created = (await east.cache.send(new CreateCacheClusterCommand({ ...redis('Cache-A'), Tags: [{ Key: 'team', Value: 'blue' }] }))).CacheCluster!;
    assert.equal(created.CacheClusterId, 'cache-a');
    assert.equal(created.CacheClusterStatus, 'creating');
    assert.equal(created.ARN, arn('us-east-1', 'cluster', 'cache-a'));
    const role = (await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role!;
    assert.equal(role.Arn, ROLE_ARN);
    const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }));
    assert.deepEqual(attached.AttachedPolicies!.map((p) => p.PolicyName), ['ElastiCacheServiceRolePolicy']);

    // The lifecycle, through the role: an interface per node in the customer's subnet, metrics in AWS/ElastiCache.
    const a = await settledCluster(east.cache, 'cache-a');
    assert.equal(a.CacheClusterStatus, 'available');
    assert.equal(a.CacheSubnetGroupName, 'default');
    assert.equal(a.CacheNodes!.length, 1);
    assert.match(a.CacheNodes![0].Endpoint!.Address!, /^cache-a\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com$/);
    const [eni] = await interfacesOf(root.ec2, 'cache-a');
    assert.ok(eni, 'the cluster has its network interface');
    assert.equal(eni.AvailabilityZone, a.CacheNodes![0].CustomerAvailabilityZone);
    assert.match(eni.RequesterId!, new RegExp(`^${role.RoleId}:elasticache-`));
    assert.deepEqual(a.SecurityGroups!.map((g) => g.SecurityGroupId), eni.Groups!.map((g) => g.GroupId));
    const metrics = (await root.cloudwatch.send(new ListMetricsCommand({ Namespace: 'AWS/ElastiCache' }))).Metrics!;
    assert.deepEqual(metrics.map((m) => [m.MetricName, m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).sort()]), [
      ['CurrConnections', ['CacheClusterId=cache-a', 'CacheNodeId=0001']],
    ]);
    const events = (await east.cache.send(new DescribeEventsCommand({ SourceType: 'cache-cluster', SourceIdentifier: 'cache-a' }))).Events!;
    assert.deepEqual(events.map((e) => e.Message), ['Cache cluster created']);

    // A second resource in another region reuses the role; a replication group's clusters each get an interface.
    await west.cache.send(new CreateReplicationGroupCommand({
      ReplicationGroupId: 'rg-west', ReplicationGroupDescription: 'two nodes', NumCacheClusters: 2, CacheNodeType: 'cache.t3.small', Engine: 'redis',
    }));
    const group = await settledGroup(west.cache, 'rg-west');
    assert.equal(group.Status, 'available');
    assert.deepEqual(group.MemberClusters, ['rg-west-001', 'rg-west-002']);
    assert.deepEqual(group.NodeGroups![0].NodeGroupMembers!.map((m) => m.CurrentRole), ['primary', 'replica']);
    assert.equal((await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role!.RoleId, role.RoleId, 'the same role');
    const westMembers = (await west.cache.send(new DescribeCacheClustersCommand({}))).CacheClusters!;
    assert.deepEqual(westMembers.map((c) => [c.CacheClusterId, c.ReplicationGroupId, c.CacheClusterStatus]), [
      ['rg-west-001', 'rg-west', 'available'], ['rg-west-002', 'rg-west', 'available'],
    ]);
    for (const member of ['rg-west-001', 'rg-west-002']) assert.equal((await interfacesOf(clients(server, ROOT, 'us-west-2').ec2, member)).length, 1);

    // Six resources in all; a memcached cluster has an interface per node. A snapshot does not hold the role.
    await east.cache.send(new CreateCacheClusterCommand(redis('cache-b')));
    await east.cache.send(new CreateCacheClusterCommand(redis('cache-c')));
    await east.cache.send(new CreateCacheClusterCommand({ CacheClusterId: 'cache-d', CacheNodeType: 'cache.t3.micro', Engine: 'memcached', NumCacheNodes: 2 }));
    await west.cache.send(new CreateCacheClusterCommand(redis('cache-e')));
    for (const id of ['cache-b', 'cache-c', 'cache-d']) assert.equal((await settledCluster(east.cache, id)).CacheClusterStatus, 'available');
    assert.equal((await settledCluster(west.cache, 'cache-e')).CacheClusterStatus, 'available');
    const d = (await east.cache.send(new DescribeCacheClustersCommand({ CacheClusterId: 'cache-d', ShowCacheNodeInfo: true }))).CacheClusters![0];
    assert.deepEqual(d.CacheNodes!.map((n) => n.CacheNodeId), ['0001', '0002']);
    assert.notEqual(d.CacheNodes![0].CustomerAvailabilityZone, d.CacheNodes![1].CustomerAvailabilityZone, 'spread over zones');
    assert.equal((await interfacesOf(root.ec2, 'cache-d')).length, 2);
    await east.cache.send(new CreateSnapshotCommand({ CacheClusterId: 'cache-a', SnapshotName: 'keep-me' }));
    await eventually(
      'snapshot keep-me is available',
      async () => (await east.cache.send(new DescribeSnapshotsCommand({ SnapshotName: 'keep-me' }))).Snapshots![0],
      (s) => s.SnapshotStatus === 'available',
    );

    // The deletion task fails, listing five of the six, by region.
    const first = await deletionResult(server);
    assert.equal(first.Status, 'FAILED');
    assert.deepEqual(first.Reason!.RoleUsageList, [
      { Region: 'us-east-1', Resources: ['cache-a', 'cache-b', 'cache-c', 'cache-d'].map((id) => arn('us-east-1', 'cluster', id)) },
      { Region: 'us-west-2', Resources: [arn('us-west-2', 'cluster', 'cache-e')] },
    ]);

    // The user removes what was listed and submits again: the sixth is listed now.
    for (const id of ['cache-a', 'cache-b', 'cache-c', 'cache-d']) {
      assert.equal((await east.cache.send(new DeleteCacheClusterCommand({ CacheClusterId: id }))).CacheCluster!.CacheClusterStatus, 'deleting');
    }
    await west.cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'cache-e' }));
    for (const id of ['cache-a', 'cache-b', 'cache-c', 'cache-d']) await goneCluster(east.cache, id);
    await goneCluster(west.cache, 'cache-e');
    assert.deepEqual(await interfacesOf(root.ec2, 'cache-d'), [], 'the interfaces went with the clusters');
    const second = await deletionResult(server);
    assert.equal(second.Status, 'FAILED');
    assert.deepEqual(second.Reason!.RoleUsageList, [{ Region: 'us-west-2', Resources: [arn('us-west-2', 'replicationgroup', 'rg-west')] }]);

    // Once the replication group is gone too, the role goes.
    assert.equal((await west.cache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'rg-west' }))).ReplicationGroup!.Status, 'deleting');
    await goneCluster(west.cache, 'rg-west-001');
    await rejects(west.cache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: 'rg-west' })), 'ReplicationGroupNotFoundFault', undefined, 404);
    const third = await deletionResult(server);
    assert.equal(third.Status, 'SUCCEEDED');
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE })), 'NoSuchEntityException');
    assert.equal((await east.cache.send(new DescribeSnapshotsCommand({}))).Snapshots!.length, 1, 'snapshots outlive the role');

    // A new resource creates the role again.
    await east.cache.send(new CreateCacheClusterCommand(redis('cache-f')));
    const again = (await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role!;
    assert.notEqual(again.RoleId, role.RoleId);
    assert.equal((await settledCluster(east.cache, 'cache-f')).CacheClusterStatus, 'available');
    await east.cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'cache-f' }));
    await goneCluster(east.cache, 'cache-f');
    await east.cache.send(new DeleteSnapshotCommand({ SnapshotName: 'keep-me' }));
  });

  test('refusals in ElastiCache’s codes', async () => {
    const { cache } = clients(server);
    await rejects(cache.send(new DescribeCacheClustersCommand({ CacheClusterId: 'nope' })), 'CacheClusterNotFoundFault', 'CacheCluster not found: nope', 404);
    await rejects(cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'nope' })), 'CacheClusterNotFoundFault', 'CacheCluster not found: nope', 404);
    await rejects(cache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: 'nope' })), 'ReplicationGroupNotFoundFault', undefined, 404);
    await rejects(cache.send(new DeleteSnapshotCommand({ SnapshotName: 'nope' })), 'SnapshotNotFoundFault', undefined, 404);
    await rejects(cache.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: 'nope' })), 'CacheSubnetGroupNotFoundFault', undefined, 400);
    await rejects(cache.send(new CreateCacheClusterCommand({ CacheClusterId: 'x', Engine: 'redis' })), 'InvalidParameterValueException',
      'The parameter CacheNodeType must be provided and must not be null.', 400);
    await rejects(cache.send(new CreateCacheClusterCommand(redis('bad--id'))), 'InvalidParameterValueException', /CacheClusterIdentifier is not a valid identifier/, 400);
    await rejects(cache.send(new CreateCacheClusterCommand({ ...redis('two'), NumCacheNodes: 2 })), 'InvalidParameterValueException', /NumCacheNodes/, 400);
    await rejects(cache.send(new CreateCacheClusterCommand({ ...redis('sub'), CacheSubnetGroupName: 'missing' })), 'CacheSubnetGroupNotFoundFault', undefined, 400);
    await rejects(cache.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'bad', CacheSubnetGroupDescription: 'd', SubnetIds: ['subnet-0000'] })),
      'InvalidSubnet', 'The subnet ID subnet-0000 does not exist', 400);

    // A subnet group of our own, in use while a cluster is in it; names are case-insensitive.
    const subnets = (await clients(server).ec2.send(new DescribeSubnetsCommand({}))).Subnets!.sort((x, y) => x.AvailabilityZone!.localeCompare(y.AvailabilityZone!));
    const made = (await cache.send(new CreateCacheSubnetGroupCommand({
      CacheSubnetGroupName: 'Mine', CacheSubnetGroupDescription: 'two zones', SubnetIds: [subnets[1].SubnetId!, subnets[2].SubnetId!],
    }))).CacheSubnetGroup!;
    assert.equal(made.CacheSubnetGroupName, 'mine');
    assert.equal(made.VpcId, subnets[1].VpcId);
    assert.deepEqual(made.Subnets!.map((s) => s.SubnetAvailabilityZone!.Name), ['us-east-1b', 'us-east-1c']);
    await rejects(cache.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: 'mine', CacheSubnetGroupDescription: 'd', SubnetIds: [subnets[1].SubnetId!] })),
      'CacheSubnetGroupAlreadyExistsFault', undefined, 400);
    await cache.send(new CreateCacheClusterCommand({ ...redis('in-mine'), CacheSubnetGroupName: 'MINE', PreferredAvailabilityZone: 'us-east-1c' }));
    await rejects(cache.send(new CreateCacheClusterCommand(redis('in-mine'))), 'CacheClusterAlreadyExistsFault', 'Cache cluster already exists', 400);
    const inMine = await settledCluster(cache, 'in-mine');
    assert.equal(inMine.PreferredAvailabilityZone, 'us-east-1c');
    assert.equal((await interfacesOf(clients(server).ec2, 'in-mine'))[0].SubnetId, subnets[2].SubnetId);
    await rejects(cache.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: 'mine' })), 'CacheSubnetGroupInUse', 'Cache subnet group mine is currently in use by a cache cluster.', 400);
    await cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'in-mine' }));
    await goneCluster(cache, 'in-mine');
    await cache.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: 'mine' }));
    await rejects(cache.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: 'mine' })), 'CacheSubnetGroupNotFoundFault', undefined, 400);
  });

  test('on the wire: list members by their model names, errors by their wire codes', async () => {
    const form = (fields: Record<string, string>) => signedForm(server, 'elasticache', { Version: '2015-02-02', ...fields }, ROOT);
    const created = await form({ Action: 'CreateCacheCluster', CacheClusterId: 'wire', CacheNodeType: 'cache.t3.micro', 'Tags.Tag.1.Key': 'k', 'Tags.Tag.1.Value': 'v' });
    assert.equal(created.status, 200, created.body);
    await settledCluster(clients(server).cache, 'wire');
    const listed = await form({ Action: 'DescribeCacheClusters', ShowCacheNodeInfo: 'true' });
    assert.match(listed.body, /<DescribeCacheClustersResult><CacheClusters><CacheCluster><CacheClusterId>wire<\/CacheClusterId>/);
    assert.match(listed.body, /<CacheNodes><CacheNode><CacheNodeId>0001<\/CacheNodeId>/);
    assert.match(listed.body, /<SecurityGroups><member><SecurityGroupId>sg-/, 'SecurityGroupMembershipList has no member name in the model');
    const missing = await form({ Action: 'DescribeCacheClusters', CacheClusterId: 'nope' });
    assert.equal(missing.status, 404);
    assert.match(missing.body, /^<ErrorResponse xmlns="http:\/\/elasticache\.amazonaws\.com\/doc\/2015-02-02\/"><Error><Type>Sender<\/Type><Code>CacheClusterNotFound<\/Code><Message>CacheCluster not found: nope<\/Message><\/Error>/);
    await clients(server).cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'wire' }));
    await goneCluster(clients(server).cache, 'wire');
  });
});

describe('a role policy that lacks a permission', () => {
  let server: TestServer;

  before(async () => {
    // The built-in ElastiCache entry replaced by one whose policy cannot publish metrics.
    const file = serviceCatalogFile([{
      servicePrincipal: 'elasticache.amazonaws.com',
      roleName: ROLE,
      policy: {
        name: 'ElastiCacheWithoutMetrics',
        document: policy(allow(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces'])),
      },
    }]);
    server = await startServer(['--service-catalog', file]);
  });
  after(() => server.close());

  test('makes the cluster fail with the refusal, and leaves nothing in the network', async () => {
    const { cache, ec2 } = clients(server);
    await cache.send(new CreateCacheClusterCommand(redis('doomed')));
    const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }));
    assert.deepEqual(attached.AttachedPolicies!.map((p) => p.PolicyName), ['ElastiCacheWithoutMetrics']);
    const failed = await settledCluster(cache, 'doomed');
    assert.equal(failed.CacheClusterStatus, 'create-failed');
    const [event] = (await cache.send(new DescribeEventsCommand({ SourceType: 'cache-cluster', SourceIdentifier: 'doomed' }))).Events!;
    assert.match(
      event.Message!,
      new RegExp(`^Failed to create cache cluster doomed: AccessDenied: User: arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/elasticache-\\w+ is not authorized to perform: cloudwatch:PutMetricData because no identity-based policy allows the cloudwatch:PutMetricData action$`),
    );
    assert.deepEqual(await interfacesOf(ec2, 'doomed'), [], 'the interface made before the refusal was removed');

    // A failed cluster still holds the role until it is deleted.
    const held = await deletionResult(server);
    assert.equal(held.Status, 'FAILED');
    assert.deepEqual(held.Reason!.RoleUsageList, [{ Region: 'us-east-1', Resources: [arn('us-east-1', 'cluster', 'doomed')] }]);
    await cache.send(new DeleteCacheClusterCommand({ CacheClusterId: 'doomed' }));
    await goneCluster(cache, 'doomed');
    assert.equal((await deletionResult(server)).Status, 'SUCCEEDED');
  });
});

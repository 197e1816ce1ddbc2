// MemoryDB end to end, with the real SDK clients: the service-linked role created by the first cluster
// with the caller's authority (and nothing left behind without it), network interfaces and metrics
// made through the role, the role reused in another region, DeleteServiceLinkedRole refused while
// clusters exist and allowed once they are gone, and a role policy that lacks a permission failing
// the cluster with the refusal in its events.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateSnapshotCommand, CreateSubnetGroupCommand, DeleteClusterCommand, DeleteSnapshotCommand,
  DeleteSubnetGroupCommand, DescribeClustersCommand, DescribeEventsCommand, DescribeSnapshotsCommand, DescribeSubnetGroupsCommand,
  ListTagsCommand, MemoryDBClient, TagResourceCommand, UntagResourceCommand, UpdateClusterCommand, type Cluster,
} from '@aws-sdk/client-memorydb';
import { DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DeleteServiceLinkedRoleCommand, GetRoleCommand, GetServiceLinkedRoleDeletionStatusCommand, ListAttachedRolePoliciesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { serviceCatalogFile, startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, deleteServiceLinkedRole, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedPost } from '../helpers/signed.ts';

const ROLE = 'AWSServiceRoleForMemoryDB';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/memorydb.amazonaws.com/${ROLE}`;
const clusterArn = (region: string, name: string) => `arn:aws:memorydb:${region}:${ACCOUNT}:cluster/${name}`;

const clusterIn = (client: MemoryDBClient, name: string) =>
  client.send(new DescribeClustersCommand({})).then((out) => out.Clusters?.find((c) => c.Name === name));

// Job delay is zero, so these take a few reads at most.
const statusOf = (client: MemoryDBClient, name: string, status: string | undefined) =>
  eventually(`cluster ${name} ${status ?? 'gone'}`, () => clusterIn(client, name), (c) => c?.Status === status);

const deletionStatus = (server: TestServer) => deleteServiceLinkedRole(server.iam(), ROLE);

const MEMORYDB_USER = policy(allow(['memorydb:*', 'ec2:Describe*', 'cloudwatch:ListMetrics']));
const MAY_CREATE_ROLE = policy(allow('iam:CreateServiceLinkedRole', ROLE_ARN, { Condition: { StringEquals: { 'iam:AWSServiceName': 'memorydb.amazonaws.com' } } }));

describe('MemoryDB and its service-linked role', () => {
  let server: TestServer;
  let dev: Credentials;
  let memorydb: (region?: string) => MemoryDBClient;

  before(async () => {
    server = await startServer();
    dev = await userWithPolicy(server, 'dev', MEMORYDB_USER);
    memorydb = (region = 'us-east-1') => server.client(MemoryDBClient, dev, region);
  });
  after(() => server.close());

  test('the whole story: denied without iam:CreateServiceLinkedRole, then created, used, protected, deleted, created again', async () => {
    // Without the permission: MemoryDB's AccessDeniedException with IAM's text, and nothing is left.
    await rejects(
      memorydb().send(new CreateClusterCommand({ ClusterName: 'c1', NodeType: 'db.t4g.small', ACLName: 'open-access' })),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/dev is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${ROLE_ARN} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
      400,
    );
    assert.deepEqual((await memorydb().send(new DescribeClustersCommand({}))).Clusters, []);
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE })), 'NoSuchEntityException');

    // With it: the first cluster creates the role, with its policy attached.
    await server.iam().send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'slr', PolicyDocument: MAY_CREATE_ROLE }));
    const created = await memorydb().send(new CreateClusterCommand({
      ClusterName: 'c1', NodeType: 'db.t4g.small', ACLName: 'open-access', NumShards: 2, NumReplicasPerShard: 1, Tags: [{ Key: 'team', Value: 'a' }],
    }));
    assert.equal(created.Cluster?.Status, 'creating');
    assert.equal(created.Cluster?.ARN, clusterArn('us-east-1', 'c1'));
    const role = (await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role!;
    assert.equal(role.Arn, ROLE_ARN);
    const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy']);

    const c1 = (await statusOf(memorydb(), 'c1', 'available'))!;
    assert.equal(c1.NumberOfShards, 2);
    assert.match(c1.ClusterEndpoint?.Address ?? '', /^clustercfg\.c1\.[0-9a-f]{6}\.memorydb\.us-east-1\.amazonaws\.com$/);

    // Four nodes, four interfaces made by the role, tagged as the role's policy requires.
    const ec2 = server.client(EC2Client, dev, 'us-east-1');
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:AmazonMemoryDBManaged', Values: ['true'] }] }))).NetworkInterfaces!;
    assert.equal(enis.length, 4);
    for (const eni of enis) {
      assert.match(eni.Description ?? '', /^MemoryDB node c1-000[12]-00[12]$/);
      assert.deepEqual(eni.TagSet, [{ Key: 'AmazonMemoryDBManaged', Value: 'true' }]);
      assert.match(eni.RequesterId ?? '', new RegExp(`^${role.RoleId}:memorydb-`)); // the role's session made it
    }
    const shards = (await memorydb().send(new DescribeClustersCommand({ ClusterName: 'c1', ShowShardDetails: true }))).Clusters![0].Shards!;
    assert.deepEqual(shards.map((s) => [s.Name, s.Nodes?.map((n) => n.Name)]), [['0001', ['0001-001', '0001-002']], ['0002', ['0002-001', '0002-002']]]);
    // …and metrics in the service's namespace.
    const metrics = await server.client(CloudWatchClient, dev, 'us-east-1').send(new ListMetricsCommand({ Namespace: 'AWS/MemoryDB' }));
    assert.deepEqual(
      metrics.Metrics?.map((m) => [m.MetricName, m.Dimensions]).sort(),
      [['CurrConnections', [{ Name: 'ClusterName', Value: 'c1' }]], ['EngineCPUUtilization', [{ Name: 'ClusterName', Value: 'c1' }]]],
    );

    // Another region, another user who may not create the role: the role exists, so it is reused.
    const other = await userWithPolicy(server, 'other', MEMORYDB_USER);
    const euw = server.client(MemoryDBClient, other, 'eu-west-1');
    await euw.send(new CreateClusterCommand({ ClusterName: 'c2', NodeType: 'db.r7g.large', ACLName: 'open-access', NumReplicasPerShard: 0 }));
    await statusOf(euw, 'c2', 'available');
    assert.equal((await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleId, role.RoleId);
    // Names are per region: c1 is free in eu-west-1, taken in us-east-1.
    await rejects(
      memorydb().send(new CreateClusterCommand({ ClusterName: 'c1', NodeType: 'db.t4g.small', ACLName: 'open-access' })),
      'ClusterAlreadyExistsFault', 'Cluster c1 already exists', 400,
    );

    // The role cannot go while clusters use it: every cluster, by region.
    const refused = await deletionStatus(server);
    assert.equal(refused.Status, 'FAILED');
    assert.deepEqual(refused.Reason?.RoleUsageList, [
      { Region: 'eu-west-1', Resources: [clusterArn('eu-west-1', 'c2')] },
      { Region: 'us-east-1', Resources: [clusterArn('us-east-1', 'c1')] },
    ]);

    // Deleting the clusters deletes their interfaces through the role; then the role can go.
    assert.equal((await memorydb().send(new DeleteClusterCommand({ ClusterName: 'c1' }))).Cluster?.Status, 'deleting');
    await euw.send(new DeleteClusterCommand({ ClusterName: 'c2' }));
    await statusOf(memorydb(), 'c1', undefined);
    await statusOf(euw, 'c2', undefined);
    const left = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'tag:AmazonMemoryDBManaged', Values: ['true'] }] }));
    assert.deepEqual(left.NetworkInterfaces, []);
    const events = (await memorydb().send(new DescribeEventsCommand({ SourceType: 'cluster', SourceName: 'c1' }))).Events!;
    assert.deepEqual(events.map((e) => e.Message), ['Cluster c1 deleted', 'Cluster c1 is being deleted', 'Cluster c1 created']);
    const future = await memorydb().send(new DescribeEventsCommand({ StartTime: new Date(Date.now() + 3600_000), EndTime: new Date(Date.now() + 7200_000) }));
    assert.deepEqual(future.Events, []);

    assert.equal((await deletionStatus(server)).Status, 'SUCCEEDED');
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE })), 'NoSuchEntityException');

    // The next cluster creates the role again.
    await memorydb().send(new CreateClusterCommand({ ClusterName: 'c3', NodeType: 'db.t4g.small', ACLName: 'open-access' }));
    const again = (await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role!;
    assert.notEqual(again.RoleId, role.RoleId);
    await statusOf(memorydb(), 'c3', 'available');
  });

  test('subnet groups: the default one has the default VPC’s subnets; custom ones name some of them', async () => {
    const client = memorydb('us-west-2');
    const [defaults] = (await client.send(new DescribeSubnetGroupsCommand({ SubnetGroupName: 'default' }))).SubnetGroups!;
    const subnets = (await server.client(EC2Client, dev, 'us-west-2').send(new DescribeSubnetsCommand({}))).Subnets!;
    assert.deepEqual(defaults.Subnets?.map((s) => s.Identifier).sort(), subnets.map((s) => s.SubnetId).sort());
    assert.equal(defaults.VpcId, subnets[0].VpcId);

    const chosen = subnets.slice(0, 2).map((s) => s.SubnetId!);
    const group = (await client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'two', SubnetIds: chosen, Description: 'two zones' }))).SubnetGroup!;
    assert.equal(group.ARN, `arn:aws:memorydb:us-west-2:${ACCOUNT}:subnetgroup/two`);
    assert.deepEqual(group.Subnets?.map((s) => s.Identifier), chosen);
    await rejects(client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'two', SubnetIds: chosen })), 'SubnetGroupAlreadyExistsFault');
    await rejects(client.send(new CreateSubnetGroupCommand({ SubnetGroupName: 'bad', SubnetIds: ['subnet-0000000000000000f'] })), 'InvalidSubnet');
    assert.deepEqual((await client.send(new DescribeSubnetGroupsCommand({}))).SubnetGroups?.map((g) => g.Name), ['default', 'two']);

    await client.send(new CreateClusterCommand({ ClusterName: 'in-two', NodeType: 'db.t4g.small', ACLName: 'open-access', SubnetGroupName: 'two', NumReplicasPerShard: 2 }));
    const cluster = (await statusOf(client, 'in-two', 'available'))!;
    assert.equal(cluster.SubnetGroupName, 'two');
    const enis = (await server.client(EC2Client, dev, 'us-west-2').send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!;
    assert.equal(enis.length, 3);
    for (const eni of enis) assert.ok(chosen.includes(eni.SubnetId!), `${eni.SubnetId} is in the group`);

    await rejects(client.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'two' })), 'SubnetGroupInUseFault', 'Subnet group two is in use by one or more clusters');
    await rejects(client.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'default' })), 'InvalidParameterValueException');
    await rejects(client.send(new CreateClusterCommand({ ClusterName: 'x', NodeType: 'db.t4g.small', ACLName: 'open-access', SubnetGroupName: 'nope' })), 'SubnetGroupNotFoundFault', 'Subnet group nope not found');
    await client.send(new DeleteClusterCommand({ ClusterName: 'in-two' }));
    await statusOf(client, 'in-two', undefined);
    assert.equal((await client.send(new DeleteSubnetGroupCommand({ SubnetGroupName: 'two' }))).SubnetGroup?.Name, 'two');
    await rejects(client.send(new DescribeSubnetGroupsCommand({ SubnetGroupName: 'two' })), 'SubnetGroupNotFoundFault');
  });

  test('snapshots, updates, tags and refusals', async () => {
    const client = memorydb('ap-southeast-2');
    await client.send(new CreateClusterCommand({ ClusterName: 'snap', NodeType: 'db.t4g.small', ACLName: 'open-access', NumReplicasPerShard: 0 }));
    await statusOf(client, 'snap', 'available');

    const snapshot = (await client.send(new CreateSnapshotCommand({ ClusterName: 'snap', SnapshotName: 's1', Tags: [{ Key: 'k', Value: 'v' }] }))).Snapshot!;
    assert.equal(snapshot.ARN, `arn:aws:memorydb:ap-southeast-2:${ACCOUNT}:snapshot/s1`);
    await eventually('snapshot s1 available', () => client.send(new DescribeSnapshotsCommand({ SnapshotName: 's1' })), (o) => o.Snapshots?.[0].Status === 'available');
    const detailed = (await client.send(new DescribeSnapshotsCommand({ ClusterName: 'snap', ShowDetail: true }))).Snapshots!;
    assert.equal(detailed[0].ClusterConfiguration?.NodeType, 'db.t4g.small');
    await rejects(client.send(new CreateSnapshotCommand({ ClusterName: 'snap', SnapshotName: 's1' })), 'SnapshotAlreadyExistsFault');

    // Scale out: the new shard's node gets its interface through the role, then the cluster is available again.
    const updating = (await client.send(new UpdateClusterCommand({ ClusterName: 'snap', ShardConfiguration: { ShardCount: 2 }, Description: 'two shards' }))).Cluster!;
    assert.equal(updating.Status, 'updating');
    const updated = (await statusOf(client, 'snap', 'available'))!;
    assert.equal(updated.NumberOfShards, 2);
    assert.equal(updated.Description, 'two shards');
    const enis = await server.client(EC2Client, dev, 'ap-southeast-2').send(new DescribeNetworkInterfacesCommand({}));
    assert.equal(enis.NetworkInterfaces?.length, 2);
    await rejects(client.send(new UpdateClusterCommand({ ClusterName: 'snap' })), 'NoOperationFault');

    // Tags on clusters, snapshots and subnet groups, by ARN.
    const arn = clusterArn('ap-southeast-2', 'snap');
    assert.deepEqual((await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }))).TagList, [
      { Key: 'a', Value: '1' }, { Key: 'b', Value: '2' },
    ]);
    assert.deepEqual((await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }))).TagList, [{ Key: 'b', Value: '2' }]);
    await rejects(client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] })), 'TagNotFoundFault');
    assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: snapshot.ARN }))).TagList, [{ Key: 'k', Value: 'v' }]);
    const groupArn = `arn:aws:memorydb:ap-southeast-2:${ACCOUNT}:subnetgroup/default`;
    await client.send(new TagResourceCommand({ ResourceArn: groupArn, Tags: [{ Key: 'g', Value: '1' }] }));
    assert.deepEqual((await client.send(new ListTagsCommand({ ResourceArn: groupArn }))).TagList, [{ Key: 'g', Value: '1' }]);
    await rejects(client.send(new ListTagsCommand({ ResourceArn: 'arn:aws:s3:::bucket' })), 'InvalidARNFault');
    await rejects(client.send(new ListTagsCommand({ ResourceArn: clusterArn('ap-southeast-2', 'nope') })), 'ClusterNotFoundFault', 'Cluster nope not found');
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(client.send(new TagResourceCommand({ ResourceArn: arn, Tags: tooMany })), 'TagQuotaPerResourceExceeded');

    // Refusals of bad input.
    const create = (input: Partial<ConstructorParameters<typeof CreateClusterCommand>[0]>) =>
      client.send(new CreateClusterCommand({ ClusterName: 'bad', NodeType: 'db.t4g.small', ACLName: 'open-access', ...input }));
    await rejects(create({ ClusterName: '1abc' }), 'InvalidParameterValueException');
    await rejects(create({ ClusterName: 'a--b' }), 'InvalidParameterValueException');
    await rejects(create({ NodeType: 'cache.t3.micro' }), 'InvalidParameterValueException', 'Invalid node type: cache.t3.micro');
    await rejects(create({ NumShards: 0 }), 'InvalidParameterValueException');
    await rejects(create({ NumReplicasPerShard: 6 }), 'InvalidParameterValueException');
    await rejects(create({ ACLName: 'mine' }), 'ACLNotFoundFault', 'ACL mine not found');
    await rejects(create({ Engine: 'memcached' }), 'InvalidParameterValueException');
    await rejects(create({ ParameterGroupName: 'custom' }), 'ParameterGroupNotFoundFault');
    await rejects(create({ SnapshotName: 'nope' }), 'SnapshotNotFoundFault');
    await rejects(create({ Tags: [{ Key: 'aws:x', Value: '1' }] }), 'InvalidParameterValueException');
    await rejects(create({ DataTiering: true }), 'InvalidParameterCombinationException');
    await rejects(client.send(new DescribeClustersCommand({ ClusterName: 'nope' })), 'ClusterNotFoundFault', 'Cluster nope not found');
    await rejects(client.send(new DeleteClusterCommand({ ClusterName: 'nope' })), 'ClusterNotFoundFault');
    await rejects(client.send(new DeleteSnapshotCommand({ SnapshotName: 'nope' })), 'SnapshotNotFoundFault');
    assert.deepEqual((await client.send(new DescribeClustersCommand({}))).Clusters?.map((c) => c.Name), ['snap']);

    // Restore from the snapshot; delete with a final snapshot; delete the snapshots.
    await client.send(new CreateClusterCommand({ ClusterName: 'restored', NodeType: 'db.t4g.small', ACLName: 'open-access', SnapshotName: 's1', NumReplicasPerShard: 0 }));
    await statusOf(client, 'restored', 'available');
    await client.send(new DeleteClusterCommand({ ClusterName: 'restored' }));
    await rejects(client.send(new DeleteClusterCommand({ ClusterName: 'snap', FinalSnapshotName: 's1' })), 'SnapshotAlreadyExistsFault');
    await client.send(new DeleteClusterCommand({ ClusterName: 'snap', FinalSnapshotName: 'final' }));
    await statusOf(client, 'snap', undefined);
    await statusOf(client, 'restored', undefined);
    const names = await eventually(
      'snapshots available',
      () => client.send(new DescribeSnapshotsCommand({})),
      (o) => o.Snapshots?.every((s) => s.Status === 'available') === true,
    );
    assert.deepEqual(names.Snapshots?.map((s) => s.Name), ['final', 's1']);
    assert.equal((await client.send(new DeleteSnapshotCommand({ SnapshotName: 's1' }))).Snapshot?.Status, 'deleting');
    await eventually('s1 gone', () => client.send(new DescribeSnapshotsCommand({})), (o) => o.Snapshots?.length === 1);
  });

  test('authorization: memorydb actions on the resource ARN, with request and resource tags', async () => {
    const limited = await userWithPolicy(server, 'limited', policy(
      allow('memorydb:CreateCluster', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } }),
      allow('memorydb:CreateCluster', ['arn:aws:memorydb:*:*:subnetgroup/*', 'arn:aws:memorydb:*:*:acl/*']),
      allow(['memorydb:DescribeClusters', 'memorydb:DeleteCluster'], '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }),
    ));
    const client = server.client(MemoryDBClient, limited, 'ca-central-1');
    await rejects(
      client.send(new CreateClusterCommand({ ClusterName: 'red', NodeType: 'db.t4g.small', ACLName: 'open-access', Tags: [{ Key: 'team', Value: 'red' }] })),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/limited is not authorized to perform: memorydb:CreateCluster on resource: ${clusterArn('ca-central-1', 'red')} because no identity-based policy allows the memorydb:CreateCluster action`,
      400,
    );
    // The role exists already (the story above made it again), so the tagged cluster goes through.
    await client.send(new CreateClusterCommand({ ClusterName: 'blue', NodeType: 'db.t4g.small', ACLName: 'open-access', Tags: [{ Key: 'team', Value: 'blue' }] }));
    const found: Cluster | undefined = (await client.send(new DescribeClustersCommand({ ClusterName: 'blue' }))).Clusters?.[0];
    assert.equal(found?.Name, 'blue');
    await rejects(client.send(new DescribeClustersCommand({})), 'AccessDeniedException', /memorydb:DescribeClusters on resource: arn:aws:memorydb:ca-central-1:123456789012:cluster\/\*/);
    await statusOf(memorydb('ca-central-1'), 'blue', 'available');
    await client.send(new DeleteClusterCommand({ ClusterName: 'blue' }));
    await statusOf(memorydb('ca-central-1'), 'blue', undefined);
  });
});

describe('MemoryDB and odd requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const send = (operation: string, body: unknown) =>
    signedPost(server, 'memorydb', JSON.stringify(body), { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonMemoryDB.${operation}` }, ROOT);

  test('are always refused with a 400 in MemoryDB’s envelope, never a 500', async () => {
    const cases: [string, unknown, string][] = [
      ['DescribeClusters', { NextToken: '%%%' }, 'InvalidParameterValueException'],
      ['DescribeClusters', { MaxResults: 0 }, 'InvalidParameterValueException'],
      ['DescribeEvents', { NextToken: 'abc' }, 'InvalidParameterValueException'],
      ['DescribeEvents', { SourceName: 'x' }, 'InvalidParameterCombinationException'],
      ['DescribeEvents', { Duration: -1 }, 'InvalidParameterValueException'],
      ['CreateCluster', { ClusterName: 'a', NodeType: 'db.t4g.small', ACLName: 'open-access', Tags: [{ Value: 'x' }] }, 'InvalidParameterValueException'],
      ['CreateCluster', { ClusterName: 'a', NodeType: 'db.t4g.small', ACLName: 'open-access', SecurityGroupIds: ['sg-1'] }, 'InvalidParameterValueException'],
      ['UpdateCluster', { ClusterName: 'zz', ShardConfiguration: {} }, 'ClusterNotFoundFault'],
      ['TagResource', { ResourceArn: `arn:aws:memorydb:us-east-1:${ACCOUNT}:acl/open-access`, Tags: [] }, 'ACLNotFoundFault'],
      ['ListTags', { ResourceArn: `arn:aws:memorydb:eu-west-1:${ACCOUNT}:cluster/x` }, 'ClusterNotFoundFault'],
      ['CreateSubnetGroup', { SubnetGroupName: 'g', SubnetIds: [] }, 'InvalidParameterValueException'],
      ['CreateSnapshot', { ClusterName: 'nope', SnapshotName: 's' }, 'ClusterNotFoundFault'],
      ['DeleteSubnetGroup', { SubnetGroupName: 'nope' }, 'SubnetGroupNotFoundFault'],
    ];
    for (const [operation, body, code] of cases) {
      const answer = await send(operation, body);
      assert.equal(answer.status, 400, `${operation} ${JSON.stringify(body)}: ${answer.body}`);
      assert.equal((JSON.parse(answer.body) as { __type: string }).__type, code, `${operation} ${JSON.stringify(body)}: ${answer.body}`);
    }
    // Nothing of these requests was written.
    const clusters = JSON.parse((await send('DescribeClusters', {})).body) as { Clusters: unknown[] };
    assert.deepEqual(clusters.Clusters, []);
  });

  test('concurrent creations of one name: one cluster, the others ClusterAlreadyExistsFault', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => send('CreateCluster', { ClusterName: 'race', NodeType: 'db.t4g.small', ACLName: 'open-access' })),
    );
    assert.equal(answers.filter((a) => a.status === 200).length, 1, answers.map((a) => a.body).join('\n'));
    for (const a of answers.filter((a) => a.status !== 200)) {
      assert.equal(a.status, 400);
      assert.equal((JSON.parse(a.body) as { __type: string }).__type, 'ClusterAlreadyExistsFault');
    }
  });
});

describe('MemoryDB while a cluster is being created', () => {
  let server: TestServer;
  before(async () => {
    // Steps wait ten minutes here, so the cluster stays `creating` for the whole test.
    server = await startServer(['--job-delay-ms', '600000']);
  });
  after(() => server.close());

  test('a cluster that is not available refuses snapshots, updates and deletion', async () => {
    const client = server.client(MemoryDBClient);
    await client.send(new CreateClusterCommand({ ClusterName: 'slow', NodeType: 'db.t4g.small', ACLName: 'open-access' }));
    assert.equal((await clusterIn(client, 'slow'))?.Status, 'creating');
    const notAvailable = 'Cluster slow is not in available state (it is creating)';
    await rejects(client.send(new CreateSnapshotCommand({ ClusterName: 'slow', SnapshotName: 's' })), 'InvalidClusterStateFault', notAvailable, 400);
    await rejects(client.send(new UpdateClusterCommand({ ClusterName: 'slow', Description: 'd' })), 'InvalidClusterStateFault', notAvailable);
    await rejects(client.send(new DeleteClusterCommand({ ClusterName: 'slow' })), 'InvalidClusterStateFault', notAvailable);
    // Even a cluster still being created uses the role.
    const { DeletionTaskId } = await server.iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE }));
    assert.equal((await server.iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status, 'NOT_STARTED');
  });
});

describe('MemoryDB with a role policy that lacks ec2:CreateTags', () => {
  let server: TestServer;

  before(async () => {
    const file = serviceCatalogFile([{
      servicePrincipal: 'memorydb.amazonaws.com',
      roleName: ROLE,
      policy: {
        name: 'MemoryDBWithoutCreateTags',
        document: policy(
          allow('ec2:CreateNetworkInterface', ['arn:aws:ec2:*:*:network-interface/*', 'arn:aws:ec2:*:*:subnet/*', 'arn:aws:ec2:*:*:security-group/*']),
          allow('ec2:DeleteNetworkInterface', 'arn:aws:ec2:*:*:network-interface/*', { Condition: { StringEquals: { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'true' } } }),
          allow('cloudwatch:PutMetricData', '*', { Condition: { StringEquals: { 'cloudwatch:namespace': 'AWS/MemoryDB' } } }),
        ),
      },
    }]);
    server = await startServer(['--service-catalog', file]);
  });
  after(() => server.close());

  test('the cluster fails, the refusal is in its events, no interface exists, and it can be deleted', async () => {
    const client = server.client(MemoryDBClient);
    await client.send(new CreateClusterCommand({ ClusterName: 'notags', NodeType: 'db.t4g.small', ACLName: 'open-access' }));
    await statusOf(client, 'notags', 'create-failed');
    const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['MemoryDBWithoutCreateTags']);

    const [event] = (await client.send(new DescribeEventsCommand({ SourceType: 'cluster', SourceName: 'notags' }))).Events!;
    assert.match(
      event.Message ?? '',
      /^Failed to create cluster notags: UnauthorizedOperation: You are not authorized to perform this operation\. User: arn:aws:sts::123456789012:assumed-role\/AWSServiceRoleForMemoryDB\/memorydb-\w+ is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:network-interface\/\* because no identity-based policy allows the ec2:CreateTags action\. Encoded authorization failure message: /,
    );
    const enis = await server.client(EC2Client).send(new DescribeNetworkInterfacesCommand({}));
    assert.deepEqual(enis.NetworkInterfaces, []);

    // A failed cluster still uses the role; deleting it frees the role.
    const refused = await deletionStatus(server);
    assert.deepEqual(refused.Reason?.RoleUsageList, [{ Region: 'us-east-1', Resources: [clusterArn('us-east-1', 'notags')] }]);
    await client.send(new DeleteClusterCommand({ ClusterName: 'notags' }));
    await statusOf(client, 'notags', undefined);
    assert.equal((await deletionStatus(server)).Status, 'SUCCEEDED');
  });
});

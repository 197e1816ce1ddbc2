// Amazon MQ end to end with @aws-sdk/client-mq, -iam, -ec2 and -cloudwatch-logs: brokers that create
// Amazon MQ's service-linked role with their caller's authority, act through it (a VPC endpoint, the
// general log), keep it from being deleted while any region has a broker, and fail when the role's
// policy lacks a permission. Plus MQ's refusals, its authorization and the regions it serves.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateBrokerCommand, DeleteBrokerCommand, DescribeBrokerCommand, ListBrokersCommand, MqClient, UpdateBrokerCommand,
  type CreateBrokerCommandInput, type DescribeBrokerResponse,
} from '@aws-sdk/client-mq';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeSubnetsCommand, DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { serviceCatalogFile, startServer, ROOT, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, deleteServiceLinkedRole, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

const PRINCIPAL = 'mq.amazonaws.com';
const ROLE_NAME = 'AWSServiceRoleForAmazonMQ';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${PRINCIPAL}/${ROLE_NAME}`;
const MAY_CREATE_ROLE = allow('iam:CreateServiceLinkedRole', `arn:aws:iam::*:role/aws-service-role/${PRINCIPAL}/${ROLE_NAME}*`, {
  Condition: { StringEquals: { 'iam:AWSServiceName': PRINCIPAL } },
});

const activeMq = (name: string, extra: Partial<CreateBrokerCommandInput> = {}): CreateBrokerCommandInput => ({
  BrokerName: name,
  EngineType: 'ACTIVEMQ',
  DeploymentMode: 'SINGLE_INSTANCE',
  HostInstanceType: 'mq.t3.micro',
  PubliclyAccessible: false,
  Users: [{ Username: 'admin', Password: 'correct-horse-battery' }],
  ...extra,
});

/** DescribeBroker's answer once the broker has left `state`. */
const settled = (mq: MqClient, BrokerId: string, state = 'CREATION_IN_PROGRESS'): Promise<DescribeBrokerResponse> =>
  eventually(`broker ${BrokerId} leaves ${state}`, () => mq.send(new DescribeBrokerCommand({ BrokerId })), (broker) => broker.BrokerState !== state);

/** The broker, or undefined once DescribeBroker no longer finds it. */
async function brokerIn(mq: MqClient, BrokerId: string): Promise<DescribeBrokerResponse | undefined> {
  try {
    return await mq.send(new DescribeBrokerCommand({ BrokerId }));
  } catch (error) {
    if ((error as Error).name === 'NotFoundException') return undefined;
    throw error;
  }
}

async function gone(mq: MqClient, BrokerId: string): Promise<void> {
  await eventually(`broker ${BrokerId} is deleted`, () => brokerIn(mq, BrokerId), (broker) => broker === undefined);
}

const deletionOutcome = (iam: IAMClient) => deleteServiceLinkedRole(iam, ROLE_NAME);

describe('brokers and their service-linked role', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  test('the whole story: denied without iam:CreateServiceLinkedRole, the role made by the first broker, used through, protected, deleted, made again', async () => {
    const iam = server.iam();
    const ec2 = server.client(EC2Client);
    const logs = server.client(CloudWatchLogsClient);
    const rootMq = (region = 'us-east-1') => server.client(MqClient, ROOT, region);
    const userPolicy = policy(allow('mq:*'));
    const user = await userWithPolicy(server, 'mq-operator', userPolicy);
    const mq = (region = 'us-east-1') => server.client(MqClient, user, region);

    // Allowed MQ's actions but not iam:CreateServiceLinkedRole: refused in MQ's words with IAM's message; nothing is left.
    await rejects(
      mq().send(new CreateBrokerCommand(activeMq('orders'))),
      'ForbiddenException',
      `User: ${user.arn} is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${ROLE_ARN} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
      403,
    );
    assert.deepEqual((await rootMq().send(new ListBrokersCommand({}))).BrokerSummaries, []);
    await rejects(iam.send(new GetRoleCommand({ RoleName: ROLE_NAME })), 'NoSuchEntityException');

    // With it, the first broker creates the role, with AmazonMQServiceRolePolicy attached.
    await iam.send(new PutUserPolicyCommand({
      UserName: 'mq-operator', PolicyName: 'inline', PolicyDocument: policy(allow('mq:*'), MAY_CREATE_ROLE),
    }));
    const created = await mq().send(new CreateBrokerCommand(activeMq('orders', { Logs: { General: true }, Tags: { team: 'blue' } })));
    assert.match(created.BrokerId!, /^b-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(created.BrokerArn, `arn:aws:mq:us-east-1:${ACCOUNT}:broker:orders:${created.BrokerId}`);
    const role = (await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!;
    assert.equal(role.Arn, ROLE_ARN);
    assert.equal(role.Path, `/aws-service-role/${PRINCIPAL}/`);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE_NAME }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/aws-service-role/AmazonMQServiceRolePolicy']);

    // The broker runs; Amazon MQ made its VPC endpoint and its general log through the role.
    const orders = await settled(mq(), created.BrokerId!);
    assert.equal(orders.BrokerState, 'RUNNING');
    assert.deepEqual(orders.ActionsRequired, []);
    assert.equal(orders.BrokerInstances?.length, 1);
    assert.match(orders.BrokerInstances![0].Endpoints![0], new RegExp(`^ssl://${created.BrokerId}-1\\.mq\\.us-east-1\\.amazonaws\\.com:61617$`));
    assert.deepEqual(orders.Tags, { team: 'blue' });
    assert.equal(orders.Logs?.GeneralLogGroup, `/aws/amazonmq/broker/${created.BrokerId}/general`);
    assert.ok(orders.Created instanceof Date);
    const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:AMQManaged', Values: ['true'] }] }))).VpcEndpoints!;
    assert.equal(endpoints.length, 1);
    assert.deepEqual(endpoints[0].SubnetIds, orders.SubnetIds);
    assert.deepEqual(endpoints[0].Groups?.map((g) => g.GroupId), orders.SecurityGroups);
    assert.deepEqual(
      Object.fromEntries(endpoints[0].Tags!.map((t) => [t.Key, t.Value])),
      { AMQManaged: 'true', AMQBrokerId: created.BrokerId },
    );
    const defaultSubnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: orders.SubnetIds }))).Subnets![0];
    assert.equal(defaultSubnet.DefaultForAz, true);
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/amazonmq/broker/' }))).logGroups!;
    assert.deepEqual(groups.map((g) => g.logGroupName), [orders.Logs?.GeneralLogGroup]);
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: orders.Logs!.GeneralLogGroup!, logStreamName: `${created.BrokerId}-1.log` }));
    assert.equal(events.events?.length, 1);
    assert.match(events.events![0].message!, /^Broker orders \(ACTIVEMQ 5\.18\) started$/);

    // A second broker, in another region, reuses the role.
    const second = await mq('eu-west-1').send(new CreateBrokerCommand(activeMq('orders')));
    assert.equal((await settled(mq('eu-west-1'), second.BrokerId!)).BrokerState, 'RUNNING');
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.RoleId, role.RoleId);
    assert.equal(second.BrokerArn, `arn:aws:mq:eu-west-1:${ACCOUNT}:broker:orders:${second.BrokerId}`);

    // The role cannot go while brokers exist: Amazon MQ reports the regions, and no resources.
    const refused = await deletionOutcome(iam);
    assert.equal(refused.Status, 'FAILED');
    assert.deepEqual(refused.Reason?.RoleUsageList, [{ Region: 'eu-west-1' }, { Region: 'us-east-1' }]);

    // Deleting the brokers deletes their endpoints through the role; then the role can go.
    assert.equal((await mq().send(new DeleteBrokerCommand({ BrokerId: created.BrokerId }))).BrokerId, created.BrokerId);
    await gone(mq(), created.BrokerId!);
    assert.deepEqual((await deletionOutcome(iam)).Reason?.RoleUsageList, [{ Region: 'eu-west-1' }]);
    await mq('eu-west-1').send(new DeleteBrokerCommand({ BrokerId: second.BrokerId }));
    await gone(mq('eu-west-1'), second.BrokerId!);
    assert.deepEqual((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints, []);
    assert.equal((await deletionOutcome(iam)).Status, 'SUCCEEDED');
    await rejects(iam.send(new GetRoleCommand({ RoleName: ROLE_NAME })), 'NoSuchEntityException');

    // The next broker creates the role again; the name of a deleted broker is free again.
    const again = await mq().send(new CreateBrokerCommand(activeMq('orders')));
    assert.notEqual((await iam.send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role!.RoleId, role.RoleId);
    assert.equal((await settled(mq(), again.BrokerId!)).BrokerState, 'RUNNING');
  });
});

describe('a role policy that lacks a permission', () => {
  let server: TestServer;
  before(async () => {
    // Amazon MQ's entry, overridden: the seed policy without its ec2:CreateTags statement.
    const file = serviceCatalogFile([{
      servicePrincipal: PRINCIPAL,
      roleName: ROLE_NAME,
      policy: {
        name: 'IamdTestAmazonMQPolicyWithoutCreateTags',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['ec2:DescribeVpcEndpoints'], Resource: '*' },
            { Effect: 'Allow', Action: ['ec2:CreateVpcEndpoint'], Resource: ['arn:aws:ec2:*:*:vpc/*', 'arn:aws:ec2:*:*:subnet/*', 'arn:aws:ec2:*:*:security-group/*'] },
            { Effect: 'Allow', Action: ['ec2:CreateVpcEndpoint'], Resource: ['arn:aws:ec2:*:*:vpc-endpoint/*'], Condition: { StringEquals: { 'aws:RequestTag/AMQManaged': 'true' } } },
            { Effect: 'Allow', Action: ['ec2:DeleteVpcEndpoints'], Resource: 'arn:aws:ec2:*:*:vpc-endpoint/*', Condition: { StringEquals: { 'ec2:ResourceTag/AMQManaged': 'true' } } },
          ],
        },
      },
    }]);
    server = await startServer(['--service-catalog', file]);
  });
  after(() => server.close());

  test('the broker fails with the refusal in its status; nothing is left in EC2; it can be deleted', async () => {
    const mq = server.client(MqClient);
    const { BrokerId } = await mq.send(new CreateBrokerCommand(activeMq('untagged')));
    const failed = await settled(mq, BrokerId!);
    assert.equal(failed.BrokerState, 'CREATION_FAILED');
    assert.equal(failed.ActionsRequired?.length, 1);
    assert.equal(failed.ActionsRequired![0].ActionRequiredCode, 'SERVICE_LINKED_ROLE_ACCESS_DENIED');
    assert.match(
      failed.ActionsRequired![0].ActionRequiredInfo!,
      /^UnauthorizedOperation: You are not authorized to perform this operation\. User: arn:aws:sts::123456789012:assumed-role\/AWSServiceRoleForAmazonMQ\/mq-\w+ is not authorized to perform: ec2:CreateTags on resource: arn:aws:ec2:us-east-1:123456789012:vpc-endpoint\/\* because no identity-based policy allows the ec2:CreateTags action/,
    );
    assert.deepEqual(failed.BrokerInstances, []);
    const ec2 = server.client(EC2Client);
    assert.deepEqual((await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints, []);

    // A failed broker still holds the role until it is deleted.
    const iam = server.iam();
    assert.deepEqual((await deletionOutcome(iam)).Reason?.RoleUsageList, [{ Region: 'us-east-1' }]);
    await mq.send(new DeleteBrokerCommand({ BrokerId }));
    await gone(mq, BrokerId!);
    assert.equal((await deletionOutcome(iam)).Status, 'SUCCEEDED');
  });
});

describe('regions', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  test('us-gov-west-1, where Amazon MQ has no service-linked role, answers as AWS answers keys it does not know there', async () => {
    const gov = server.client(MqClient, ROOT, 'us-gov-west-1');
    await rejects(gov.send(new CreateBrokerCommand(activeMq('gov'))), 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
    await rejects(gov.send(new ListBrokersCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE_NAME })), 'NoSuchEntityException');
  });

  test('every region of the supported-regions table serves brokers, each region its own', async () => {
    const regions = ['us-east-2', 'ap-northeast-3', 'sa-east-1'];
    for (const region of regions) {
      const mq = server.client(MqClient, ROOT, region);
      const { BrokerId } = await mq.send(new CreateBrokerCommand(activeMq('same-name')));
      assert.equal((await settled(mq, BrokerId!)).BrokerState, 'RUNNING');
      assert.deepEqual((await mq.send(new ListBrokersCommand({}))).BrokerSummaries?.map((b) => b.BrokerId), [BrokerId]);
    }
    const usage = await deletionOutcome(server.iam());
    assert.deepEqual(usage.Reason?.RoleUsageList, [...regions].sort().map((Region) => ({ Region })));
  });
});

describe('the broker API', () => {
  let server: TestServer;
  let mq: MqClient;
  before(async () => {
    server = await startServer();
    mq = server.client(MqClient);
  });
  after(() => server.close());

  test('NotFoundException names the broker id as its errorAttribute', async () => {
    const error = await rejects(
      mq.send(new DescribeBrokerCommand({ BrokerId: 'b-nope' })),
      'NotFoundException',
      "Can't find requested broker [b-nope]. Make sure your broker exists.",
      404,
    );
    assert.equal((error as unknown as { ErrorAttribute?: string }).ErrorAttribute, 'broker-id');
    await rejects(mq.send(new DeleteBrokerCommand({ BrokerId: 'b-nope' })), 'NotFoundException', undefined, 404);
    await rejects(mq.send(new UpdateBrokerCommand({ BrokerId: 'b-nope', AutoMinorVersionUpgrade: true })), 'NotFoundException', undefined, 404);
  });

  test('refusals name the attribute at fault; nothing is created', async () => {
    const cases: [Partial<CreateBrokerCommandInput>, string, RegExp][] = [
      [{ BrokerName: 'has space' }, 'brokerName', /^Broker name \[has space\] is not valid/],
      [{ BrokerName: 'x'.repeat(51) }, 'brokerName', /is not valid/],
      [{ DeploymentMode: 'CLUSTER_MULTI_AZ' }, 'deploymentMode', /^Deployment mode \[CLUSTER_MULTI_AZ\] is not supported for engine type \[ACTIVEMQ\]\.$/],
      [{ HostInstanceType: 'm5.large' }, 'hostInstanceType', /^Broker instance type \[m5\.large\] is not supported\.$/],
      [{ SubnetIds: ['subnet-0000000000000000f'] }, 'subnetIds', /^The subnet ID 'subnet-0000000000000000f' does not exist\.$/],
      [{ DeploymentMode: 'ACTIVE_STANDBY_MULTI_AZ', SubnetIds: ['subnet-1'] }, 'subnetIds', /requires 2 subnet\(s\), but 1 were given\.$/],
      [{ Users: [] }, 'users', /^Broker must have at least one user\.$/],
      [{ Users: [{ Username: 'admin', Password: 'short' }] }, 'password', /^Password must be 12-250 characters long/],
      [{ EngineType: 'RABBITMQ', Logs: { Audit: true } }, 'logs', /^Audit logs are not supported for RabbitMQ brokers\.$/],
    ];
    for (const [change, attribute, message] of cases) {
      const error = await rejects(mq.send(new CreateBrokerCommand(activeMq('refused', change))), 'BadRequestException', message, 400);
      assert.equal((error as unknown as { ErrorAttribute?: string }).ErrorAttribute, attribute, JSON.stringify(change));
    }
    // A member the model requires is refused by the protocol layer, in MQ's exception.
    await rejects(
      mq.send(new CreateBrokerCommand({ ...activeMq('x'), HostInstanceType: undefined } as unknown as CreateBrokerCommandInput)),
      'BadRequestException',
      undefined,
      400,
    );
    assert.deepEqual((await mq.send(new ListBrokersCommand({}))).BrokerSummaries, []);
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE_NAME })), 'NoSuchEntityException');
  });

  test('names are unique per region; listing pages; updates wait for a reboot', async () => {
    const first = await mq.send(new CreateBrokerCommand(activeMq('alpha')));
    await settled(mq, first.BrokerId!);
    const duplicate = await rejects(mq.send(new CreateBrokerCommand(activeMq('alpha'))), 'ConflictException', /^Broker name \[alpha\] is already in use/, 409);
    assert.equal((duplicate as unknown as { ErrorAttribute?: string }).ErrorAttribute, 'brokerName');
    const rabbit = await mq.send(new CreateBrokerCommand(activeMq('beta', { EngineType: 'RABBITMQ', DeploymentMode: 'CLUSTER_MULTI_AZ' })));
    const rabbitBroker = await settled(mq, rabbit.BrokerId!);
    assert.equal(rabbitBroker.EngineVersion, '3.13');
    assert.equal(rabbitBroker.StorageType, 'EBS');
    assert.deepEqual(rabbitBroker.BrokerInstances?.[0].Endpoints, [`amqps://${rabbit.BrokerId}.mq.us-east-1.amazonaws.com:5671`]);

    const page = await mq.send(new ListBrokersCommand({ MaxResults: 1 }));
    assert.deepEqual(page.BrokerSummaries?.map((b) => b.BrokerName), ['alpha']);
    assert.equal(page.BrokerSummaries![0].BrokerState, 'RUNNING');
    const rest = await mq.send(new ListBrokersCommand({ MaxResults: 1, NextToken: page.NextToken }));
    assert.deepEqual(rest.BrokerSummaries?.map((b) => b.BrokerName), ['beta']);
    assert.equal(rest.NextToken, undefined);
    await rejects(mq.send(new ListBrokersCommand({ NextToken: 'bogus' })), 'BadRequestException', 'The nextToken is not valid.', 400);

    const updated = await mq.send(new UpdateBrokerCommand({ BrokerId: first.BrokerId, EngineVersion: '5.17.6', AutoMinorVersionUpgrade: true }));
    assert.equal(updated.EngineVersion, '5.17.6');
    const described = await mq.send(new DescribeBrokerCommand({ BrokerId: first.BrokerId }));
    assert.equal(described.EngineVersion, '5.18');
    assert.equal(described.PendingEngineVersion, '5.17.6');
    assert.equal(described.AutoMinorVersionUpgrade, true);

    await mq.send(new DeleteBrokerCommand({ BrokerId: first.BrokerId }));
    await gone(mq, first.BrokerId!);
  });

  test('authorization: mq actions on the broker ARN with its tags, CreateBroker with the request tags; denials are ForbiddenException', async () => {
    const owned = await mq.send(new CreateBrokerCommand(activeMq('tagged', { Tags: { team: 'blue' } })));
    const other = await mq.send(new CreateBrokerCommand(activeMq('untagged-one')));
    const user = await userWithPolicy(server, 'blue-team', policy(
      allow(['mq:DescribeBroker', 'mq:DeleteBroker'], 'arn:aws:mq:*:*:broker:*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'blue' } } }),
      allow('mq:CreateBroker', '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } }),
      MAY_CREATE_ROLE,
    ));
    const blue = server.client(MqClient, user);
    assert.equal((await blue.send(new DescribeBrokerCommand({ BrokerId: owned.BrokerId }))).BrokerName, 'tagged');
    await rejects(
      blue.send(new DescribeBrokerCommand({ BrokerId: other.BrokerId })),
      'ForbiddenException',
      `User: ${user.arn} is not authorized to perform: mq:DescribeBroker on resource: ${other.BrokerArn} because no identity-based policy allows the mq:DescribeBroker action`,
      403,
    );
    await rejects(blue.send(new ListBrokersCommand({})), 'ForbiddenException', /mq:ListBrokers/, 403);
    await rejects(blue.send(new CreateBrokerCommand(activeMq('red', { Tags: { team: 'red' } }))), 'ForbiddenException', /mq:CreateBroker/, 403);
    const made = await blue.send(new CreateBrokerCommand(activeMq('blue-two', { Tags: { team: 'blue' } })));
    assert.equal((await settled(blue, made.BrokerId!)).BrokerState, 'RUNNING');
    await rejects(blue.send(new UpdateBrokerCommand({ BrokerId: made.BrokerId, AutoMinorVersionUpgrade: true })), 'ForbiddenException', /mq:UpdateBroker on resource: arn:aws:mq:us-east-1:123456789012:broker:blue-two:b-/, 403);
    // An id that names no broker is authorized on the broker ARN with a wildcard name; with no access, no hint of existence.
    const nobody = server.client(MqClient, await userWithPolicy(server, 'nobody', policy(allow('iam:GetUser'))));
    await rejects(nobody.send(new DescribeBrokerCommand({ BrokerId: 'b-nope' })), 'ForbiddenException', /mq:DescribeBroker on resource: arn:aws:mq:us-east-1:123456789012:broker:\*:b-nope /, 403);
  });
});

describe('brokers between states', () => {
  let server: TestServer;
  before(async () => { server = await startServer(['--job-delay-ms', '600000']); });
  after(() => server.close());

  test('a broker being created can be neither updated nor deleted yet', async () => {
    const mq = server.client(MqClient);
    const { BrokerId } = await mq.send(new CreateBrokerCommand(activeMq('slow')));
    const broker = await mq.send(new DescribeBrokerCommand({ BrokerId }));
    assert.equal(broker.BrokerState, 'CREATION_IN_PROGRESS');
    assert.deepEqual(broker.BrokerInstances, []);
    const deleting = await rejects(mq.send(new DeleteBrokerCommand({ BrokerId })), 'ConflictException', `Broker [${BrokerId}] is in state CREATION_IN_PROGRESS and cannot be deleted now.`, 409);
    assert.equal((deleting as unknown as { ErrorAttribute?: string }).ErrorAttribute, 'broker-id');
    await rejects(mq.send(new UpdateBrokerCommand({ BrokerId, AutoMinorVersionUpgrade: true })), 'ConflictException', /is in state CREATION_IN_PROGRESS; it can be updated only when RUNNING\.$/, 409);
    assert.equal((await server.iam().send(new GetRoleCommand({ RoleName: ROLE_NAME }))).Role?.Arn, ROLE_ARN);
  });
});

// Amazon MQ end to end with @aws-sdk/client-mq, -iam, -ec2 and -cloudwatch-logs: brokers that create
// Amazon MQ's service-linked role with their caller's authority, act through it (a VPC endpoint, the
// general log), keep it from being deleted while any region has a broker, and fail when the role's
// policy lacks a permission. Plus MQ's refusals, its authorization and the regions it serves.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateBrokerCommand, DeleteBrokerCommand, DescribeBrokerCommand, ListBrokersCommand, MqClient, UpdateBrokerCommand,
  type CreateBrokerCommandInput, type DescribeBrokerResponse,
} from '@aws-sdk/client-mq';
import {
  DeleteServiceLinkedRoleCommand, GetRoleCommand, GetServiceLinkedRoleDeletionStatusCommand, IAMClient, ListAttachedRolePoliciesCommand,
  PutUserPolicyCommand, type GetServiceLinkedRoleDeletionStatusCommandOutput,
} from '@aws-sdk/client-iam';
import { DescribeSubnetsCommand, DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startServer, tempDir, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, policy, rejects, userWithPolicy } from './helpers.ts';

const PRINCIPAL = 'mq.amazonaws.com';
const ROLE_NAME = 'AWSServiceRoleForAmazonMQ';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${PRINCIPAL}/${ROLE_NAME}`;
const MAY_CREATE_ROLE = {
  Action: 'iam:CreateServiceLinkedRole',
  Resource: `arn:aws:iam::*:role/aws-service-role/${PRINCIPAL}/${ROLE_NAME}*`,
  Condition: { StringEquals: { 'iam:AWSServiceName': PRINCIPAL } },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const activeMq = (name: string, extra: Partial<CreateBrokerCommandInput> = {}): CreateBrokerCommandInput => ({
  BrokerName: name,
  EngineType: 'ACTIVEMQ',
  DeploymentMode: 'SINGLE_INSTANCE',
  HostInstanceType: 'mq.t3.micro',
  PubliclyAccessible: false,
  Users: [{ Username: 'admin', Password: 'correct-horse-battery' }],
  ...extra,
});

/** Polls DescribeBroker until the broker leaves `state`. */
async function settled(mq: MqClient, BrokerId: string, state = 'CREATION_IN_PROGRESS'): Promise<DescribeBrokerResponse> {
  for (let i = 0; i < 400; i++) {
    const broker = await mq.send(new DescribeBrokerCommand({ BrokerId }));
    if (broker.BrokerState !== state) return broker;
    await sleep(20);
  }
  throw new Error(`broker ${BrokerId} stayed ${state}`);
}

/** Polls DescribeBroker until the broker is gone. */
async function gone(mq: MqClient, BrokerId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      await mq.send(new DescribeBrokerCommand({ BrokerId }));
    } catch (error) {
      if ((error as Error).name === 'NotFoundException') return;
      throw error;
    }
    await sleep(20);
  }
  throw new Error(`broker ${BrokerId} was never deleted`);
}

async function deletionOutcome(iam: IAMClient): Promise<GetServiceLinkedRoleDeletionStatusCommandOutput> {
  const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE_NAME }));
  for (let i = 0; i < 400; i++) {
    const status = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    if (status.Status === 'SUCCEEDED' || status.Status === 'FAILED') return status;
    await sleep(20);
  }
  throw new Error('the deletion task never finished');
}

describe('brokers and their service-linked role', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  test('the whole story: denied without iam:CreateServiceLinkedRole, the role made by the first broker, used through, protected, deleted, made again', async () => {
    const iam = server.iam();
    const ec2 = server.client(EC2Client);
    const logs = server.client(CloudWatchLogsClient);
    const rootMq = (region = 'us-east-1') => server.client(MqClient, ROOT, region);
    const userPolicy = policy({ Action: 'mq:*', Resource: '*' });
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
      UserName: 'mq-operator', PolicyName: 'inline', PolicyDocument: policy({ Action: 'mq:*', Resource: '*' }, MAY_CREATE_ROLE),
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

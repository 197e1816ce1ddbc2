// Paging in every service iamd serves, through the real SDK clients: each walks its whole list page by
// page with its own members (Marker/MaxItems/IsTruncated, Marker/MaxRecords, NextToken/MaxResults,
// nextToken/limit), hands out its own tokens, and refuses a size or a token in its own words.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserCommand, DeleteUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateSubnetGroupCommand, DescribeEventsCommand, DescribeSubnetGroupsCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import {
  CreateCacheSubnetGroupCommand, DescribeCacheSubnetGroupsCommand, DescribeSnapshotsCommand, ElastiCacheClient,
} from '@aws-sdk/client-elasticache';
import { CreateBrokerCommand, ListBrokersCommand, MqClient } from '@aws-sdk/client-mq';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('paging, service by service', () => {
  let server: TestServer;
  let subnetIds: string[];

  before(async () => {
    server = await startServer();
    subnetIds = (await server.client(EC2Client).send(new DescribeSubnetsCommand({}))).Subnets!.map((s) => s.SubnetId!).sort();
  });
  after(() => server.close());

  test('IAM: MaxItems and an opaque Marker after the last key, unshaken by users that come and go', async () => {
    const iam = server.iam();
    for (const name of ['pb', 'pd', 'pf', 'ph']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paged/' }));
    const first = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    assert.deepEqual(first.Users!.map((u) => u.UserName), ['pb', 'pd']);
    assert.equal(first.IsTruncated, true);
    assert.match(first.Marker!, /^iamd1\.[A-Za-z0-9_-]+$/);
    await iam.send(new DeleteUserCommand({ UserName: 'pd' }));
    for (const name of ['pa', 'pe']) await iam.send(new CreateUserCommand({ UserName: name, Path: '/paged/' }));
    const second = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(second.Users!.map((u) => u.UserName), ['pe', 'pf']);
    const last = await iam.send(new ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: second.Marker }));
    assert.deepEqual([last.Users!.map((u) => u.UserName), last.IsTruncated, last.Marker], [['ph'], false, undefined]);
  });

  test('EC2: MaxResults and a NextToken naming the last id; without MaxResults, one page', async () => {
    const ec2 = server.client(EC2Client);
    const first = await ec2.send(new DescribeSubnetsCommand({ MaxResults: 5 }));
    assert.equal(first.Subnets!.length, 5);
    assert.equal(first.NextToken, b64(first.Subnets![4].SubnetId!));
    const rest = await ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    assert.deepEqual([...first.Subnets!, ...rest.Subnets!].map((s) => s.SubnetId), subnetIds);
    assert.equal(rest.NextToken, undefined);
    assert.equal((await ec2.send(new DescribeSubnetsCommand({}))).NextToken, undefined);
    await rejects(ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: '%%%' })), 'InvalidNextToken', "The token '%%%' is invalid.", 400);
  });

  test('MemoryDB: MaxResults 1–100 and a NextToken naming the last name; events by offset', async () => {
    const memorydb = server.client(MemoryDBClient);
    for (const name of ['pg-b', 'pg-c']) await memorydb.send(new CreateSubnetGroupCommand({ SubnetGroupName: name, SubnetIds: subnetIds.slice(0, 1) }));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await memorydb.send(new DescribeSubnetGroupsCommand({ MaxResults: 1, NextToken: token }));
      names.push(...page.SubnetGroups!.map((g) => g.Name!));
      if (page.NextToken !== undefined) assert.equal(page.NextToken, b64(names[names.length - 1]));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(names, ['default', 'pg-b', 'pg-c']);
    await rejects(memorydb.send(new DescribeSubnetGroupsCommand({ MaxResults: 101 })), 'InvalidParameterValueException', 'MaxResults must be between 1 and 100.', 400);
    await rejects(memorydb.send(new DescribeSubnetGroupsCommand({ NextToken: '%%%' })), 'InvalidParameterValueException', 'Invalid NextToken.', 400);
    // Events have no unique key: a token is an offset, and one past the end is an empty page.
    assert.deepEqual((await memorydb.send(new DescribeEventsCommand({ NextToken: b64('5') }))).Events, []);
    await rejects(memorydb.send(new DescribeEventsCommand({ NextToken: b64('-1') })), 'InvalidParameterValueException', 'Invalid NextToken.', 400);
    await rejects(memorydb.send(new DescribeEventsCommand({ MaxResults: 0 })), 'InvalidParameterValueException', 'MaxResults must be between 1 and 100.', 400);
  });

  test('ElastiCache: MaxRecords within the call\'s bounds and a Marker naming the last name', async () => {
    const cache = server.client(ElastiCacheClient);
    const names = Array.from({ length: 21 }, (_, i) => `pg${String(i + 1).padStart(2, '0')}`);
    for (const name of names) {
      await cache.send(new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: name, CacheSubnetGroupDescription: name, SubnetIds: subnetIds.slice(0, 1) }));
    }
    const first = await cache.send(new DescribeCacheSubnetGroupsCommand({ MaxRecords: 20 }));
    assert.deepEqual(first.CacheSubnetGroups!.map((g) => g.CacheSubnetGroupName), names.slice(0, 20));
    assert.equal(first.Marker, b64('pg20'));
    const rest = await cache.send(new DescribeCacheSubnetGroupsCommand({ MaxRecords: 20, Marker: first.Marker }));
    assert.deepEqual([rest.CacheSubnetGroups!.map((g) => g.CacheSubnetGroupName), rest.Marker], [['pg21'], undefined]);
    // By default a page is the call's largest.
    assert.equal((await cache.send(new DescribeCacheSubnetGroupsCommand({}))).CacheSubnetGroups!.length, 21);
    await rejects(cache.send(new DescribeCacheSubnetGroupsCommand({ MaxRecords: 19 })), 'InvalidParameterValueException', 'The parameter MaxRecords must be between 20 and 100.', 400);
    await rejects(cache.send(new DescribeSnapshotsCommand({ MaxRecords: 51 })), 'InvalidParameterValueException', 'The parameter MaxRecords must be between 20 and 50.', 400);
  });

  test('Amazon MQ: maxResults and a nextToken that is an offset into the brokers, oldest first', async () => {
    const mq = server.client(MqClient);
    const ids: string[] = [];
    for (const name of ['pb1', 'pb2', 'pb3']) {
      const created = await mq.send(new CreateBrokerCommand({
        BrokerName: name, EngineType: 'ACTIVEMQ', DeploymentMode: 'SINGLE_INSTANCE', HostInstanceType: 'mq.t3.micro',
        PubliclyAccessible: false, Users: [{ Username: 'admin', Password: 'correct-horse-battery' }],
      }));
      ids.push(created.BrokerId!);
    }
    const first = await mq.send(new ListBrokersCommand({ MaxResults: 2 }));
    assert.equal(first.NextToken, b64('2'));
    const rest = await mq.send(new ListBrokersCommand({ MaxResults: 2, NextToken: first.NextToken }));
    assert.equal(rest.NextToken, undefined);
    assert.deepEqual(new Set([...first.BrokerSummaries!, ...rest.BrokerSummaries!].map((b) => b.BrokerId)), new Set(ids));
    await rejects(mq.send(new ListBrokersCommand({ NextToken: b64('4') })), 'BadRequestException', 'The nextToken is not valid.', 400);
  });

  test('CloudWatch Logs: limit and a nextToken that is an offset', async () => {
    const logs = server.client(CloudWatchLogsClient);
    for (const name of ['/paged/a', '/paged/b', '/paged/c']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/paged/', limit: 2 }));
    assert.deepEqual([first.logGroups!.map((g) => g.logGroupName), first.nextToken], [['/paged/a', '/paged/b'], b64('2')]);
    const rest = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/paged/', limit: 2, nextToken: first.nextToken }));
    assert.deepEqual([rest.logGroups!.map((g) => g.logGroupName), rest.nextToken], [['/paged/c'], undefined]);
    await rejects(logs.send(new DescribeLogGroupsCommand({ nextToken: b64('9') })), 'InvalidParameterException', 'The specified nextToken is invalid.', 400);
  });

  test('CloudWatch: ListMetrics answers 500 a page, with a nextToken that is an offset', async () => {
    const cloudwatch = server.client(CloudWatchClient);
    const MetricData = Array.from({ length: 501 }, (_, i) => ({ MetricName: `m${i}`, Value: i }));
    // In batches: a larger body would go gzip-compressed, which iamd does not read.
    for (let i = 0; i < MetricData.length; i += 100) {
      await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'Paged', MetricData: MetricData.slice(i, i + 100) }));
    }
    const first = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Paged' }));
    assert.deepEqual([first.Metrics!.length, first.NextToken], [500, b64('500')]);
    const rest = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Paged', NextToken: first.NextToken }));
    assert.deepEqual([rest.Metrics!.length, rest.NextToken], [1, undefined]);
    assert.deepEqual(new Set([...first.Metrics!, ...rest.Metrics!].map((m) => m.MetricName)), new Set(MetricData.map((m) => m.MetricName)));
    await rejects(cloudwatch.send(new ListMetricsCommand({ NextToken: b64('x') })), 'InvalidNextToken', 'The service cannot process the NextToken.', 400);
  });
});

// Round trips through the real SDK clients of the services the linked services use or are:
// EC2 (ec2Query), MemoryDB and Logs (awsJson 1.1), CloudWatch (awsJson 1.0 query-compatible), MQ (restJson1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, DescribeVpcsCommand, CreateTagsCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2';
import { MemoryDBClient, DescribeClustersCommand, DescribeEventsCommand, ClusterNotFoundFault } from '@aws-sdk/client-memorydb';
import { CloudWatchClient, GetMetricStatisticsCommand, GetMetricDataCommand, PutMetricDataCommand, InvalidParameterValueException } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand, PutLogEventsCommand, ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { MqClient, DescribeBrokerCommand, CreateTagsCommand as MqCreateTagsCommand, NotFoundException } from '@aws-sdk/client-mq';
import { ApiError } from '../../src/common/errors.ts';
import { decode, encodeError, encodeResult, modelError, resolveService } from '../../src/protocol/index.ts';
import { clientConfig, form, startCodecServer } from './helpers.ts';

type WithMeta = Error & { $metadata: { httpStatusCode?: number; requestId?: string }; Code?: string };

test('EC2 through @aws-sdk/client-ec2', async () => {
  const server = await startCodecServer(({ decoded }) => {
    switch (decoded.operation) {
      case 'DescribeVpcs':
        if ((decoded.input.VpcIds as string[] | undefined)?.[0] === 'vpc-nope') {
          return new ApiError('InvalidVpcID.NotFound', "The vpc ID 'vpc-nope' does not exist", 400);
        }
        return {
          Vpcs: [{
            VpcId: 'vpc-1', State: 'available', CidrBlock: '10.0.0.0/16', IsDefault: false, OwnerId: '123456789012',
            Tags: [{ Key: 'Name', Value: 'a & b' }],
            CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-1', CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } }],
          }],
          NextToken: 'n1',
        };
      case 'CreateSecurityGroup':
        return { GroupId: 'sg-1', Tags: [], SecurityGroupArn: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1' };
      default:
        return {};
    }
  });
  const ec2 = new EC2Client(clientConfig(server.endpoint));
  try {
    const got = await ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-1'], Filters: [{ Name: 'tag:Name', Values: ['a b'] }], MaxResults: 5 }));
    assert.equal(got.NextToken, 'n1');
    assert.deepEqual(got.Vpcs, [{
      VpcId: 'vpc-1', State: 'available', CidrBlock: '10.0.0.0/16', IsDefault: false, OwnerId: '123456789012',
      Tags: [{ Key: 'Name', Value: 'a & b' }],
      CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-1', CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } }],
    }]);
    assert.match(got.$metadata.requestId!, /^req-/);
    assert.deepEqual(server.seen[0].decoded.input, { VpcIds: ['vpc-1'], Filters: [{ Name: 'tag:Name', Values: ['a b'] }], MaxResults: 5 });

    await ec2.send(new CreateTagsCommand({ Resources: ['vpc-1'], Tags: [{ Key: 'k', Value: '' }] }));
    assert.deepEqual(server.seen[1].decoded.input, { Resources: ['vpc-1'], Tags: [{ Key: 'k', Value: '' }] });

    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'g', Description: 'd', VpcId: 'vpc-1' }));
    assert.equal(sg.GroupId, 'sg-1');
    assert.deepEqual(sg.Tags, []);
    assert.deepEqual(server.seen[2].decoded.input, { GroupName: 'g', Description: 'd', VpcId: 'vpc-1' });

    await assert.rejects(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-nope'] })), (e: WithMeta) => {
      assert.equal(e.name, 'InvalidVpcID.NotFound');
      assert.equal(e.message, "The vpc ID 'vpc-nope' does not exist");
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
  } finally {
    ec2.destroy();
    await server.close();
  }
});

test('MemoryDB through @aws-sdk/client-memorydb', async () => {
  const when = new Date('2025-03-13T08:30:52.123Z');
  const server = await startCodecServer(({ decoded }) => {
    if (decoded.operation === 'DescribeEvents') return { Events: [{ SourceName: 'c1', SourceType: 'cluster', Message: 'created', Date: when }] };
    if (decoded.input.ClusterName === 'c9') return modelError('memorydb', 'ClusterNotFoundFault', 'Cluster c9 not found.');
    return {
      Clusters: [{
        Name: 'c1', Status: 'available', NumberOfShards: 1, TLSEnabled: true, ACLName: 'open-access',
        ClusterEndpoint: { Address: 'clustercfg.c1.memorydb', Port: 6379 },
        Shards: [{ Name: '0001', Nodes: [{ Name: 'c1-0001-001', CreateTime: when }] }],
      }],
    };
  });
  const mdb = new MemoryDBClient(clientConfig(server.endpoint));
  try {
    const got = await mdb.send(new DescribeClustersCommand({ ClusterName: 'c1', ShowShardDetails: true }));
    const c = got.Clusters![0];
    assert.equal(c.Name, 'c1');
    assert.equal(c.TLSEnabled, true);
    assert.deepEqual(c.ClusterEndpoint, { Address: 'clustercfg.c1.memorydb', Port: 6379 });
    assert.deepEqual(c.Shards![0].Nodes![0].CreateTime, when);
    const events = await mdb.send(new DescribeEventsCommand({ SourceType: 'cluster' }));
    assert.deepEqual(events.Events, [{ SourceName: 'c1', SourceType: 'cluster', Message: 'created', Date: when }]);
    await assert.rejects(mdb.send(new DescribeClustersCommand({ ClusterName: 'c9' })), (e: ClusterNotFoundFault) => {
      assert.ok(e instanceof ClusterNotFoundFault);
      assert.equal(e.message, 'Cluster c9 not found.');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.$metadata.requestId!, /^req-/);
      return true;
    });
  } finally {
    mdb.destroy();
    await server.close();
  }
});

test('CloudWatch through @aws-sdk/client-cloudwatch (JSON, query-compatible errors)', async () => {
  const t1 = new Date('2025-03-13T08:30:00Z');
  const t2 = new Date('2025-03-13T08:31:00Z');
  const server = await startCodecServer(({ decoded }) => {
    switch (decoded.operation) {
      case 'GetMetricStatistics':
        if (decoded.input.Namespace === 'Bad') return modelError('cloudwatch', 'InvalidParameterValueException', 'The parameter Namespace is bad.');
        return { Label: 'CPU', Datapoints: [{ Timestamp: t1, Average: 1.5, Unit: 'Percent', ExtendedStatistics: { p99: 9.5 } }] };
      case 'GetMetricData':
        return { MetricDataResults: [{ Id: 'm1', Label: 'L', Timestamps: [t1, t2], Values: [1, 2.5], StatusCode: 'Complete' }] };
      default:
        return {};
    }
  });
  const cw = new CloudWatchClient(clientConfig(server.endpoint));
  try {
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', StartTime: t1, EndTime: t2, Period: 60, Statistics: ['Average'],
    }));
    assert.equal(stats.Label, 'CPU');
    assert.deepEqual(stats.Datapoints, [{ Timestamp: t1, Average: 1.5, Unit: 'Percent', ExtendedStatistics: { p99: 9.5 } }]);
    const input = server.seen[0].decoded.input;
    assert.deepEqual([input.StartTime, input.EndTime, input.Period], [t1, t2, 60]);

    const data = await cw.send(new GetMetricDataCommand({
      StartTime: t1, EndTime: t2,
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M', Dimensions: [{ Name: 'd', Value: 'v' }] }, Period: 60, Stat: 'Sum' } }],
    }));
    assert.deepEqual(data.MetricDataResults, [{ Id: 'm1', Label: 'L', Timestamps: [t1, t2], Values: [1, 2.5], StatusCode: 'Complete' }]);

    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 2, Timestamp: t1, Unit: 'Count' }] }));
    assert.deepEqual(server.seen[2].decoded.input, { Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 2, Timestamp: t1, Unit: 'Count' }] });

    await assert.rejects(cw.send(new GetMetricStatisticsCommand({
      Namespace: 'Bad', MetricName: 'M', StartTime: t1, EndTime: t2, Period: 60, Statistics: ['Average'],
    })), (e: InvalidParameterValueException & { Code?: string }) => {
      assert.ok(e instanceof InvalidParameterValueException);
      assert.equal(e.message, 'The parameter Namespace is bad.');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
  } finally {
    cw.destroy();
    await server.close();
  }
});

test('CloudWatch also answers the awsQuery form bodies of older SDKs in XML', () => {
  const req = form('monitoring', 'Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2&Dimensions.member.1.Name=InstanceId&Dimensions.member.1.Value=i-1');
  const target = resolveService(req);
  assert.deepEqual(target, { service: 'cloudwatch', protocol: 'query' });
  const decoded = decode(target, req);
  assert.deepEqual(decoded, { operation: 'ListMetrics', input: { Namespace: 'AWS/EC2', Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }] } });
  const ok = encodeResult(target, 'ListMetrics', { Metrics: [{ Namespace: 'AWS/EC2', MetricName: 'CPU', Dimensions: [] }] }, 'rid-1');
  assert.equal(ok.body,
    '<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><ListMetricsResult><Metrics><member>' +
      '<Namespace>AWS/EC2</Namespace><MetricName>CPU</MetricName><Dimensions/></member></Metrics></ListMetricsResult>' +
      '<ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata></ListMetricsResponse>');
  const err = encodeError(target, modelError('cloudwatch', 'InvalidParameterValueException', 'bad'), 'rid-2');
  assert.equal(err.status, 400);
  assert.match(err.body, /<Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>bad<\/Message><\/Error><RequestId>rid-2<\/RequestId>/);
});

test('Logs through @aws-sdk/client-cloudwatch-logs', async () => {
  const server = await startCodecServer(({ decoded }) => {
    switch (decoded.operation) {
      case 'DescribeLogGroups':
        return { logGroups: [{ logGroupName: '/aws/x', creationTime: 1741854652123, arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*', storedBytes: 0 }] };
      case 'GetLogEvents':
        if (decoded.input.logStreamName === 'missing') return modelError('logs', 'ResourceNotFoundException', 'The specified log stream does not exist.');
        return { events: [{ timestamp: 1741854652000, message: 'hello "world"', ingestionTime: 1741854653000 }], nextForwardToken: 'f/1', nextBackwardToken: 'b/1' };
      default:
        return { nextSequenceToken: '49' };
    }
  });
  const logs = new CloudWatchLogsClient(clientConfig(server.endpoint));
  try {
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/' }));
    assert.deepEqual(groups.logGroups, [{ logGroupName: '/aws/x', creationTime: 1741854652123, arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*', storedBytes: 0 }]);
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/x', logStreamName: 's', startFromHead: true }));
    assert.deepEqual(events.events, [{ timestamp: 1741854652000, message: 'hello "world"', ingestionTime: 1741854653000 }]);
    assert.equal(events.nextForwardToken, 'f/1');
    await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/x', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'a' }, { timestamp: 2, message: 'b' }] }));
    assert.deepEqual(server.seen[2].decoded.input, { logGroupName: '/aws/x', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'a' }, { timestamp: 2, message: 'b' }] });
    await assert.rejects(logs.send(new GetLogEventsCommand({ logGroupName: '/aws/x', logStreamName: 'missing' })), (e: ResourceNotFoundException) => {
      assert.ok(e instanceof ResourceNotFoundException);
      assert.equal(e.message, 'The specified log stream does not exist.');
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });
  } finally {
    logs.destroy();
    await server.close();
  }
});

test('MQ through @aws-sdk/client-mq (restJson1)', async () => {
  const created = new Date('2025-03-13T08:30:52.123Z');
  const server = await startCodecServer(({ decoded }) => {
    if (decoded.operation === 'CreateTags') return {};
    if (decoded.input.BrokerId === 'b-nope') return modelError('mq', 'NotFoundException', "Can't find requested broker [b-nope]. Make sure your broker exists.");
    return {
      BrokerId: 'b-1234a5b6', BrokerName: 'mybroker', BrokerState: 'RUNNING', Created: created, EngineType: 'ACTIVEMQ',
      PubliclyAccessible: false, Tags: { team: 'a' }, Users: [{ Username: 'admin' }],
      BrokerInstances: [{ ConsoleURL: 'https://b-1.mq', Endpoints: ['ssl://b-1.mq:61617'] }],
    };
  });
  const mq = new MqClient(clientConfig(server.endpoint));
  try {
    const got = await mq.send(new DescribeBrokerCommand({ BrokerId: 'b-1234a5b6' }));
    assert.equal(got.BrokerName, 'mybroker');
    assert.deepEqual(got.Created, created);
    assert.equal(got.PubliclyAccessible, false);
    assert.deepEqual(got.Tags, { team: 'a' });
    assert.deepEqual(got.Users, [{ Username: 'admin' }]);
    assert.deepEqual(got.BrokerInstances, [{ ConsoleURL: 'https://b-1.mq', Endpoints: ['ssl://b-1.mq:61617'] }]);
    assert.match(got.$metadata.requestId!, /^req-/);

    const tagged = await mq.send(new MqCreateTagsCommand({ ResourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:mybroker:b-1', Tags: { k: 'v' } }));
    assert.equal(tagged.$metadata.httpStatusCode, 204);
    assert.deepEqual(server.seen[1].decoded.input, { ResourceArn: 'arn:aws:mq:us-east-1:123456789012:broker:mybroker:b-1', Tags: { k: 'v' } });

    await assert.rejects(mq.send(new DescribeBrokerCommand({ BrokerId: 'b-nope' })), (e: NotFoundException) => {
      assert.ok(e instanceof NotFoundException);
      assert.equal(e.message, "Can't find requested broker [b-nope]. Make sure your broker exists.");
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  } finally {
    mq.destroy();
    await server.close();
  }
});

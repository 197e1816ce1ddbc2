// CloudWatch end to end with @aws-sdk/client-cloudwatch (awsJson 1.0, query-compatible) and with a
// form-encoded awsQuery request as older clients send it: metrics per account and region, ListMetrics
// filters, GetMetricStatistics, CloudWatch's refusals, and `cloudwatch:namespace` in authorization.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand, type ListMetricsCommandInput } from '@aws-sdk/client-cloudwatch';
import { startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedForm, signedPost } from '../helpers/signed.ts';

let server: TestServer;
let cw: CloudWatchClient;
const client = (credentials: Credentials = ROOT, region = 'us-east-1') => server.client(CloudWatchClient, credentials, region);

before(async () => {
  server = await startServer();
  cw = client();
});
after(() => server.close());

const minute = (n: number) => new Date(Date.UTC(2026, 0, 1, 12, n, 0));

describe('metrics', () => {
  test('PutMetricData, then ListMetrics by namespace, name and dimensions', async () => {
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Shop',
      MetricData: [
        { MetricName: 'Orders', Dimensions: [{ Name: 'Region', Value: 'eu' }, { Name: 'Shop', Value: 'a' }], Value: 1, Unit: 'Count' },
        { MetricName: 'Orders', Dimensions: [{ Name: 'Region', Value: 'us' }], Value: 2, Unit: 'Count' },
        { MetricName: 'Latency', Value: 12.5, Unit: 'Milliseconds' },
      ],
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Other', MetricData: [{ MetricName: 'Orders', Value: 1 }] }));
    const names = async (input: ListMetricsCommandInput) =>
      (await cw.send(new ListMetricsCommand(input))).Metrics!.map((m) => `${m.Namespace}/${m.MetricName}/${(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort();
    assert.deepEqual(await names({ Namespace: 'Shop' }), ['Shop/Latency/', 'Shop/Orders/Region=eu,Shop=a', 'Shop/Orders/Region=us']);
    assert.deepEqual(await names({ MetricName: 'Orders' }), ['Other/Orders/', 'Shop/Orders/Region=eu,Shop=a', 'Shop/Orders/Region=us']);
    assert.deepEqual(await names({ Namespace: 'Shop', Dimensions: [{ Name: 'Region', Value: 'us' }] }), ['Shop/Orders/Region=us']);
    assert.deepEqual(await names({ Namespace: 'Shop', Dimensions: [{ Name: 'Shop' }] }), ['Shop/Orders/Region=eu,Shop=a']);
    assert.deepEqual(await names({ Namespace: 'Nothing' }), []);
  });

  test('metrics belong to their account and region', async () => {
    await cw.send(new PutMetricDataCommand({ Namespace: 'Mine', MetricData: [{ MetricName: 'm', Value: 1 }] }));
    assert.deepEqual((await client(ROOT, 'eu-west-1').send(new ListMetricsCommand({ Namespace: 'Mine' }))).Metrics, []);
    const other = client(await newAccount(server, OTHER_ACCOUNT));
    assert.deepEqual((await other.send(new ListMetricsCommand({ Namespace: 'Mine' }))).Metrics, []);
  });

  test('GetMetricStatistics: per-period statistics over values, statistic sets and value arrays', async () => {
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Stats',
      MetricData: [
        { MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '1' }], Timestamp: minute(0), Value: 10 },
        { MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '1' }], Timestamp: minute(0), StatisticValues: { SampleCount: 2, Sum: 50, Minimum: 20, Maximum: 30 } },
        { MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '1' }], Timestamp: minute(1), Values: [1, 3], Counts: [1, 3] },
        { MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '2' }], Timestamp: minute(0), Value: 1000 },
      ],
    }));
    const result = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'Stats', MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '1' }],
      StartTime: minute(0), EndTime: minute(5), Period: 60, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
    }));
    assert.equal(result.Label, 'Load');
    assert.deepEqual(result.Datapoints!.map((d) => [d.Timestamp!.toISOString(), d.SampleCount, d.Sum, d.Average, d.Minimum, d.Maximum]), [
      [minute(0).toISOString(), 3, 60, 20, 10, 30],
      [minute(1).toISOString(), 4, 10, 2.5, 1, 3],
    ]);
    const wide = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'Stats', MetricName: 'Load', Dimensions: [{ Name: 'Node', Value: '1' }], StartTime: minute(0), EndTime: minute(5), Period: 300, Statistics: ['Sum'],
    }));
    assert.deepEqual(wide.Datapoints!.map((d) => [d.Sum, d.Average]), [[70, undefined]]);
    const none = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Stats', MetricName: 'Load', StartTime: minute(0), EndTime: minute(5), Period: 60, Statistics: ['Sum'] }));
    assert.deepEqual(none.Datapoints, [], 'a different dimension set is a different metric');
  });

  test('refusals, with CloudWatch codes and texts', async () => {
    // The SDK raises the modelled class (named after the shape) and keeps the Query code in `Code`.
    const SHAPES: Record<string, string> = {
      InvalidParameterValue: 'InvalidParameterValueException',
      InvalidParameterCombination: 'InvalidParameterCombinationException',
      MissingParameter: 'MissingRequiredParameterException',
    };
    const refused = async (promise: Promise<unknown>, code: string, message: string) => {
      await assert.rejects(promise, (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.message, message);
        assert.equal(e.name, SHAPES[code]);
        assert.equal(e.Code, code);
        assert.equal(e.$metadata?.httpStatusCode, 400);
        return true;
      });
    };
    await refused(cw.send(new PutMetricDataCommand({ Namespace: 'X', MetricData: [{ MetricName: 'm', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })),
      'InvalidParameterCombination', 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.');
    await refused(cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'm', Value: 1 }] })),
      'InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.');
    await refused(cw.send(new PutMetricDataCommand({ Namespace: 'X', MetricData: [{ MetricName: 'm' }] })),
      'MissingParameter', 'The parameter MetricData.member.1.Value is required.');
    await refused(cw.send(new PutMetricDataCommand({ Namespace: 'X', MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }] })),
      'InvalidParameterValue', 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.');
    await refused(cw.send(new GetMetricStatisticsCommand({ Namespace: 'X', MetricName: 'm', StartTime: minute(5), EndTime: minute(0), Period: 60, Statistics: ['Sum'] })),
      'InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
    await refused(cw.send(new GetMetricStatisticsCommand({ Namespace: 'X', MetricName: 'm', StartTime: minute(0), EndTime: new Date(minute(0).getTime() + 1441 * 60_000), Period: 60, Statistics: ['Sum'] })),
      'InvalidParameterCombination', 'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
  });
});

describe('awsQuery, as older clients speak it', () => {
  test('PutMetricData and ListMetrics as form requests, answered in XML', async () => {
    const put = await signedForm(server, 'monitoring', {
      Action: 'PutMetricData', Version: '2010-08-01', Namespace: 'Legacy',
      'MetricData.member.1.MetricName': 'Hits', 'MetricData.member.1.Value': '3', 'MetricData.member.1.Dimensions.member.1.Name': 'Page', 'MetricData.member.1.Dimensions.member.1.Value': 'home',
    }, ROOT);
    assert.equal(put.status, 200, put.body);
    const list = await signedForm(server, 'monitoring', { Action: 'ListMetrics', Version: '2010-08-01', Namespace: 'Legacy' }, ROOT);
    assert.equal(list.status, 200, list.body);
    assert.match(list.body, /<ListMetricsResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ListMetricsResult><Metrics><member><Namespace>Legacy<\/Namespace><MetricName>Hits<\/MetricName><Dimensions><member><Name>Page<\/Name><Value>home<\/Value><\/member><\/Dimensions><\/member><\/Metrics><\/ListMetricsResult>/);
  });
});

describe('authorization', () => {
  let user: Credentials & { arn: string };

  before(async () => {
    user = await userWithPolicy(server, 'metrics-writer', policy(
      allow('cloudwatch:PutMetricData', '*', { Condition: { StringEquals: { 'cloudwatch:namespace': 'App' } } }),
    ));
  });

  test('cloudwatch:namespace limits PutMetricData to the namespace the policy names', async () => {
    const as = client(user);
    await as.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1 }] }));
    await rejects(
      as.send(new PutMetricDataCommand({ Namespace: 'Else', MetricData: [{ MetricName: 'm', Value: 1 }] })),
      'AccessDenied',
      `User: ${user.arn} is not authorized to perform: cloudwatch:PutMetricData because no identity-based policy allows the cloudwatch:PutMetricData action`,
      403,
    );
    await rejects(as.send(new ListMetricsCommand({})), 'AccessDenied', /cloudwatch:ListMetrics because no identity-based policy allows/, 403);
  });

  test('the denial on the wire: JSON with the Query code in x-amzn-query-error, or Query XML', async () => {
    const json = await signedPost(server, 'monitoring', '{}', {
      'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics', 'x-amzn-query-mode': 'true',
    }, user);
    assert.equal(json.status, 403);
    assert.equal(json.headers.get('x-amzn-query-error'), 'AccessDenied;Sender');
    assert.equal((JSON.parse(json.body) as { __type: string }).__type, 'AccessDenied');
    const xml = await signedForm(server, 'monitoring', { Action: 'ListMetrics', Version: '2010-08-01' }, user);
    assert.equal(xml.status, 403);
    assert.match(xml.body, /^<ErrorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code><Message>User: [^<]+ is not authorized to perform: cloudwatch:ListMetrics because/);
  });
});

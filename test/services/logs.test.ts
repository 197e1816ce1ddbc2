// CloudWatch Logs end to end with @aws-sdk/client-cloudwatch-logs: groups, streams and events per
// account and region, Logs' refusals, and authorization on group and stream ARNs as Logs does it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand,
  DescribeLogStreamsCommand, GetLogEventsCommand, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { allow, newAccount, policy, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
const client = (credentials: Credentials = ROOT, region = 'us-east-1') => server.client(CloudWatchLogsClient, credentials, region);

before(async () => {
  server = await startServer();
  logs = client();
});
after(() => server.close());

describe('log groups', () => {
  test('create, describe by prefix, delete', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/amazonmq/broker/b-1', tags: { team: 'mq' } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/amazonmq/broker/b-2' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web' }));
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/amazonmq/' }))).logGroups!;
    assert.deepEqual(groups.map((g) => g.logGroupName), ['/aws/amazonmq/broker/b-1', '/aws/amazonmq/broker/b-2']);
    assert.equal(groups[0].arn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1:*`);
    assert.equal(groups[0].logGroupArn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1`);
    assert.equal(typeof groups[0].creationTime, 'number');
    const paged = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    assert.equal(paged.logGroups!.length, 2);
    const rest = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: paged.nextToken }));
    assert.deepEqual([...paged.logGroups!, ...rest.logGroups!].map((g) => g.logGroupName), ['/app/web', '/aws/amazonmq/broker/b-1', '/aws/amazonmq/broker/b-2']);
    assert.equal(rest.nextToken, undefined);

    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/app/web' }));
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app' }))).logGroups, []);
  });

  test('refusals: an existing group, a missing one, a malformed name', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
    await rejects(logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' })), 'ResourceAlreadyExistsException', 'The specified log group already exists', 400);
    await rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: 'missing' })), 'ResourceNotFoundException', 'The specified log group does not exist.', 400);
    await rejects(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })), 'InvalidParameterException', /^1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/, 400);
  });

  test('groups belong to their account and region', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'mine' }));
    assert.deepEqual((await client(ROOT, 'eu-west-1').send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'mine' }))).logGroups, []);
    const other = client(await newAccount(server, OTHER_ACCOUNT));
    assert.deepEqual((await other.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'mine' }))).logGroups, []);
    await other.send(new CreateLogGroupCommand({ logGroupName: 'mine' }));
  });
});

describe('streams and events', () => {
  test('create streams, put events, read them forward and backward', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'events' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'events', logStreamName: 'node-1' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'events', logStreamName: 'node-2' }));
    const now = Date.now();
    const put = await logs.send(new PutLogEventsCommand({
      logGroupName: 'events', logStreamName: 'node-1',
      logEvents: [1, 2, 3, 4, 5].map((n) => ({ timestamp: now - 5000 + n, message: `line ${n}` })),
    }));
    assert.match(put.nextSequenceToken!, /^\d{56}$/);
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'events' }))).logStreams!;
    assert.deepEqual(streams.map((s) => s.logStreamName), ['node-1', 'node-2']);
    assert.equal(streams[0].arn, `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:events:log-stream:node-1`);
    assert.deepEqual([streams[0].firstEventTimestamp, streams[0].lastEventTimestamp], [now - 4999, now - 4995]);
    const prefixed = (await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:events`, logStreamNamePrefix: 'node-2' }))).logStreams!;
    assert.deepEqual(prefixed.map((s) => s.logStreamName), ['node-2']);

    const head = await logs.send(new GetLogEventsCommand({ logGroupName: 'events', logStreamName: 'node-1', startFromHead: true, limit: 2 }));
    assert.deepEqual(head.events!.map((e) => e.message), ['line 1', 'line 2']);
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: 'events', logStreamName: 'node-1', nextToken: head.nextForwardToken, limit: 2 }));
    assert.deepEqual(next.events!.map((e) => e.message), ['line 3', 'line 4']);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: 'events', logStreamName: 'node-1', limit: 2 }));
    assert.deepEqual(tail.events!.map((e) => e.message), ['line 4', 'line 5']);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: 'events', logStreamName: 'node-1', nextToken: tail.nextBackwardToken, limit: 2 }));
    assert.deepEqual(back.events!.map((e) => e.message), ['line 2', 'line 3']);
    const windowed = await logs.send(new GetLogEventsCommand({ logGroupName: 'events', logStreamName: 'node-1', startTime: now - 4997, endTime: now - 4995 }));
    assert.deepEqual(windowed.events!.map((e) => e.message), ['line 3', 'line 4']);
    assert.ok(windowed.events!.every((e) => typeof e.ingestionTime === 'number'));
  });

  test('too old and too new events are reported, not stored', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'ages' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'ages', logStreamName: 's' }));
    const now = Date.now();
    const day = 24 * 60 * 60 * 1000;
    const result = await logs.send(new PutLogEventsCommand({
      logGroupName: 'ages', logStreamName: 's',
      logEvents: [{ timestamp: now - 15 * day, message: 'old' }, { timestamp: now - 15 * day + 1, message: 'old too' }],
    }));
    assert.deepEqual(result.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.deepEqual((await logs.send(new GetLogEventsCommand({ logGroupName: 'ages', logStreamName: 's' }))).events, []);
  });

  test('refusals: missing group or stream, a stream that exists, events out of order', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'refusals' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'refusals', logStreamName: 's' }));
    await rejects(logs.send(new CreateLogStreamCommand({ logGroupName: 'refusals', logStreamName: 's' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
    await rejects(logs.send(new CreateLogStreamCommand({ logGroupName: 'nowhere', logStreamName: 's' })), 'ResourceNotFoundException', 'The specified log group does not exist.', 400);
    await rejects(logs.send(new PutLogEventsCommand({ logGroupName: 'refusals', logStreamName: 'none', logEvents: [{ timestamp: Date.now(), message: 'm' }] })), 'ResourceNotFoundException', 'The specified log stream does not exist.', 400);
    await rejects(logs.send(new GetLogEventsCommand({ logGroupName: 'refusals', logStreamName: 'none' })), 'ResourceNotFoundException', 'The specified log stream does not exist.', 400);
    const now = Date.now();
    await rejects(
      logs.send(new PutLogEventsCommand({ logGroupName: 'refusals', logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })),
      'InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.', 400,
    );
    await rejects(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'refusals', orderBy: 'LastEventTime', logStreamNamePrefix: 's' })), 'InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.', 400);
    await rejects(logs.send(new GetLogEventsCommand({ logGroupName: 'refusals', logStreamName: 's', nextToken: 'garbage' })), 'InvalidParameterException', 'The specified nextToken is invalid.', 400);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'refusals' }));
    await rejects(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'refusals' })), 'ResourceNotFoundException', 'The specified log group does not exist.', 400);
  });
});

describe('authorization', () => {
  // The Logs part of AmazonMQServiceRolePolicy, as written.
  const mqStyle = policy(allow(['logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:DescribeLogGroups', 'logs:CreateLogStream', 'logs:CreateLogGroup'], ['arn:aws:logs:*:*:log-group:/aws/amazonmq/*']));
  let user: Credentials & { arn: string };
  let as: CloudWatchLogsClient;

  before(async () => {
    user = await userWithPolicy(server, 'mq-logs', mqStyle);
    as = client(user);
  });

  test('the role policy works as written inside its prefix', async () => {
    await as.send(new CreateLogGroupCommand({ logGroupName: '/aws/amazonmq/broker/b-9/general' }));
    await as.send(new CreateLogStreamCommand({ logGroupName: '/aws/amazonmq/broker/b-9/general', logStreamName: 'node' }));
    await as.send(new PutLogEventsCommand({ logGroupName: '/aws/amazonmq/broker/b-9/general', logStreamName: 'node', logEvents: [{ timestamp: Date.now(), message: 'up' }] }));
    const streams = (await as.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/amazonmq/broker/b-9/general' }))).logStreams!;
    assert.deepEqual(streams.map((s) => s.logStreamName), ['node']);
  });

  test('outside it: AccessDeniedException (400) naming the group or stream ARN Logs authorizes on', async () => {
    await rejects(
      as.send(new CreateLogGroupCommand({ logGroupName: '/app/other' })),
      'AccessDeniedException',
      `User: ${user.arn} is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/other:log-stream: because no identity-based policy allows the logs:CreateLogGroup action`,
      400,
    );
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/private' }));
    await rejects(
      as.send(new CreateLogStreamCommand({ logGroupName: '/app/private', logStreamName: 's1' })),
      'AccessDeniedException',
      `User: ${user.arn} is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/private:log-stream:s1 because no identity-based policy allows the logs:CreateLogStream action`,
      400,
    );
    await rejects(as.send(new GetLogEventsCommand({ logGroupName: '/aws/amazonmq/broker/b-9/general', logStreamName: 'node' })), 'AccessDeniedException', /logs:GetLogEvents on resource: .*:log-group:\/aws\/amazonmq\/broker\/b-9\/general:log-stream:node because/, 400);
  });

  test('DescribeLogGroups authorizes on log-group::log-stream:, so a prefix-scoped policy cannot list', async () => {
    await rejects(
      as.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/amazonmq/' })),
      'AccessDeniedException',
      `User: ${user.arn} is not authorized to perform: logs:DescribeLogGroups on resource: arn:aws:logs:us-east-1:${ACCOUNT}:log-group::log-stream: because no identity-based policy allows the logs:DescribeLogGroups action`,
      400,
    );
  });

  test('CreateLogGroup carries its tags as aws:RequestTag and aws:TagKeys', async () => {
    const tagged = await userWithPolicy(server, 'tagged-groups', policy(allow('logs:CreateLogGroup', '*', { Condition: { StringEquals: { 'aws:RequestTag/owner': 'me' } } })));
    const asTagged = client(tagged);
    await asTagged.send(new CreateLogGroupCommand({ logGroupName: 'owned', tags: { owner: 'me' } }));
    await rejects(asTagged.send(new CreateLogGroupCommand({ logGroupName: 'unowned' })), 'AccessDeniedException', undefined, 400);
  });
});

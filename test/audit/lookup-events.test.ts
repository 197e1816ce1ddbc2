// The event log end to end: calls made through the real SDK clients (and by MemoryDB through its
// role) read back with the real @aws-sdk/client-cloudtrail — who made each call, denials with their
// error, no secret anywhere in what is stored, lookups by attribute, time range and page, and every
// account seeing only its own events.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient, LookupEventsCommand, type Event, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, ListUsersCommand, TagUserCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateClusterCommand, DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { AUDIT_BLOCK_KIND, type CloudTrailRecord } from '../../src/audit/index.ts';
import { ROOT, startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, newAccount, policy, trust, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';

// Events reach the store within about a second, so the lookups below wait for them with eventually().

const recordOf = (e: Event): CloudTrailRecord => JSON.parse(e.CloudTrailEvent!) as CloudTrailRecord;

describe('the event log, read through CloudTrail LookupEvents', () => {
  let server: TestServer;
  let cloudtrail: (credentials?: Credentials) => CloudTrailClient;
  let alice: Credentials & { arn: string };

  /** Every page of a lookup, followed to its end. */
  async function lookupAll(input: LookupEventsCommandInput, credentials?: Credentials): Promise<Event[]> {
    const events: Event[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudtrail(credentials).send(new LookupEventsCommand({ ...input, NextToken }));
      events.push(...(page.Events ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return events;
  }

  const byName = (name: string, credentials?: Credentials) =>
    lookupAll({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }, credentials);

  /** Waits until an event of that name whose record `accept`s is recorded, and returns it. */
  const recordedWhere = async (name: string, accept: (record: CloudTrailRecord) => boolean): Promise<Event> => {
    const events = await eventually(`a matching ${name} event`, () => byName(name), (found) => found.some((e) => accept(recordOf(e))));
    return events.find((e) => accept(recordOf(e)))!;
  };

  /** Waits until `count` events of that name are recorded. */
  const recorded = (name: string, count = 1, credentials?: Credentials) =>
    eventually(`${count} ${name} event(s)`, () => byName(name, credentials), (events) => events.length >= count);

  before(async () => {
    server = await startServer(['--audit-read-events']);
    cloudtrail = (credentials = ROOT) => server.client(CloudTrailClient, credentials);
    alice = await userWithPolicy(server, 'alice', policy(allow(['iam:ListUsers', 'iam:GetRole', 'cloudtrail:LookupEvents'])));
  });
  after(() => server.close());

  test('calls by the root user and by an IAM user carry their identity', async () => {
    await server.iam().send(new CreateUserCommand({ UserName: 'bob', Path: '/team/' }));
    await server.iam(alice).send(new ListUsersCommand({ PathPrefix: '/team/' }));

    const create = await recordedWhere('CreateUser', (r) => r.requestParameters?.userName === 'bob');
    const createRecord = recordOf(create);
    assert.equal(create.EventSource, 'iam.amazonaws.com');
    assert.deepEqual(createRecord.userIdentity, {
      type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: ROOT.accessKeyId,
    });
    assert.deepEqual(createRecord.requestParameters, { path: '/team/', userName: 'bob' });
    assert.equal((createRecord.responseElements?.user as { arn: string }).arn, `arn:aws:iam::${ACCOUNT}:user/team/bob`);
    assert.equal(createRecord.readOnly, false);
    assert.equal(createRecord.eventType, 'AwsApiCall');
    assert.equal(createRecord.managementEvent, true);
    assert.equal(createRecord.recipientAccountId, ACCOUNT);
    assert.equal(createRecord.awsRegion, 'us-east-1');
    assert.match(createRecord.userAgent ?? '', /aws-sdk-js/);
    assert.deepEqual(createRecord.resources, [{ accountId: ACCOUNT, type: 'AWS::IAM::User', ARN: `arn:aws:iam::${ACCOUNT}:user/team/bob` }]);
    assert.match(createRecord.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(create.EventId, createRecord.eventID);
    assert.equal(create.Username, 'root');
    assert.equal(create.ReadOnly, 'false');
    assert.deepEqual(create.Resources, [{ ResourceType: 'AWS::IAM::User', ResourceName: 'bob' }]);

    const [list] = await recorded('ListUsers');
    const listRecord = recordOf(list);
    assert.deepEqual(listRecord.userIdentity, {
      type: 'IAMUser',
      principalId: listRecord.userIdentity.principalId,
      arn: alice.arn,
      accountId: ACCOUNT,
      accessKeyId: alice.accessKeyId,
      userName: 'alice',
    });
    assert.match(listRecord.userIdentity.principalId, /^AIDA[A-Z0-9]{17}$/);
    assert.equal(list.Username, 'alice');
    assert.equal(list.AccessKeyId, alice.accessKeyId);
    assert.equal(list.ReadOnly, 'true');
    assert.equal(listRecord.responseElements, null);
    assert.deepEqual(listRecord.requestParameters, { pathPrefix: '/team/' });
  });

  test('a denied call is recorded with AccessDenied and its message; a failed one with its error', async () => {
    await rejects(server.iam(alice).send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'k', Value: 'v' }] })), 'AccessDenied');
    const [denied] = await recorded('TagUser');
    const record = recordOf(denied);
    assert.equal(record.errorCode, 'AccessDenied');
    assert.equal(
      record.errorMessage,
      `User: ${alice.arn} is not authorized to perform: iam:TagUser on resource: ${alice.arn} because no identity-based policy allows the iam:TagUser action`,
    );
    assert.equal(record.responseElements, null);
    assert.equal(record.userIdentity.userName, 'alice');

    await rejects(server.iam(alice).send(new GetRoleCommand({ RoleName: 'no-such-role' })), 'NoSuchEntityException');
    const [missing] = await recorded('GetRole');
    assert.equal(recordOf(missing).errorCode, 'NoSuchEntity');
    assert.equal(recordOf(missing).errorMessage, 'The role with name no-such-role cannot be found.');
  });

  test('neither an access key secret nor session credentials are ever stored', async () => {
    const key = (await server.iam().send(new CreateAccessKeyCommand({ UserName: 'bob' }))).AccessKey!;
    const assumer = await userWithPolicy(server, 'assumer', policy(allow('sts:AssumeRole')));
    await server.iam().send(new CreateRoleCommand({
      RoleName: 'audited',
      AssumeRolePolicyDocument: trust(ACCOUNT),
    }));
    const { Credentials: session } = await server.sts(assumer).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/audited`, RoleSessionName: 'audit-check',
    }));
    // The session's own calls are recorded as the assumed role.
    const sessionCredentials = { accessKeyId: session!.AccessKeyId!, secretAccessKey: session!.SecretAccessKey!, sessionToken: session!.SessionToken! };
    await rejects(server.iam(sessionCredentials).send(new ListUsersCommand({})), 'AccessDenied');

    const [assumed] = await recorded('AssumeRole');
    const assumedRecord = recordOf(assumed);
    assert.equal(assumed.EventSource, 'sts.amazonaws.com');
    assert.equal((assumedRecord.responseElements?.credentials as { accessKeyId: string }).accessKeyId, session!.AccessKeyId);
    assert.equal(assumedRecord.requestParameters?.roleSessionName, 'audit-check');
    const [created] = await recorded('CreateAccessKey');
    assert.deepEqual(Object.keys(recordOf(created).responseElements?.accessKey as object).sort(), ['accessKeyId', 'createDate', 'status', 'userName']);

    const [sessionCall] = await eventually(
      'the session\'s call',
      () => lookupAll({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: session!.AccessKeyId! }] }),
      (events) => events.length > 0,
    );
    const identity = recordOf(sessionCall).userIdentity;
    assert.equal(identity.type, 'AssumedRole');
    assert.equal(identity.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/audited/audit-check`);
    assert.equal(identity.sessionContext?.sessionIssuer.arn, `arn:aws:iam::${ACCOUNT}:role/audited`);
    assert.equal(identity.sessionContext?.sessionIssuer.userName, 'audited');
    assert.equal(identity.invokedBy, undefined);
    assert.equal(sessionCall.Username, 'audit-check');

    // Everything stored for the account, as raw text: no secret, no session token.
    const stored = await server.iamd.events.read((tx) => tx.list(ACCOUNT, AUDIT_BLOCK_KIND));
    assert.ok(stored.length > 0);
    const text = JSON.stringify(stored);
    for (const secret of [key.SecretAccessKey!, session!.SecretAccessKey!, session!.SessionToken!, assumer.secretAccessKey, alice.secretAccessKey]) {
      assert.equal(text.includes(secret), false, 'a secret reached the event log');
    }
  });

  test('MemoryDB\'s calls through its role are recorded as its role session, invoked by memorydb.amazonaws.com', async () => {
    const memorydb = server.client(MemoryDBClient, ROOT);
    await memorydb.send(new CreateClusterCommand({ ClusterName: 'audited', NodeType: 'db.t4g.small', ACLName: 'open-access', NumReplicasPerShard: 0 }));
    await eventually(
      'cluster audited available',
      () => memorydb.send(new DescribeClustersCommand({ ClusterName: 'audited' })),
      (out) => out.Clusters?.[0]?.Status === 'available',
    );
    const role = (await server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }))).Role!;

    for (const [source, name] of [['ec2.amazonaws.com', 'CreateNetworkInterface'], ['monitoring.amazonaws.com', 'PutMetricData']]) {
      const [event] = await recorded(name);
      const record = recordOf(event);
      assert.equal(record.eventSource, source);
      assert.equal(record.sourceIPAddress, 'memorydb.amazonaws.com');
      assert.equal(record.userAgent, 'memorydb.amazonaws.com');
      assert.equal(record.errorCode, undefined, `${name} was refused: ${record.errorMessage}`);
      const identity = record.userIdentity;
      assert.equal(identity.type, 'AssumedRole');
      assert.equal(identity.invokedBy, 'memorydb.amazonaws.com');
      assert.match(identity.arn ?? '', new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForMemoryDB/memorydb-[0-9a-f]{8}$`));
      assert.equal(identity.principalId, `${role.RoleId}:${(identity.arn ?? '').split('/').pop()}`);
      assert.match(identity.accessKeyId ?? '', /^ASIA/);
      assert.deepEqual(identity.sessionContext?.sessionIssuer, {
        type: 'Role', principalId: role.RoleId, arn: role.Arn, accountId: ACCOUNT, userName: 'AWSServiceRoleForMemoryDB',
      });
      assert.match(identity.sessionContext?.attributes.creationDate ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // The cluster's creation itself is the caller's, and MemoryDB's role creation ran with its authority.
    const [create] = await eventually(
      'CreateCluster',
      () => lookupAll({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'memorydb.amazonaws.com' }] }),
      (events) => events.some((e) => e.EventName === 'CreateCluster'),
    ).then((events) => events.filter((e) => e.EventName === 'CreateCluster'));
    assert.equal(create.Username, 'root');
    assert.ok(create.Resources?.some((r) => r.ResourceType === 'AWS::MemoryDB::Cluster' && r.ResourceName === 'audited'), JSON.stringify(create.Resources));
    const [slr] = await recorded('CreateServiceLinkedRole');
    assert.equal(recordOf(slr).requestParameters?.aWSServiceName, 'memorydb.amazonaws.com');

    const byResource = await lookupAll({ LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::EC2::NetworkInterface' }] });
    assert.ok(byResource.length > 0 && byResource.every((e) => e.Resources?.some((r) => r.ResourceType === 'AWS::EC2::NetworkInterface')));
    const byUsername = await lookupAll({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: recordOf(slr).userIdentity.userName ?? 'root' }] });
    assert.ok(byUsername.some((e) => e.EventName === 'CreateServiceLinkedRole'));
  });

  test('lookups: one attribute, newest first, a time range, pages that follow on', async () => {
    for (let i = 0; i < 7; i++) await server.iam().send(new CreateUserCommand({ UserName: `pager-${i}` }));
    const all = await eventually(
      'seven CreateUser events',
      () => byName('CreateUser'),
      (events) => events.filter((e) => String(recordOf(e).requestParameters?.userName).startsWith('pager-')).length === 7,
    );
    const times = all.map((e) => e.EventTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    assert.ok(all.every((e) => e.EventName === 'CreateUser'));

    // Pages of 3 hold the same events in the same order, and a token works only with its own request.
    const pages: Event[][] = [];
    let NextToken: string | undefined;
    const request = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreateUser' }], MaxResults: 3 };
    do {
      const page = await cloudtrail().send(new LookupEventsCommand({ ...request, NextToken }));
      assert.ok((page.Events ?? []).length <= 3);
      pages.push(page.Events ?? []);
      NextToken = page.NextToken;
      if (NextToken && pages.length === 1) {
        await rejects(
          cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ListUsers' }], NextToken })),
          'InvalidNextTokenException',
        );
      }
    } while (NextToken);
    assert.ok(pages.length >= 3);
    assert.deepEqual(pages.flat().map((e) => e.EventId), all.map((e) => e.EventId));

    // EventSource narrows to one service; ReadOnly to reads.
    const sts = await lookupAll({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sts.amazonaws.com' }] });
    assert.ok(sts.length > 0 && sts.every((e) => e.EventSource === 'sts.amazonaws.com'));
    const reads = await lookupAll({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] });
    assert.ok(reads.length > 0 && reads.every((e) => e.ReadOnly === 'true'));
    const one = await lookupAll({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: all[3].EventId! }] });
    assert.deepEqual(one.map((e) => e.EventId), [all[3].EventId]);

    // A time range (inclusive at both ends, to the second) keeps exactly the events inside it.
    const newest = all[0].EventTime!;
    const oldest = all[all.length - 1].EventTime!;
    const inRange = await lookupAll({ ...request, MaxResults: undefined, StartTime: oldest, EndTime: newest });
    assert.deepEqual(inRange.map((e) => e.EventId), all.filter((e) => e.EventTime! >= oldest && e.EventTime! <= newest).map((e) => e.EventId));
    const future = await lookupAll({ StartTime: new Date(Date.now() + 3600_000) });
    assert.deepEqual(future, []);
    const past = await lookupAll({ EndTime: new Date(Date.now() - 3600_000) });
    assert.deepEqual(past, []);
  });

  test('lookup errors as the CloudTrail model names them, and cloudtrail:LookupEvents is enforced', async () => {
    const ct = cloudtrail();
    await rejects(
      ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'Username', AttributeValue: 'b' }] })),
      'InvalidLookupAttributesException', undefined, 400,
    );
    await rejects(ct.send(new LookupEventsCommand({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) })), 'InvalidTimeRangeException', undefined, 400);
    await rejects(ct.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException', /less than or equal to 50/, 400);
    await rejects(ct.send(new LookupEventsCommand({ MaxResults: 0 })), 'InvalidMaxResultsException', /greater than or equal to 1/, 400);
    await rejects(ct.send(new LookupEventsCommand({ NextToken: 'not-a-token' })), 'InvalidNextTokenException', undefined, 400);
    await rejects(
      ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] })),
      'InvalidLookupAttributesException', undefined, 400,
    );
    assert.deepEqual((await ct.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events, []);

    const nobody = await userWithPolicy(server, 'nobody', policy(allow('iam:GetUser')));
    await rejects(
      cloudtrail(nobody).send(new LookupEventsCommand({})),
      'AccessDeniedException',
      `User: ${nobody.arn} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      400,
    );
    // The refusal is itself an event.
    const [refused] = await eventually(
      'the refused lookup',
      () => lookupAll({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'nobody' }] }),
      (events) => events.some((e) => e.EventName === 'LookupEvents'),
    );
    assert.equal(recordOf(refused).errorCode, 'AccessDeniedException');
    assert.equal(refused.EventSource, 'cloudtrail.amazonaws.com');
  });

  test('an account sees only its own events', async () => {
    const other = await newAccount(server, OTHER_ACCOUNT);
    await server.iam(other).send(new CreateUserCommand({ UserName: 'elsewhere' }));
    const theirs = await eventually(
      'the other account\'s CreateUser',
      () => lookupAll({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }, other),
      (events) => events.length > 0,
    );
    assert.deepEqual(theirs.map((e) => recordOf(e).requestParameters?.userName), ['elsewhere']);
    assert.ok(theirs.every((e) => recordOf(e).recipientAccountId === OTHER_ACCOUNT));
    const all = await lookupAll({}, other);
    assert.ok(all.every((e) => recordOf(e).recipientAccountId === OTHER_ACCOUNT && recordOf(e).userIdentity.accountId === OTHER_ACCOUNT));

    const ours = await byName('CreateUser');
    assert.ok(ours.length > 0 && ours.every((e) => recordOf(e).recipientAccountId === ACCOUNT));
    assert.equal(ours.some((e) => recordOf(e).requestParameters?.userName === 'elsewhere'), false);
  });
});

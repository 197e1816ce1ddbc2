// Round trips through the real SDK clients of the Query services (IAM, STS, ElastiCache): the SDK
// serializes, our codec decodes; our codec encodes canned outputs and errors, the SDK parses them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, GetRoleCommand, ListRolesCommand, UpdateRoleCommand, DeleteRoleCommand, GetAccountSummaryCommand,
  TagRoleCommand, NoSuchEntityException, GetRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  ElastiCacheClient, DescribeCacheClustersCommand, AddTagsToResourceCommand, CacheClusterNotFoundFault,
} from '@aws-sdk/client-elasticache';
import { ApiError } from '../../src/common/errors.ts';
import { modelError } from '../../src/protocol/index.ts';
import { clientConfig, startCodecServer } from './helpers.ts';

const TRUST = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringLike": {"aws:x": "a+b %3A *&<>"}}}]\n}';
const CREATED = new Date('2012-05-08T23:34:01Z');

test('IAM through @aws-sdk/client-iam', async () => {
  const server = await startCodecServer(({ decoded }) => {
    switch (decoded.operation) {
      case 'GetRole':
        if (decoded.input.RoleName === 'nope') return modelError('iam', 'NoSuchEntityException', 'The role with name nope cannot be found.');
        return {
          Role: {
            Path: '/application_abc/', RoleName: 'S3Access', RoleId: 'AROADBQP57FF2AEXAMPLE',
            Arn: 'arn:aws:iam::123456789012:role/application_abc/S3Access', CreateDate: CREATED,
            AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 3600, RoleLastUsed: {},
            Tags: [{ Key: 'team', Value: 'a & b' }, { Key: 'empty', Value: '' }],
          },
        };
      case 'GetRolePolicy':
        return { RoleName: 'r', PolicyName: 'p', PolicyDocument: TRUST };
      case 'ListRoles':
        return { Roles: [], IsTruncated: false };
      case 'UpdateRole':
      case 'DeleteRole':
        return {};
      case 'GetAccountSummary':
        return { SummaryMap: { Roles: 3, RolesQuota: 1000 } };
      default:
        return {};
    }
  });
  const iam = new IAMClient(clientConfig(server.endpoint));
  try {
    const got = await iam.send(new GetRoleCommand({ RoleName: 'S3Access' }));
    const role = got.Role!;
    assert.equal(role.RoleName, 'S3Access');
    assert.equal(role.Arn, 'arn:aws:iam::123456789012:role/application_abc/S3Access');
    assert.deepEqual(role.CreateDate, CREATED);
    assert.equal(role.MaxSessionDuration, 3600);
    assert.deepEqual(role.RoleLastUsed, {});
    assert.deepEqual(role.Tags, [{ Key: 'team', Value: 'a & b' }, { Key: 'empty', Value: '' }]);
    // The JS SDK hands over the percent-encoded document as IAM sends it; decoding gives the original text.
    assert.notEqual(role.AssumeRolePolicyDocument, TRUST);
    assert.doesNotMatch(role.AssumeRolePolicyDocument!, /[+ ]/);
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), TRUST);
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.match(got.$metadata.requestId!, /^req-\d+-/);

    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'r', PolicyName: 'p' }));
    assert.equal(decodeURIComponent(inline.PolicyDocument!), TRUST);

    const list = await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/', MaxItems: 10 }));
    assert.deepEqual(list.Roles, []);
    assert.equal(list.IsTruncated, false);

    await iam.send(new UpdateRoleCommand({ RoleName: 'r', Description: '' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'r' }));
    await iam.send(new TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'k', Value: 'v' }] }));

    const summary = await iam.send(new GetAccountSummaryCommand({}));
    assert.deepEqual(summary.SummaryMap, { Roles: 3, RolesQuota: 1000 });

    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'nope' })), (e: NoSuchEntityException) => {
      assert.ok(e instanceof NoSuchEntityException);
      assert.equal(e.name, 'NoSuchEntityException');
      assert.equal(e.message, 'The role with name nope cannot be found.');
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.equal(e.$fault, 'client');
      assert.match(e.$metadata.requestId!, /^req-/);
      return true;
    });
    // A request our own validation refuses comes back as the SDK's ValidationError.
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'bad name' })), (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, 'ValidationError');
      assert.match(e.message, /^1 validation error detected: Value at 'roleName'/);
      assert.equal(e.$metadata.httpStatusCode, 400);
      return true;
    });

    const ops = server.seen.map((s) => s.decoded);
    assert.deepEqual(ops.find((d) => d.operation === 'UpdateRole')!.input, { RoleName: 'r', Description: '' });
    assert.deepEqual(ops.find((d) => d.operation === 'TagRole')!.input, { RoleName: 'r', Tags: [{ Key: 'k', Value: 'v' }] });
  } finally {
    iam.destroy();
    await server.close();
  }
});

test('STS through @aws-sdk/client-sts', async () => {
  const expiration = new Date('2026-11-09T13:34:41Z');
  const server = await startCodecServer(({ decoded }) => {
    if (decoded.operation === 'GetCallerIdentity') {
      return { Arn: 'arn:aws:iam::123456789012:user/Alice', UserId: 'AIDACKCEVSQ6C2EXAMPLE', Account: '123456789012' };
    }
    if (decoded.input.RoleSessionName === 'denied') return new ApiError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403);
    return {
      AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/demo/s1', AssumedRoleId: 'ARO123EXAMPLE123:s1' },
      Credentials: { AccessKeyId: 'ASIAIOSFODNN7EXAMPLE', SecretAccessKey: 'secret/+=', SessionToken: 'tok/+=', Expiration: expiration },
      PackedPolicySize: 6,
      SourceIdentity: 'Alice',
    };
  });
  const sts = new STSClient(clientConfig(server.endpoint));
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual([me.Arn, me.UserId, me.Account], ['arn:aws:iam::123456789012:user/Alice', 'AIDACKCEVSQ6C2EXAMPLE', '123456789012']);
    const assumed = await sts.send(new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 's1', DurationSeconds: 900,
      Tags: [{ Key: 'k', Value: 'v' }], TransitiveTagKeys: ['k'], PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    }));
    assert.deepEqual(assumed.Credentials, { AccessKeyId: 'ASIAIOSFODNN7EXAMPLE', SecretAccessKey: 'secret/+=', SessionToken: 'tok/+=', Expiration: expiration });
    assert.equal(assumed.AssumedRoleUser!.AssumedRoleId, 'ARO123EXAMPLE123:s1');
    assert.equal(assumed.PackedPolicySize, 6);
    assert.deepEqual(server.seen[1].decoded.input, {
      RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 's1', DurationSeconds: 900,
      Tags: [{ Key: 'k', Value: 'v' }], TransitiveTagKeys: ['k'], PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/demo', RoleSessionName: 'denied' })), (e: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(e.name, 'AccessDenied');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
  } finally {
    sts.destroy();
    await server.close();
  }
});

test('ElastiCache through @aws-sdk/client-elasticache: named list members both ways', async () => {
  const created = new Date('2025-03-13T08:30:52Z');
  const server = await startCodecServer(({ decoded }) => {
    if (decoded.operation === 'AddTagsToResource') return { TagList: decoded.input.Tags };
    if (decoded.input.CacheClusterId === 'c9') return modelError('elasticache', 'CacheClusterNotFoundFault', 'CacheCluster not found: c9');
    return {
      CacheClusters: [{
        CacheClusterId: 'c1', CacheNodeType: 'cache.t3.micro', Engine: 'redis', CacheClusterStatus: 'available',
        NumCacheNodes: 1, CacheClusterCreateTime: created, AuthTokenEnabled: false,
        CacheNodes: [{ CacheNodeId: '0001', CacheNodeStatus: 'available', Endpoint: { Address: 'c1.cache', Port: 6379 } }],
        SecurityGroups: [{ SecurityGroupId: 'sg-1', Status: 'active' }],
      }],
    };
  });
  const ec = new ElastiCacheClient(clientConfig(server.endpoint));
  try {
    const got = await ec.send(new DescribeCacheClustersCommand({ CacheClusterId: 'c1', ShowCacheNodeInfo: true }));
    assert.equal(got.CacheClusters!.length, 1);
    const c = got.CacheClusters![0];
    assert.equal(c.CacheClusterId, 'c1');
    assert.deepEqual(c.CacheClusterCreateTime, created);
    assert.equal(c.AuthTokenEnabled, false);
    assert.deepEqual(c.CacheNodes, [{ CacheNodeId: '0001', CacheNodeStatus: 'available', Endpoint: { Address: 'c1.cache', Port: 6379 } }]);
    assert.deepEqual(c.SecurityGroups, [{ SecurityGroupId: 'sg-1', Status: 'active' }]);

    const tagged = await ec.send(new AddTagsToResourceCommand({ ResourceName: 'arn:aws:elasticache:us-east-1:123456789012:cluster:c1', Tags: [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: '' }] }));
    assert.deepEqual(tagged.TagList, [{ Key: 'k', Value: 'v' }, { Key: 'k2', Value: '' }]);

    await assert.rejects(ec.send(new DescribeCacheClustersCommand({ CacheClusterId: 'c9' })), (e: CacheClusterNotFoundFault) => {
      assert.ok(e instanceof CacheClusterNotFoundFault);
      assert.equal(e.message, 'CacheCluster not found: c9');
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });
  } finally {
    ec.destroy();
    await server.close();
  }
});

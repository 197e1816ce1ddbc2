// The "must hold" list for the service-linked-role policies iamd ships, and the IAM-side statements
// that govern creating and deleting those roles. Every case checks evaluate() and explain() agree.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, explain } from '../../src/policy/index.ts';
import type { ContextValues, Decision, PolicySet } from '../../src/policy/types.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { compiled, doc, request, roleSession, user } from './helpers.ts';

const MEMORYDB = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateNetworkInterface"},"ForAllValues:StringEquals":{"aws:TagKeys":["AmazonMemoryDBManaged"]}}},{"Effect":"Allow","Action":["ec2:CreateNetworkInterface"],"Resource":["arn:aws:ec2:*:*:network-interface/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:ResourceTag/AmazonMemoryDBManaged":"true"}}},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:security-group/*"},{"Effect":"Allow","Action":["ec2:DescribeSecurityGroups","ec2:DescribeNetworkInterfaces","ec2:DescribeAvailabilityZones","ec2:DescribeSubnets","ec2:DescribeVpcs"],"Resource":"*"},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"AWS/MemoryDB"}}}]};
const MQ = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeVpcEndpoints"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc-endpoint/*"],"Condition":{"StringEquals":{"aws:RequestTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateVpcEndpoint"}}},{"Effect":"Allow","Action":["ec2:DeleteVpcEndpoints"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:ResourceTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["logs:PutLogEvents","logs:DescribeLogStreams","logs:DescribeLogGroups","logs:CreateLogStream","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/amazonmq/*"]}]};
const ELASTICACHE = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:CreateNetworkInterface","ec2:CreateSecurityGroup","ec2:DeleteNetworkInterface","ec2:DeleteSecurityGroup","ec2:DescribeAvailabilityZones","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","ec2:RevokeSecurityGroupIngress","cloudwatch:PutMetricData","outposts:GetOutpost","outposts:GetOutpostInstanceTypes","outposts:ListOutposts","outposts:ListSites","logs:DeleteLogDelivery","application-autoscaling:DeregisterScalableTarget","application-autoscaling:DescribeScalableTargets"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:AssignIpv6Addresses","ec2:UnassignIpv6Addresses"],"Resource":"arn:aws:ec2:*:*:network-interface/eni-*"}]};

const ENI = `arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/eni-1`;
const SG = `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-1`;

/** Decide with evaluate() and check explain() reaches the same decision. */
function decision(set: PolicySet, action: string, resource: string, context: ContextValues = {}, principal = roleSession('AWSServiceRoleForX', 'svc')): Decision {
  const req = request(principal, action, resource, context);
  const result = evaluate(set, req);
  const explained = explain(set, req);
  assert.equal(explained.decision, result.decision, `explain() disagrees with evaluate() for ${action}`);
  assert.equal(explained.deniedBy, result.deniedBy);
  return result.decision;
}

describe('MemoryDBServiceRolePolicy', () => {
  const set: PolicySet = { identity: [compiled(MEMORYDB, 'identity', 'MemoryDBServiceRolePolicy')] };
  const createTags = (context: ContextValues) => decision(set, 'ec2:CreateTags', ENI, context);

  it('allows ec2:CreateTags on a network interface only while creating it, with only the managed tag key', () => {
    assert.equal(createTags({ 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged'] }), 'Allow');
    assert.equal(createTags({ 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged', 'Other'] }), 'ImplicitDeny');
    assert.equal(createTags({ 'ec2:CreateAction': 'CreateSecurityGroup', 'aws:TagKeys': ['AmazonMemoryDBManaged'] }), 'ImplicitDeny');
    assert.equal(createTags({ 'aws:TagKeys': ['AmazonMemoryDBManaged'] }), 'ImplicitDeny');
  });

  it('allows ec2:DeleteNetworkInterface on a network interface only when it carries AmazonMemoryDBManaged=true', () => {
    assert.equal(decision(set, 'ec2:DeleteNetworkInterface', ENI, { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'true' }), 'Allow');
    assert.equal(decision(set, 'ec2:DeleteNetworkInterface', ENI, { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'false' }), 'ImplicitDeny');
    assert.equal(decision(set, 'ec2:DeleteNetworkInterface', ENI), 'ImplicitDeny');
  });

  it('allows ec2:DeleteNetworkInterface on any security group, tagged or not', () => {
    assert.equal(decision(set, 'ec2:DeleteNetworkInterface', SG), 'Allow');
    assert.equal(decision(set, 'ec2:ModifyNetworkInterfaceAttribute', SG), 'Allow');
  });

  it('allows cloudwatch:PutMetricData only in the AWS/MemoryDB namespace', () => {
    assert.equal(decision(set, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/MemoryDB' }), 'Allow');
    assert.equal(decision(set, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/ElastiCache' }), 'ImplicitDeny');
    assert.equal(decision(set, 'cloudwatch:PutMetricData', '*'), 'ImplicitDeny');
  });

  it('implicitly denies anything it does not name, e.g. s3:GetObject', () => {
    assert.equal(decision(set, 's3:GetObject', 'arn:aws:s3:::bucket/key'), 'ImplicitDeny');
  });
});

describe('AmazonMQServiceRolePolicy', () => {
  const set: PolicySet = { identity: [compiled(MQ, 'identity', 'AmazonMQServiceRolePolicy')] };
  const endpoint = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc-endpoint/vpce-1`;

  it('allows ec2:CreateVpcEndpoint on a VPC endpoint only when tagged AMQManaged=true in the request', () => {
    assert.equal(decision(set, 'ec2:CreateVpcEndpoint', endpoint, { 'aws:RequestTag/AMQManaged': 'true' }), 'Allow');
    assert.equal(decision(set, 'ec2:CreateVpcEndpoint', endpoint, { 'aws:RequestTag/AMQManaged': 'false' }), 'ImplicitDeny');
    assert.equal(decision(set, 'ec2:CreateVpcEndpoint', endpoint), 'ImplicitDeny');
    assert.equal(decision(set, 'ec2:CreateVpcEndpoint', `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`), 'Allow');
  });

  it('allows logs:PutLogEvents under /aws/amazonmq/ only', () => {
    assert.equal(decision(set, 'logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1`), 'Allow');
    assert.equal(decision(set, 'logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/other`), 'ImplicitDeny');
  });
});

describe('ElastiCacheServiceRolePolicy', () => {
  const set: PolicySet = { identity: [compiled(ELASTICACHE, 'identity', 'ElastiCacheServiceRolePolicy')] };
  const actions = ELASTICACHE.Statement[0].Action as string[];

  it('allows each of its 20 actions on any resource', () => {
    assert.equal(actions.length, 20);
    for (const action of actions) {
      assert.equal(decision(set, action, '*'), 'Allow', action);
      assert.equal(decision(set, action, `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`), 'Allow', action);
    }
  });

  it('allows ec2:AssignIpv6Addresses on network interfaces only', () => {
    assert.equal(decision(set, 'ec2:AssignIpv6Addresses', `arn:aws:ec2:us-east-1:${ACCOUNT}:network-interface/eni-0abc`), 'Allow');
    assert.equal(decision(set, 'ec2:AssignIpv6Addresses', `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-1`), 'ImplicitDeny');
  });
});

describe('IAM-side statements for service-linked roles', () => {
  const elasticacheRole = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticache.amazonaws.com/AWSServiceRoleForElastiCache`;
  const memorydbRole = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/memorydb.amazonaws.com/AWSServiceRoleForMemoryDB`;
  const caller = user('admin');
  const check = (set: PolicySet, action: string, resource: string, context: ContextValues = {}) =>
    decision(set, action, resource, context, caller);

  it('a statement limited to ElastiCache allows creating its role, and nothing for MemoryDB', () => {
    const set: PolicySet = { identity: [compiled(doc({"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:PutRolePolicy"],"Resource":"arn:aws:iam::*:role/aws-service-role/elasticache.amazonaws.com/AWSServiceRoleForElastiCache*","Condition":{"StringLike":{"iam:AWSServiceName":"elasticache.amazonaws.com"}}}))] };
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', elasticacheRole, { 'iam:AWSServiceName': 'elasticache.amazonaws.com' }), 'Allow');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', elasticacheRole, { 'iam:AWSServiceName': 'memorydb.amazonaws.com' }), 'ImplicitDeny');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', memorydbRole, { 'iam:AWSServiceName': 'elasticache.amazonaws.com' }), 'ImplicitDeny');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', elasticacheRole), 'ImplicitDeny');
  });

  it('a statement on aws-service-role/* allows any service role and nothing outside that path', () => {
    const set: PolicySet = { identity: [compiled(doc({"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"arn:aws:iam::*:role/aws-service-role/*"}))] };
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', elasticacheRole), 'Allow');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', memorydbRole), 'Allow');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/app/Worker`), 'ImplicitDeny');
    assert.equal(check(set, 'iam:CreateServiceLinkedRole', `arn:aws:iam::${ACCOUNT}:role/aws-service-rolex/y`), 'ImplicitDeny');
    assert.equal(check(set, 'iam:CreateRole', elasticacheRole), 'ImplicitDeny');
  });

  it('the delete statements behave the same way', () => {
    const limited: PolicySet = { identity: [compiled(doc({"Effect":"Allow","Action":["iam:DeleteServiceLinkedRole","iam:GetServiceLinkedRoleDeletionStatus"],"Resource":"arn:aws:iam::*:role/aws-service-role/elasticache.amazonaws.com/AWSServiceRoleForElastiCache*","Condition":{"StringLike":{"iam:AWSServiceName":"elasticache.amazonaws.com"}}}))] };
    const any: PolicySet = { identity: [compiled(doc({"Effect":"Allow","Action":["iam:DeleteServiceLinkedRole","iam:GetServiceLinkedRoleDeletionStatus"],"Resource":"arn:aws:iam::*:role/aws-service-role/*"}))] };
    for (const action of ['iam:DeleteServiceLinkedRole', 'iam:GetServiceLinkedRoleDeletionStatus']) {
      assert.equal(check(limited, action, elasticacheRole, { 'iam:AWSServiceName': 'elasticache.amazonaws.com' }), 'Allow');
      assert.equal(check(limited, action, elasticacheRole, { 'iam:AWSServiceName': 'memorydb.amazonaws.com' }), 'ImplicitDeny');
      assert.equal(check(limited, action, memorydbRole, { 'iam:AWSServiceName': 'elasticache.amazonaws.com' }), 'ImplicitDeny');
      assert.equal(check(any, action, memorydbRole), 'Allow');
      assert.equal(check(any, action, `arn:aws:iam::${ACCOUNT}:role/Worker`), 'ImplicitDeny');
    }
  });

  it('the two-statement ListRoles + PassRole example works as written', () => {
    const set: PolicySet = { identity: [compiled(doc(
      { Sid: 'AllowListRoles', Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
      { Sid: 'AllowPassRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/service-role/*`, Condition: { StringEquals: { 'iam:PassedToService': 'memorydb.amazonaws.com' } } },
    ))] };
    const passed = `arn:aws:iam::${ACCOUNT}:role/service-role/MemoryDBAccess`;
    assert.equal(check(set, 'iam:ListRoles', '*'), 'Allow');
    assert.equal(check(set, 'iam:PassRole', passed, { 'iam:PassedToService': 'memorydb.amazonaws.com' }), 'Allow');
    assert.equal(check(set, 'iam:PassRole', passed, { 'iam:PassedToService': 'ec2.amazonaws.com' }), 'ImplicitDeny');
    assert.equal(check(set, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/Admin`, { 'iam:PassedToService': 'memorydb.amazonaws.com' }), 'ImplicitDeny');
    assert.equal(check(set, 'iam:GetRole', passed), 'ImplicitDeny');
    const why = explain(set, request(caller, 'iam:PassRole', passed, { 'iam:PassedToService': 'ec2.amazonaws.com' }));
    const miss = why.unmatched.find((t) => t.sid === 'AllowPassRole')?.miss;
    assert.equal(miss?.kind, 'condition');
    assert.deepEqual(miss?.kind === 'condition' && [miss.operator, miss.key, miss.actual], ['StringEquals', 'iam:PassedToService', 'ec2.amazonaws.com']);
    assert.equal(why.unmatched.find((t) => t.sid === 'AllowListRoles')?.miss?.kind, 'action');
  });
});

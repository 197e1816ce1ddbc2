// The seed workload: the three service-role policies iamd ships (MemoryDB, Amazon MQ, ElastiCache), each
// held by its service-linked role's session, and the calls those services make with them — the checks
// the seed services run — plus the refusals they must meet (wrong tag, wrong namespace, other actions).

import type { IamPolicyDocument, Workload, WorkloadRequest } from './workload.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;

export const MEMORYDB_POLICY: IamPolicyDocument = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateNetworkInterface"},"ForAllValues:StringEquals":{"aws:TagKeys":["AmazonMemoryDBManaged"]}}},{"Effect":"Allow","Action":["ec2:CreateNetworkInterface"],"Resource":["arn:aws:ec2:*:*:network-interface/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:network-interface/*","Condition":{"StringEquals":{"ec2:ResourceTag/AmazonMemoryDBManaged":"true"}}},{"Effect":"Allow","Action":["ec2:DeleteNetworkInterface","ec2:ModifyNetworkInterfaceAttribute"],"Resource":"arn:aws:ec2:*:*:security-group/*"},{"Effect":"Allow","Action":["ec2:DescribeSecurityGroups","ec2:DescribeNetworkInterfaces","ec2:DescribeAvailabilityZones","ec2:DescribeSubnets","ec2:DescribeVpcs"],"Resource":"*"},{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"AWS/MemoryDB"}}}]};

export const AMAZONMQ_POLICY: IamPolicyDocument = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeVpcEndpoints"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc/*","arn:aws:ec2:*:*:subnet/*","arn:aws:ec2:*:*:security-group/*"]},{"Effect":"Allow","Action":["ec2:CreateVpcEndpoint"],"Resource":["arn:aws:ec2:*:*:vpc-endpoint/*"],"Condition":{"StringEquals":{"aws:RequestTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:CreateAction":"CreateVpcEndpoint"}}},{"Effect":"Allow","Action":["ec2:DeleteVpcEndpoints"],"Resource":"arn:aws:ec2:*:*:vpc-endpoint/*","Condition":{"StringEquals":{"ec2:ResourceTag/AMQManaged":"true"}}},{"Effect":"Allow","Action":["logs:PutLogEvents","logs:DescribeLogStreams","logs:DescribeLogGroups","logs:CreateLogStream","logs:CreateLogGroup"],"Resource":["arn:aws:logs:*:*:log-group:/aws/amazonmq/*"]}]};

export const ELASTICACHE_POLICY: IamPolicyDocument = {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:CreateNetworkInterface","ec2:CreateSecurityGroup","ec2:DeleteNetworkInterface","ec2:DeleteSecurityGroup","ec2:DescribeAvailabilityZones","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","ec2:RevokeSecurityGroupIngress","cloudwatch:PutMetricData","outposts:GetOutpost","outposts:GetOutpostInstanceTypes","outposts:ListOutposts","outposts:ListSites","logs:DeleteLogDelivery","application-autoscaling:DeregisterScalableTarget","application-autoscaling:DescribeScalableTargets"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:AssignIpv6Addresses","ec2:UnassignIpv6Addresses"],"Resource":"arn:aws:ec2:*:*:network-interface/eni-*"}]};

const role = (name: string, session: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`;

const MEMORYDB = 0;
const MQ = 1;
const ELASTICACHE = 2;

const r = (principal: number, action: string, resource: string, context: WorkloadRequest['context'] = {}): WorkloadRequest =>
  ({ principal, action, resource, context });

/** The distinct checks; the workload repeats them so the mix stays the same at any size. */
const CHECKS: WorkloadRequest[] = [
  // MemoryDB: create and tag its network interfaces, clean them up, describe, publish metrics.
  r(MEMORYDB, 'ec2:CreateNetworkInterface', ec2('subnet/subnet-0a1b2c3d')),
  r(MEMORYDB, 'ec2:CreateNetworkInterface', ec2('security-group/sg-0a1b2c3d')),
  r(MEMORYDB, 'ec2:CreateNetworkInterface', ec2('network-interface/eni-0a1b2c3d')),
  r(MEMORYDB, 'ec2:CreateTags', ec2('network-interface/eni-0a1b2c3d'), { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged'], 'aws:RequestTag/AmazonMemoryDBManaged': 'true' }),
  r(MEMORYDB, 'ec2:CreateTags', ec2('network-interface/eni-0a1b2c3d'), { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged', 'Owner'] }),
  r(MEMORYDB, 'ec2:CreateTags', ec2('network-interface/eni-0a1b2c3d'), { 'ec2:CreateAction': 'RunInstances', 'aws:TagKeys': ['AmazonMemoryDBManaged'] }),
  r(MEMORYDB, 'ec2:CreateTags', ec2('security-group/sg-0a1b2c3d'), { 'ec2:CreateAction': 'CreateNetworkInterface', 'aws:TagKeys': ['AmazonMemoryDBManaged'] }),
  r(MEMORYDB, 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-0a1b2c3d'), { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'true' }),
  r(MEMORYDB, 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-0f0f0f0f'), { 'ec2:ResourceTag/AmazonMemoryDBManaged': 'false' }),
  r(MEMORYDB, 'ec2:DeleteNetworkInterface', ec2('network-interface/eni-0e0e0e0e')),
  r(MEMORYDB, 'ec2:ModifyNetworkInterfaceAttribute', ec2('security-group/sg-0a1b2c3d')),
  r(MEMORYDB, 'ec2:DescribeSubnets', '*'),
  r(MEMORYDB, 'ec2:DescribeSecurityGroups', '*'),
  r(MEMORYDB, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/MemoryDB' }),
  r(MEMORYDB, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/EC2' }),
  r(MEMORYDB, 'ec2:RunInstances', ec2('instance/i-0a1b2c3d')),
  r(MEMORYDB, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/escalate`),
  // Amazon MQ: VPC endpoints for brokers, tagged on creation; broker logs.
  r(MQ, 'ec2:DescribeVpcEndpoints', '*'),
  r(MQ, 'ec2:CreateVpcEndpoint', ec2('vpc/vpc-0a1b2c3d')),
  r(MQ, 'ec2:CreateVpcEndpoint', ec2('subnet/subnet-0a1b2c3d')),
  r(MQ, 'ec2:CreateVpcEndpoint', ec2('vpc-endpoint/vpce-0a1b2c3d'), { 'aws:RequestTag/AMQManaged': 'true', 'aws:TagKeys': ['AMQManaged'] }),
  r(MQ, 'ec2:CreateVpcEndpoint', ec2('vpc-endpoint/vpce-0a1b2c3d'), { 'aws:TagKeys': [] }),
  r(MQ, 'ec2:CreateTags', ec2('vpc-endpoint/vpce-0a1b2c3d'), { 'ec2:CreateAction': 'CreateVpcEndpoint', 'aws:TagKeys': ['AMQManaged'] }),
  r(MQ, 'ec2:CreateTags', ec2('vpc-endpoint/vpce-0a1b2c3d'), { 'aws:TagKeys': ['AMQManaged'] }),
  r(MQ, 'ec2:DeleteVpcEndpoints', ec2('vpc-endpoint/vpce-0a1b2c3d'), { 'ec2:ResourceTag/AMQManaged': 'true' }),
  r(MQ, 'ec2:DeleteVpcEndpoints', ec2('vpc-endpoint/vpce-0b0b0b0b')),
  r(MQ, 'logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1234/general`),
  r(MQ, 'logs:PutLogEvents', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1234/general:log-stream:s1`),
  r(MQ, 'logs:CreateLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/other`),
  r(MQ, 'logs:DeleteLogGroup', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/amazonmq/broker/b-1234/general`),
  r(MQ, 'ec2:DeleteVpc', ec2('vpc/vpc-0a1b2c3d')),
  // ElastiCache: security groups, network interfaces, IPv6 addresses, outposts, scaling.
  r(ELASTICACHE, 'ec2:CreateSecurityGroup', ec2('security-group/sg-0c0c0c0c')),
  r(ELASTICACHE, 'ec2:CreateSecurityGroup', ec2('vpc/vpc-0a1b2c3d')),
  r(ELASTICACHE, 'ec2:AuthorizeSecurityGroupIngress', ec2('security-group/sg-0c0c0c0c')),
  r(ELASTICACHE, 'ec2:CreateNetworkInterface', ec2('subnet/subnet-0a1b2c3d')),
  r(ELASTICACHE, 'ec2:AssignIpv6Addresses', ec2('network-interface/eni-0a1b2c3d')),
  r(ELASTICACHE, 'ec2:AssignIpv6Addresses', ec2('instance/i-0a1b2c3d')),
  r(ELASTICACHE, 'ec2:DescribeVpcs', '*'),
  r(ELASTICACHE, 'outposts:ListSites', '*'),
  r(ELASTICACHE, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/ElastiCache' }),
  r(ELASTICACHE, 'application-autoscaling:DescribeScalableTargets', '*'),
  r(ELASTICACHE, 'ec2:TerminateInstances', ec2('instance/i-0a1b2c3d')),
  r(ELASTICACHE, 's3:GetObject', 'arn:aws:s3:::customer-data/secrets.txt'),
];

export function seedWorkload(size = CHECKS.length * 25): Workload {
  return {
    name: 'seed',
    description: `3 service-role policies (MemoryDB, Amazon MQ, ElastiCache; 14 statements), ${CHECKS.length} distinct checks, ${size} requests`,
    principals: [
      { arn: role('AWSServiceRoleForMemoryDB', 'memorydb'), account: ACCOUNT, policies: [{ name: 'MemoryDBServiceRolePolicy', document: MEMORYDB_POLICY }] },
      { arn: role('AWSServiceRoleForAmazonMQ', 'amazonmq'), account: ACCOUNT, policies: [{ name: 'AmazonMQServiceRolePolicy', document: AMAZONMQ_POLICY }] },
      { arn: role('AWSServiceRoleForElastiCache', 'elasticache'), account: ACCOUNT, policies: [{ name: 'ElastiCacheServiceRolePolicy', document: ELASTICACHE_POLICY }] },
    ],
    requests: Array.from({ length: size }, (_, i) => CHECKS[i % CHECKS.length]),
    keyTypes: {
      'ec2:createaction': 'string',
      'aws:tagkeys': 'set',
      'aws:requesttag/amazonmemorydbmanaged': 'string',
      'aws:requesttag/amqmanaged': 'string',
      'ec2:resourcetag/amazonmemorydbmanaged': 'string',
      'ec2:resourcetag/amqmanaged': 'string',
      'cloudwatch:namespace': 'string',
    },
  };
}

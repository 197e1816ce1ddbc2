// The synthetic workload: one IAM user with 10 policies of 50 statements each (500 in all), written the
// way large real policies are — exact and wildcard actions, exact and wildcard ARNs, some NotAction /
// NotResource, 8% Deny statements, conditions on tags, source IP, MFA age, secure transport and tag
// keys — and 10,000 requests over the same services, resources and context keys, so that statements
// match, miss and deny in a realistic mix. Deterministic: the same seed gives the same workload.
//
// It stays inside what all three benchmarked engines can express, so their decisions can be compared:
// no `?` wildcards, no policy variables, no case-insensitive string operators, no set operators other
// than ForAllValues/ForAnyValue:StringEquals (Cedar has no quantifier over `like`). Every request names
// a resource ARN: iam-simulate reads a request resource `*` (what actions without resource-level
// permissions carry) as "any resource", not as the literal AWS matches (the seed workload has those).

import { Prng } from './prng.ts';
import type { ContextKeyType, IamPolicyDocument, IamStatement, IamValue, Workload, WorkloadRequest } from './workload.ts';

const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

interface ServiceShape {
  actions: string[];
  resource(prng: Prng): string;
  /** Policy patterns that cover some of `resource`'s outputs. */
  pattern(prng: Prng): string;
}

const n = (prng: Prng, max: number) => String(prng.int(0, max));

const SERVICES: Record<string, ServiceShape> = {
  s3: {
    actions: ['GetObject', 'PutObject', 'DeleteObject', 'GetObjectTagging', 'PutObjectTagging', 'GetObjectAcl'],
    resource: (p) => `arn:aws:s3:::bucket-${n(p, 9)}/team-${n(p, 4)}/report-${n(p, 50)}.csv`,
    pattern: (p) => p.pick([`arn:aws:s3:::bucket-${n(p, 9)}/*`, `arn:aws:s3:::bucket-${n(p, 9)}/team-${n(p, 4)}/*`, `arn:aws:s3:::bucket-*/team-${n(p, 4)}/*`, `arn:aws:s3:::bucket-${n(p, 9)}/team-${n(p, 4)}/report-${n(p, 50)}.csv`]),
  },
  dynamodb: {
    actions: ['GetItem', 'PutItem', 'Query', 'Scan', 'DeleteItem', 'UpdateItem', 'DescribeTable'],
    resource: (p) => `arn:aws:dynamodb:${p.pick(REGIONS)}:${ACCOUNT}:table/orders-${n(p, 19)}`,
    pattern: (p) => p.pick([`arn:aws:dynamodb:*:${ACCOUNT}:table/orders-${n(p, 19)}`, `arn:aws:dynamodb:${p.pick(REGIONS)}:${ACCOUNT}:table/orders-1*`, `arn:aws:dynamodb:*:*:table/orders-${n(p, 9)}*`]),
  },
  ec2: {
    actions: ['RunInstances', 'TerminateInstances', 'StartInstances', 'StopInstances', 'CreateTags', 'DeleteTags'],
    resource: (p) => `arn:aws:ec2:${p.pick(REGIONS)}:${ACCOUNT}:instance/i-0${n(p, 99)}abc`,
    pattern: (p) => p.pick([`arn:aws:ec2:${p.pick(REGIONS)}:${ACCOUNT}:instance/*`, `arn:aws:ec2:*:*:instance/i-0${n(p, 9)}*`, `arn:aws:ec2:*:${ACCOUNT}:instance/i-0${n(p, 99)}abc`]),
  },
  sqs: {
    actions: ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes', 'PurgeQueue'],
    resource: (p) => `arn:aws:sqs:${p.pick(REGIONS)}:${ACCOUNT}:jobs-${n(p, 14)}`,
    pattern: (p) => p.pick([`arn:aws:sqs:*:${ACCOUNT}:jobs-${n(p, 14)}`, `arn:aws:sqs:${p.pick(REGIONS)}:${ACCOUNT}:jobs-*`, `arn:aws:sqs:*:*:jobs-1*`]),
  },
  logs: {
    actions: ['CreateLogStream', 'PutLogEvents', 'GetLogEvents', 'DeleteLogGroup'],
    resource: (p) => `arn:aws:logs:${p.pick(REGIONS)}:${ACCOUNT}:log-group:/app/service-${n(p, 9)}`,
    pattern: (p) => p.pick([`arn:aws:logs:*:${ACCOUNT}:log-group:/app/service-${n(p, 9)}*`, `arn:aws:logs:*:*:log-group:/app/service-${n(p, 9)}`]),
  },
  // Not KMS: a KMS key's own key policy must also allow every call (iam-simulate models that), and the
  // workload has identity policies only.
  ssm: {
    actions: ['GetParameter', 'GetParameters', 'PutParameter', 'DeleteParameter'],
    resource: (p) => `arn:aws:ssm:${p.pick(REGIONS)}:${ACCOUNT}:parameter/app/config-${n(p, 9)}`,
    pattern: (p) => p.pick([`arn:aws:ssm:*:${ACCOUNT}:parameter/app/config-${n(p, 9)}`, `arn:aws:ssm:${p.pick(REGIONS)}:${ACCOUNT}:parameter/app/*`]),
  },
  lambda: {
    actions: ['InvokeFunction', 'GetFunction', 'UpdateFunctionCode', 'DeleteFunction'],
    resource: (p) => `arn:aws:lambda:${p.pick(REGIONS)}:${ACCOUNT}:function:worker-${n(p, 14)}`,
    pattern: (p) => p.pick([`arn:aws:lambda:*:${ACCOUNT}:function:worker-${n(p, 14)}`, `arn:aws:lambda:*:${ACCOUNT}:function:worker-*`]),
  },
  iam: {
    actions: ['PassRole', 'GetRole', 'CreateRole', 'DeleteRole', 'TagRole'],
    resource: (p) => `arn:aws:iam::${ACCOUNT}:role/app-${n(p, 9)}`,
    pattern: (p) => p.pick([`arn:aws:iam::${ACCOUNT}:role/app-${n(p, 9)}`, `arn:aws:iam::${ACCOUNT}:role/app-*`, `arn:aws:iam::*:role/app-${n(p, 9)}`]),
  },
};
const SERVICE_NAMES = Object.keys(SERVICES);

/** Services the policies never grant: 30% of the requests ask for them (implicit denies). */
const UNGRANTED: Record<string, ServiceShape> = {
  rds: {
    actions: ['DeleteDBInstance', 'CreateDBSnapshot', 'ModifyDBInstance'],
    resource: (p) => `arn:aws:rds:${p.pick(REGIONS)}:${ACCOUNT}:db:main-${n(p, 4)}`,
    pattern: () => '*',
  },
  sns: {
    actions: ['Publish', 'Subscribe', 'DeleteTopic'],
    resource: (p) => `arn:aws:sns:${p.pick(REGIONS)}:${ACCOUNT}:alerts-${n(p, 4)}`,
    pattern: () => '*',
  },
  secretsmanager: {
    actions: ['GetSecretValue', 'PutSecretValue'],
    resource: (p) => `arn:aws:secretsmanager:${p.pick(REGIONS)}:${ACCOUNT}:secret:db-${n(p, 4)}-AbCdEf`,
    pattern: () => '*',
  },
};

// Condition keys with their types and the values requests draw from.
const TEAMS = ['red', 'blue', 'green', 'gold', 'grey'];
const ENVS = ['prod', 'dev', 'test'];
const DEPTS = ['eng', 'ops', 'fin'];
const TAG_KEYS = ['team', 'env', 'cost-center', 'owner'];
const INSTANCE_TYPES = ['t3.micro', 't3.large', 'm5.large', 'c6g.xlarge'];
const IPS = ['10.1.2.3', '10.200.0.9', '192.168.1.20', '192.168.2.20', '203.0.113.7'];

const KEY_TYPES: Record<string, ContextKeyType> = {
  'aws:requesttag/team': 'string',
  'aws:resourcetag/env': 'string',
  'aws:principaltag/dept': 'string',
  'ec2:instancetype': 'string',
  'aws:sourceip': 'ip',
  'aws:securetransport': 'bool',
  'aws:multifactorauthage': 'long',
  's3:max-keys': 'long',
  'aws:tagkeys': 'set',
};

type ConditionBlock = Record<string, Record<string, IamValue>>;

function addClause(block: ConditionBlock, operator: string, key: string, values: IamValue): void {
  (block[operator] ??= {})[key] = values;
}

function conditionClause(p: Prng, block: ConditionBlock): void {
  const ifExists = p.chance(0.15) ? 'IfExists' : '';
  switch (p.int(0, 9)) {
    case 0:
      addClause(block, `StringEquals${ifExists}`, 'aws:RequestTag/team', p.sample(TEAMS, p.int(1, 2)));
      break;
    case 1:
      addClause(block, p.pick(['StringEquals', 'StringNotEquals']) + ifExists, 'aws:ResourceTag/env', p.pick(ENVS));
      break;
    case 2:
      addClause(block, `StringLike${ifExists}`, p.pick(['aws:PrincipalTag/dept', 'ec2:InstanceType']), p.pick(['e*', 't3.*', '*o*', 'm5.large', 'fin']));
      break;
    case 3:
      addClause(block, p.pick(['IpAddress', 'NotIpAddress']), 'aws:SourceIp', p.sample(['10.0.0.0/8', '192.168.1.0/24', '203.0.113.0/24'], p.int(1, 2)));
      break;
    case 4:
      addClause(block, 'Bool', 'aws:SecureTransport', p.pick(['true', 'false']));
      break;
    case 5:
      addClause(block, p.pick(['NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan']) + ifExists, 'aws:MultiFactorAuthAge', String(p.pick([300, 3600, 86400])));
      break;
    case 6:
      addClause(block, p.pick(['NumericEquals', 'NumericNotEquals']), 's3:max-keys', String(p.pick([10, 100, 1000])));
      break;
    case 7:
      addClause(block, 'ForAllValues:StringEquals', 'aws:TagKeys', p.sample(TAG_KEYS, p.int(1, 3)));
      break;
    case 8:
      addClause(block, 'ForAnyValue:StringEquals', 'aws:TagKeys', p.sample(TAG_KEYS, p.int(1, 2)));
      break;
    default:
      addClause(block, 'Null', p.pick(['aws:RequestTag/team', 'aws:MultiFactorAuthAge', 'aws:TagKeys']), p.pick(['true', 'false']));
  }
}

function actionPattern(p: Prng, service: string): string {
  const shape = SERVICES[service];
  const action = p.pick(shape.actions);
  return p.weighted<string>([
    [6, `${service}:${action}`],
    [2, `${service}:${action.slice(0, p.int(3, 6))}*`],
    [1, `${service}:*${action.slice(-p.int(3, 5))}`],
    [0.3, `${service}:*`],
  ]);
}

function statement(p: Prng, index: number): IamStatement {
  const deny = p.chance(0.08);
  const service = p.pick(SERVICE_NAMES);
  const s: IamStatement = { Sid: `S${index}`, Effect: deny ? 'Deny' : 'Allow' };

  const actions = Array.from({ length: p.int(1, 4) }, () => actionPattern(p, p.chance(0.8) ? service : p.pick(SERVICE_NAMES)));
  // NotAction appears as real policies use it: "deny everything but …" (an Allow with NotAction grants
  // nearly everything, which large real policies avoid).
  if (deny && p.chance(0.08)) s.NotAction = actions;
  else s.Action = actions.length === 1 ? actions[0] : actions;

  if (p.chance(0.05)) s.Resource = '*';
  else {
    const resources = Array.from({ length: p.int(1, 3) }, () => SERVICES[service].pattern(p));
    if (p.chance(0.05)) s.NotResource = resources;
    else s.Resource = resources.length === 1 ? resources[0] : resources;
  }

  // A Deny is always conditional and narrower (two clauses, AND-ed); blanket denies would decide
  // most requests and leave the Allow statements unexercised.
  if (deny || p.chance(0.6)) {
    const block: ConditionBlock = {};
    const clauses = deny ? 2 : p.int(1, 2);
    for (let i = 0; i < clauses; i++) conditionClause(p, block);
    s.Condition = block;
  }
  return s;
}

function request(p: Prng): WorkloadRequest {
  const granted = p.chance(0.7);
  const service = p.pick(Object.keys(granted ? SERVICES : UNGRANTED));
  const shape = granted ? SERVICES[service] : UNGRANTED[service];
  const action = `${service}:${p.pick(shape.actions)}`;
  const context: Record<string, IamValue> = {};
  if (p.chance(0.5)) context['aws:RequestTag/team'] = p.pick(TEAMS);
  if (p.chance(0.6)) context['aws:ResourceTag/env'] = p.pick(ENVS);
  if (p.chance(0.8)) context['aws:PrincipalTag/dept'] = p.pick(DEPTS);
  if (service === 'ec2' && p.chance(0.7)) context['ec2:InstanceType'] = p.pick(INSTANCE_TYPES);
  context['aws:SourceIp'] = p.pick(IPS);
  context['aws:SecureTransport'] = p.chance(0.85) ? 'true' : 'false';
  if (p.chance(0.6)) context['aws:MultiFactorAuthAge'] = String(p.pick([60, 1200, 7200, 100000]));
  if (service === 's3' && p.chance(0.5)) context['s3:max-keys'] = String(p.pick([10, 100, 1000]));
  // AWS omits aws:TagKeys when a request carries no tags; it never sends it empty.
  if (p.chance(0.5)) context['aws:TagKeys'] = p.sample(TAG_KEYS, p.int(1, 3));
  return { principal: 0, action, resource: shape.resource(p), context };
}

export function syntheticWorkload(options: { policies?: number; statementsPerPolicy?: number; requests?: number; seed?: number } = {}): Workload {
  const { policies = 10, statementsPerPolicy = 50, requests = 10_000, seed = 20240601 } = options;
  const p = new Prng(seed);
  const documents: IamPolicyDocument[] = Array.from({ length: policies }, (_, d) => ({
    Version: '2012-10-17',
    Statement: Array.from({ length: statementsPerPolicy }, (_, i) => statement(p, d * statementsPerPolicy + i)),
  }));
  return {
    name: 'synthetic',
    description: `1 user, ${policies} policies × ${statementsPerPolicy} statements (wildcards, NotAction/NotResource, 8% Deny, conditions), ${requests.toLocaleString('en-US')} requests, seed ${seed}`,
    principals: [
      {
        arn: `arn:aws:iam::${ACCOUNT}:user/synthetic`,
        account: ACCOUNT,
        policies: documents.map((document, i) => ({ name: `synthetic-${i}`, document })),
      },
    ],
    requests: Array.from({ length: requests }, () => request(p)),
    keyTypes: KEY_TYPES,
  };
}

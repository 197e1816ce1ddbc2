// Generates the cases of the differential test: small sets of identity policies (wildcards and `?` in
// actions and resources, NotAction / NotResource, Deny statements, conditions of every operator family
// with IfExists and ForAllValues / ForAnyValue) and requests aimed at them, so that statements match,
// miss and deny in a useful mix. Deterministic: a seed gives the same cases everywhere.

import { Prng } from '../../bench/policy/prng.ts';
import { ACCOUNT } from '../helpers/accounts.ts';

export type Value = string | string[];

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: Value;
  NotAction?: Value;
  Resource?: Value;
  NotResource?: Value;
  Condition?: Record<string, Record<string, Value>>;
}

export interface Policy {
  Version: '2012-10-17';
  Statement: Statement[];
}

export interface CaseRequest {
  action: string;
  resource: string;
  context: Record<string, Value>;
}

export interface Case {
  principal: string;
  account: string;
  policies: Policy[];
  requests: CaseRequest[];
}

interface ServiceShape {
  actions: string[];
  /** Actions without resource-level permissions: their requests name the resource `*`. */
  wildcardOnly: string[];
  resources: string[];
}

// Real actions and resource ARNs (iam-simulate knows the services); KMS and STS are left out: their
// own resource policies (key policies, trust policies) take part in every decision there.
const SERVICES: Record<string, ServiceShape> = {
  s3: {
    actions: ['GetObject', 'PutObject', 'DeleteObject', 'GetObjectTagging', 'ListBucket'],
    wildcardOnly: ['ListAllMyBuckets'],
    resources: ['arn:aws:s3:::photos/2024/cat.jpg', 'arn:aws:s3:::photos/2024/Dog.jpg', 'arn:aws:s3:::photos', 'arn:aws:s3:::logs/app/a.log', 'arn:aws:s3:::Photos/2024/cat.jpg'],
  },
  ec2: {
    actions: ['RunInstances', 'TerminateInstances', 'StartInstances', 'CreateTags'],
    wildcardOnly: ['DescribeInstances', 'DescribeVolumes'],
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-0abc', 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0def', 'arn:aws:ec2:us-east-1:123456789012:volume/vol-01', 'arn:aws:ec2:us-east-1:210987654321:instance/i-0abc'],
  },
  dynamodb: {
    actions: ['GetItem', 'PutItem', 'Query', 'DeleteItem'],
    wildcardOnly: ['ListTables'],
    resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/Orders', 'arn:aws:dynamodb:us-east-1:123456789012:table/orders', 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/byDate'],
  },
  sqs: {
    actions: ['SendMessage', 'ReceiveMessage', 'DeleteMessage'],
    wildcardOnly: ['ListQueues'],
    resources: ['arn:aws:sqs:us-east-1:123456789012:jobs', 'arn:aws:sqs:us-east-1:123456789012:jobs-dlq', 'arn:aws:sqs:eu-west-1:123456789012:jobs'],
  },
  iam: {
    actions: ['GetRole', 'PassRole', 'TagRole', 'GetUser'],
    wildcardOnly: ['ListRoles'],
    resources: ['arn:aws:iam::123456789012:role/app/worker', 'arn:aws:iam::123456789012:role/admin', 'arn:aws:iam::123456789012:user/alice'],
  },
};
const SERVICE_NAMES = Object.keys(SERVICES);

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'ip' | 'arn' | 'set';

interface KeyShape {
  key: string;
  family: Family;
  /** Values requests carry. */
  values: string[];
  /** Values policies test against (overlapping `values`, plus patterns for Like operators). */
  policyValues: string[];
}

const KEYS: KeyShape[] = [
  { key: 'aws:PrincipalTag/team', family: 'string', values: ['red', 'Red', 'blue', 'green', ''], policyValues: ['red', 'blue', 'RED', 're*', '*e*', 'b?ue', 'gr??n'] },
  { key: 's3:prefix', family: 'string', values: ['home/alice/', 'home/bob/docs', 'public/', 'home/'], policyValues: ['home/alice/', 'home/*', 'public/', 'home/?o?/*', ''] },
  { key: 'aws:RequestedRegion', family: 'string', values: ['us-east-1', 'eu-west-1', 'ap-south-1'], policyValues: ['us-east-1', 'eu-*', 'US-EAST-1'] },
  { key: 's3:max-keys', family: 'numeric', values: ['10', '100', '1000', '-5', '2.5', 'ten'], policyValues: ['10', '100', '50', '-5', '2.5', '0'] },
  { key: 'aws:MultiFactorAuthAge', family: 'numeric', values: ['30', '3600', '86400'], policyValues: ['3600', '600', '86400'] },
  { key: 'aws:CurrentTime', family: 'date', values: ['2024-01-01T00:00:00Z', '2024-06-15T12:30:00Z', '2025-03-01T08:00:00Z', '2024-06-15T12:30:00+02:00'], policyValues: ['2024-06-15T12:30:00Z', '2024-01-01T00:00:00Z', '2025-01-01', '2024-06-15T10:30:00Z'] },
  { key: 'aws:TokenIssueTime', family: 'date', values: ['2024-06-15T12:00:00Z', '2023-12-31T23:59:59Z'], policyValues: ['2024-01-01T00:00:00Z', '2024-06-15T12:00:00Z'] },
  { key: 'aws:SecureTransport', family: 'bool', values: ['true', 'false', 'TRUE'], policyValues: ['true', 'false'] },
  { key: 'aws:MultiFactorAuthPresent', family: 'bool', values: ['true', 'false'], policyValues: ['true', 'false'] },
  { key: 'aws:SourceIp', family: 'ip', values: ['10.1.2.3', '192.168.1.20', '203.0.113.7', '2001:db8::1', '2001:db9::1'], policyValues: ['10.0.0.0/8', '192.168.1.0/24', '203.0.113.7/32', '203.0.113.7', '2001:db8::/32', '0.0.0.0/0'] },
  { key: 'aws:SourceArn', family: 'arn', values: ['arn:aws:s3:::photos', 'arn:aws:sns:us-east-1:123456789012:topic', 'arn:aws:lambda:us-east-1:123456789012:function:fn'], policyValues: ['arn:aws:s3:::photos', 'arn:aws:sns:*:123456789012:*', 'arn:aws:lambda:us-east-1:123456789012:function:*', 'arn:aws:s3:::*', 'arn:aws:sns:us-east-1:123456789012:top?c'] },
  { key: 'aws:PrincipalArn', family: 'arn', values: ['arn:aws:iam::123456789012:user/alice'], policyValues: ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:user/*', 'arn:aws:iam::*:role/*'] },
  { key: 'aws:TagKeys', family: 'set', values: ['env', 'team', 'Owner', 'cost-center'], policyValues: ['env', 'team', 'owner', 'cost-*', 'Own?r'] },
  { key: 'aws:CalledVia', family: 'set', values: ['cloudformation.amazonaws.com', 'athena.amazonaws.com'], policyValues: ['cloudformation.amazonaws.com', '*.amazonaws.com'] },
];

const OPERATORS: Record<Family, string[]> = {
  string: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
  numeric: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
  date: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
  bool: ['Bool'],
  ip: ['IpAddress', 'NotIpAddress'],
  arn: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  set: ['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike', 'StringEqualsIgnoreCase'],
};

function actionPattern(p: Prng, service: string): string {
  const shape = SERVICES[service];
  const action = p.chance(0.1) ? p.pick(shape.wildcardOnly) : p.pick(shape.actions);
  return p.weighted<string>([
    [5, `${service}:${action}`],
    [1, `${service}:${action.toLowerCase()}`],
    [2, `${service}:${action.slice(0, p.int(2, 5))}*`],
    [1, `${service}:*${action.slice(-p.int(3, 5))}`],
    [1, `${service}:${action.slice(0, -1)}?`],
    [1, `${service}:*`],
    [0.3, '*'],
  ]);
}

function resourcePattern(p: Prng, service: string): string {
  const arn = p.pick(SERVICES[service].resources);
  const parts = arn.split(':');
  return p.weighted<string>([
    [4, arn],
    // A prefix and `*`; IAM insists on a resource type (`role/`, `user/`) before any wildcard.
    [2, arn.slice(0, p.int(service === 'iam' ? arn.indexOf('/') + 1 : arn.indexOf(':::') >= 0 ? arn.indexOf(':::') + 3 : 20, arn.length - 1)) + '*'],
    [service === 'iam' ? 0 : 1, [...parts.slice(0, 3), '*', '*', parts.slice(5).join(':')].join(':')],
    [1, arn.slice(0, -2) + '?' + arn.slice(-1)],
    // The same ARN with its resource part in another case (ARNs match case-sensitively).
    [1, arn.replace(/([/:])([a-z])([^/:]*)$/, (_, sep: string, c: string, rest: string) => sep + c.toUpperCase() + rest)],
    [1, '*'],
  ]);
}

function condition(p: Prng, block: Record<string, Record<string, Value>>): void {
  const shape = p.pick(KEYS);
  let base = p.pick(OPERATORS[shape.family]);
  let operator = base;
  if (shape.family === 'set') operator = `${p.pick(['ForAllValues', 'ForAnyValue'])}:${base}`;
  else if (p.chance(0.04)) operator = `${p.pick(['ForAllValues', 'ForAnyValue'])}:${base}`;
  if (p.chance(0.12) && base !== 'Null') operator += 'IfExists';
  if (p.chance(0.08)) {
    base = 'Null';
    operator = 'Null';
  }
  let values: string[];
  if (base === 'Null') values = [p.pick(['true', 'false'])];
  else if (shape.family === 'bool') values = [p.pick(shape.policyValues)];
  else values = p.sample(shape.policyValues, p.int(1, 3));
  (block[operator] ??= {})[shape.key] = values.length === 1 && p.chance(0.5) ? values[0] : values;
}

function statement(p: Prng, index: number, service: string): Statement {
  const s: Statement = { Sid: `S${index}`, Effect: p.chance(0.25) ? 'Deny' : 'Allow' };
  const actions = Array.from({ length: p.int(1, 3) }, () => actionPattern(p, p.chance(0.85) ? service : p.pick(SERVICE_NAMES)));
  if (p.chance(0.12)) s.NotAction = actions;
  else s.Action = actions.length === 1 && p.chance(0.5) ? actions[0] : actions;
  const resources = Array.from({ length: p.int(1, 2) }, () => resourcePattern(p, service));
  if (p.chance(0.12)) s.NotResource = resources;
  else s.Resource = resources.length === 1 && p.chance(0.5) ? resources[0] : resources;
  if (p.chance(0.65)) {
    const block: Record<string, Record<string, Value>> = {};
    for (let i = p.int(1, 3); i > 0; i--) condition(p, block);
    s.Condition = block;
  }
  return s;
}

function request(p: Prng, service: string): CaseRequest {
  const shape = SERVICES[service];
  const context: Record<string, Value> = {};
  for (const key of KEYS) {
    if (!p.chance(0.6)) continue;
    if (key.family === 'set') context[key.key] = p.sample(key.values, p.int(0, 3));
    else if (p.chance(0.03)) context[key.key] = p.sample(key.values, 2); // a multi-valued key under a single-valued operator
    else context[key.key] = p.pick(key.values);
  }
  if (p.chance(0.08)) return { action: `${service}:${p.pick(shape.wildcardOnly)}`, resource: '*', context };
  return { action: `${service}:${p.pick(shape.actions)}`, resource: p.pick(shape.resources), context };
}

/** `count` cases of 1–3 policies with 1–4 statements each, and `requestsPerCase` requests each. */
export function generateCases(seed: number, count: number, requestsPerCase: number): Case[] {
  const p = new Prng(seed);
  return Array.from({ length: count }, () => {
    const services = p.sample(SERVICE_NAMES, p.int(1, 2));
    let index = 0;
    const policies: Policy[] = Array.from({ length: p.int(1, 3) }, () => ({
      Version: '2012-10-17' as const,
      Statement: Array.from({ length: p.int(1, 4) }, () => statement(p, index++, p.pick(services))),
    }));
    return {
      principal: `arn:aws:iam::${ACCOUNT}:user/alice`,
      account: ACCOUNT,
      policies,
      requests: Array.from({ length: requestsPerCase }, () => request(p, p.pick(services))),
    };
  });
}

// Well-formed operation inputs, generated from the model: every required member, some optional ones,
// strings from the shape's pattern and length, enum values, numbers in range. Names, ARNs, subnet ids
// and policy documents are drawn part of the time from small pools of values that exist on a fresh
// iamd (or that earlier requests of the run create), so that requests get past "not found" and reach
// the operations' own logic. The mutations (mutations.ts) break these values; the encoders (wire.ts)
// put them on the wire.

import fc from 'fast-check';
import type { Shape } from '../../src/protocol/model.ts';
import type { ServiceName } from '../../src/protocol/index.ts';
import { stableResourceId } from '../../src/services/ec2/ids.ts';
import { availabilityZones } from '../../src/services/ec2/zones.ts';
import { policyText } from './policies.ts';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** Names the generic requests share, so that a Create… is followed by Gets and Deletes that find it. */
const NAMES = ['fuzz1', 'fuzz2', 'fuzz-3'];

// The default VPC's ids are derived from (account, region) (src/services/ec2/defaults.ts), so the
// generator knows them without asking the server.
const stable = (prefix: string, ...parts: string[]) => stableResourceId(prefix, ACCOUNT, REGION, ...parts);
const SUBNETS = availabilityZones(REGION).map((z) => stable('subnet', z.ZoneName));
const VPC = stable('vpc', 'default');
const SECURITY_GROUP = stable('sg', 'default');

const ARNS = [
  `arn:aws:iam::${ACCOUNT}:role/fuzz1`,
  `arn:aws:iam::${ACCOUNT}:user/fuzz1`,
  `arn:aws:iam::${ACCOUNT}:policy/fuzz1`,
  `arn:aws:iam::${ACCOUNT}:group/fuzz1`,
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy',
  `arn:aws:iam::${ACCOUNT}:role/aws-service-role/memorydb.amazonaws.com/AWSServiceRoleForMemoryDB`,
  `arn:aws:memorydb:${REGION}:${ACCOUNT}:cluster/fuzz1`,
  `arn:aws:elasticache:${REGION}:${ACCOUNT}:cluster:fuzz1`,
  `arn:aws:mq:${REGION}:${ACCOUNT}:broker:fuzz1:b-00000000-0000-0000-0000-000000000000`,
  `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:fuzz1`,
  `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${SUBNETS[0]}`,
];

const LINKED_SERVICES = ['memorydb.amazonaws.com', 'elasticache.amazonaws.com', 'mq.amazonaws.com', 'ec2.amazonaws.com', 'nope.amazonaws.com'];

/** Model shapes that hold policy documents: they get documents from the policy grammar. */
export const POLICY_SHAPES: ReadonlySet<string> = new Set([
  'policyDocumentType',
  'sessionPolicyDocumentType',
  'unrestrictedSessionPolicyDocumentType',
]);

/** Values the services take that a pattern cannot tell: node and instance types, the default ACL. */
const DOMAIN: Record<string, readonly string[]> = {
  NodeType: ['db.t4g.small', 'db.r6g.large'],
  CacheNodeType: ['cache.t3.micro', 'cache.t4g.micro', 'cache.r6g.large'],
  ACLName: ['open-access'],
  HostInstanceType: ['mq.t3.micro', 'mq.m5.large'],
  Engine: ['redis', 'valkey', 'memcached'],
  EngineType: ['ACTIVEMQ', 'RABBITMQ'],
  DeploymentMode: ['SINGLE_INSTANCE'],
};

/** Whether a pooled value meets the shape's own constraints (a pool must not make valid inputs invalid). */
function fits(shape: Shape, v: string): boolean {
  if (shape.min !== undefined && v.length < shape.min) return false;
  if (shape.max !== undefined && v.length > shape.max) return false;
  return shape.pattern === undefined || shape.pattern.test(v);
}

function fitting(shape: Shape, values: readonly string[]): fc.Arbitrary<string> | undefined {
  const ok = values.filter((v) => fits(shape, v));
  return ok.length ? fc.constantFrom(...ok) : undefined;
}

/** A value from a pool that suits the member, or undefined when none does. */
function pool(member: string, shape: Shape): fc.Arbitrary<unknown> | undefined {
  if (POLICY_SHAPES.has(shape.name)) return policyText(member === 'AssumeRolePolicyDocument' ? 'trust' : 'identity');
  if (shape.type === 'list' && /SubnetIds?$/.test(member)) return fc.subarray(SUBNETS, { minLength: 1 });
  if (shape.type === 'list' && /SecurityGroupIds?$/.test(member)) return fc.constant([SECURITY_GROUP]);
  if (shape.type !== 'string' || shape.enumList) return undefined;
  if (DOMAIN[member]) return fitting(shape, DOMAIN[member]);
  if (member === 'AWSServiceName') return fitting(shape, LINKED_SERVICES);
  if (/Arn$|ARN$/.test(member) || shape.name === 'arnType') return fitting(shape, ARNS);
  if (/SubnetId$/.test(member)) return fitting(shape, SUBNETS);
  if (member === 'VpcId') return fitting(shape, [VPC]);
  if (/(Name|Id|Identifier)$/.test(member)) return fitting(shape, NAMES);
  return undefined;
}

/** Into the shape's length range: repeated (which keeps `[\d]+`-like patterns matched) or cut. */
const clamp = (s: string, shape: Shape): string => {
  let out = s;
  if (shape.min !== undefined && out.length < shape.min) out = out ? out.repeat(Math.ceil(shape.min / out.length)) : 'a'.repeat(shape.min);
  return shape.max !== undefined && out.length > shape.max ? out.slice(0, shape.max) : out;
};

function stringArb(shape: Shape): fc.Arbitrary<string> {
  if (shape.enumList) return fc.constantFrom(...shape.enumList);
  if (shape.pattern) {
    try {
      const matching = fc.stringMatching(shape.pattern, { size: 'small' });
      return matching.map((s) => clamp(s, shape));
    } catch {
      // A few model patterns use regex features fast-check cannot generate from (lookahead, Java-style \u10000).
    }
  }
  const maxLength = Math.min(shape.max ?? 24, 24);
  const minLength = Math.min(shape.min ?? 0, maxLength);
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength }),
  );
}

function numberArb(shape: Shape): fc.Arbitrary<number> {
  if (shape.type === 'float' || shape.type === 'double') {
    return fc.double({ min: shape.min ?? -1e6, max: shape.max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  }
  const bound = shape.type === 'long' ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1;
  const min = shape.min ?? 0;
  const max = shape.max ?? Math.min(bound, min + 100_000);
  return fc.integer({ min: Math.max(min, -bound), max: Math.min(max, bound) });
}

/** Beyond this depth of structures only required members are generated, so recursive shapes end. */
const MAX_DEPTH = 4;

export class ValueGenerator {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(readonly service: ServiceName) {}

  /** A well-formed value of `shape`, for the member named `member`. */
  value(shape: Shape, member: string, depth = 0): fc.Arbitrary<unknown> {
    const key = `${shape.name}\u0000${member}\u0000${depth}`;
    let arb = this.cache.get(key);
    if (!arb) {
      arb = this.build(shape, member, depth);
      this.cache.set(key, arb);
    }
    return arb;
  }

  private build(shape: Shape, member: string, depth: number): fc.Arbitrary<unknown> {
    const plain = this.plain(shape, member, depth);
    const pooled = pool(member, shape);
    if (!pooled) return plain;
    // Policy documents always come from the grammar (their own module mutates them).
    if (POLICY_SHAPES.has(shape.name)) return pooled;
    return fc.oneof({ weight: 3, arbitrary: pooled }, { weight: 2, arbitrary: plain });
  }

  private plain(shape: Shape, member: string, depth: number): fc.Arbitrary<unknown> {
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, depth);
      case 'list': {
        const element = shape.member!.shape;
        const maxLength = Math.max(Math.min(shape.max ?? 3, 3), shape.min ?? 0);
        return fc.array(this.value(element, member, depth + 1), { minLength: shape.min ?? 0, maxLength });
      }
      case 'map': {
        const maxKeys = Math.max(Math.min(shape.max ?? 3, 3), shape.min ?? 0);
        return fc.dictionary(stringArb(shape.key!.shape).filter((k) => k !== '__proto__'), this.value(shape.value!.shape, member, depth + 1), {
          minKeys: Math.min(shape.min ?? 0, maxKeys),
          maxKeys,
        });
      }
      case 'string':
        return stringArb(shape);
      case 'boolean':
        return fc.boolean();
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        return numberArb(shape);
      case 'timestamp':
        return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
      case 'blob':
        return fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b));
    }
  }

  private structure(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    if (depth > 2 * MAX_DEPTH) return fc.constant({});
    const members = depth >= MAX_DEPTH ? shape.members.filter((m) => m.required) : shape.members;
    if (members.length === 0) return fc.constant({});
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const m of members) {
      const value = fc.constant(undefined).chain(() => this.value(m.shape, m.name, depth + 1));
      // An empty path label is no request at all: the SDKs refuse to send it.
      model[m.name] = m.location === 'uri' ? value.filter((v) => v !== '') : value;
    }
    return fc.record(model, { requiredKeys: members.filter((m) => m.required).map((m) => m.name) });
  }
}

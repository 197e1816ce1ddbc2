// A real SQLite store in a temporary folder, the IAM operations bound to a small in-memory AWS
// managed policy catalog, and helpers to call operations the way the server does (authorize, then
// handle, in one transaction).

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthzCheck, CallContext, Caller, Operation } from '../../src/common/call.ts';
import { ApiError } from '../../src/common/errors.ts';
import { managedPolicyCatalog, type AwsManagedPolicy } from '../../src/iam/catalog/managed-policies.ts';
import { createIamOperations, iamConfig, type IamDeps, type IamQuotas } from '../../src/iam/index.ts';
import { storeSecrets } from '../../src/server/secrets.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';

export const ACCOUNT = '123456789012';

export const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const allow = (action = 's3:ListBucket', resource = '*'): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

function awsPolicy(path: string, name: string, document: string): AwsManagedPolicy {
  const date = new Date('2020-01-01T00:00:00Z');
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'Q').slice(0, 17)}`,
    Arn: `arn:aws:iam::aws:policy${path}${name}`,
    Path: path,
    DefaultVersionId: 'v2',
    CreateDate: date,
    UpdateDate: date,
    IsAttachable: true,
    Versions: [
      { VersionId: 'v1', IsDefaultVersion: false, CreateDate: date, Document: allow('s3:GetObject') },
      { VersionId: 'v2', IsDefaultVersion: true, CreateDate: date, Document: document },
    ],
  };
}

export const S3_READ_ONLY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
export const SERVICE_ROLE_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy';

export const catalog = managedPolicyCatalog([
  awsPolicy('/', 'AmazonS3ReadOnlyAccess', allow('s3:Get*')),
  awsPolicy('/aws-service-role/', 'MemoryDBServiceRolePolicy', allow('ec2:CreateNetworkInterface')),
]);

export function rootCaller(account = ACCOUNT): Caller {
  return { account, principal: { kind: 'root', arn: `arn:aws:iam::${account}:root`, account }, userId: account, tags: {} };
}

export function userCaller(name: string, account = ACCOUNT): Caller {
  return {
    account,
    principal: { kind: 'user', arn: `arn:aws:iam::${account}:user/${name}`, account },
    userId: 'AIDAEXAMPLE',
    userName: name,
    identity: { type: 'user', name },
    tags: {},
  };
}

export function roleCaller(name: string, account = ACCOUNT): Caller {
  return {
    account,
    principal: { kind: 'assumed-role', arn: `arn:aws:sts::${account}:assumed-role/${name}/s`, account, roleArn: `arn:aws:iam::${account}:role/${name}` },
    userId: 'AROAEXAMPLE:s',
    identity: { type: 'role', name },
    tags: {},
  };
}

export interface Iam {
  store: Store;
  deps: IamDeps;
  /** Runs the operation as the server would: authorize, then handle, in one transaction. */
  call(name: string, input?: Record<string, unknown>, caller?: Caller): Promise<Record<string, unknown>>;
  /** The checks an operation asks for. */
  authorize(name: string, input?: Record<string, unknown>, caller?: Caller): Promise<AuthzCheck[]>;
  generation(): Promise<number>;
}

export async function withIam(fn: (iam: Iam) => Promise<void>, quotas: Partial<IamQuotas> = {}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'iamd-iam-'));
  const store = await openStore({ kind: 'sqlite', dir });
  const deps: IamDeps = { config: iamConfig({ quotas }), awsPolicies: catalog, secrets: await storeSecrets(store, { dataDir: dir }) };
  const ops = new Map<string, Operation>(createIamOperations(deps).map((op) => [op.name, op]));
  const opNamed = (name: string): Operation => {
    const op = ops.get(name);
    assert.ok(op, `no operation ${name}`);
    return op;
  };
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const context = (caller: Caller): CallContext => ({
    requestId: 'req',
    caller,
    account: caller.account,
    region: 'us-east-1',
    // Each call one second later, so creation order is visible in dates.
    now: new Date((clock += 1000)),
    sourceIp: '127.0.0.1',
    secureTransport: true,
  });
  const iam: Iam = {
    store,
    deps,
    call: (name, input = {}, caller = rootCaller()) =>
      store.transaction(async (tx) => {
        const op = opNamed(name);
        const ctx = context(caller);
        await op.authorize(input, ctx, tx);
        return ((await op.handle(input, ctx, tx)) ?? {}) as Record<string, unknown>;
      }),
    authorize: (name, input = {}, caller = rootCaller()) => store.transaction(async (tx) => opNamed(name).authorize(input, context(caller), tx)),
    generation: () => store.read((tx) => tx.generation(ACCOUNT)),
  };
  try {
    await fn(iam);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asserts that `promise` fails with exactly this ApiError. */
export async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp, status: number): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.status, status);
    return true;
  });
}

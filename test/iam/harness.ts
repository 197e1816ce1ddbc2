// A real SQLite store in a temporary folder, the IAM operations bound to a small in-memory AWS
// managed policy catalog, and helpers to call operations the way the server does: through the real
// Dispatcher and Authorizer, so a caller other than the root needs policies that allow the call.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authorizer } from '../../src/authz/authorizer.ts';
import type { AuthzCheck, CallContext, Caller, Operation } from '../../src/common/call.ts';
import { withValues } from '../../src/common/reusable.ts';
import { Dispatcher } from '../../src/dispatch/dispatcher.ts';
import { managedPolicyCatalog, type AwsManagedPolicy } from '../../src/iam/catalog/managed-policies.ts';
import { createIamOperations, iamConfig, principalAccess, type IamDeps, type IamQuotas } from '../../src/iam/index.ts';
import { storeSecrets } from '../../src/server/secrets.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import type { BackendFactory } from '../store/harness.ts';
import { callContext, rootCaller } from '../helpers/callers.ts';
import { allow, policy } from '../helpers/iam.ts';

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
      { VersionId: 'v1', IsDefaultVersion: false, CreateDate: date, Document: policy(allow('s3:GetObject')) },
      { VersionId: 'v2', IsDefaultVersion: true, CreateDate: date, Document: document },
    ],
  };
}

export const S3_READ_ONLY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
export const SERVICE_ROLE_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy';

export const catalog = managedPolicyCatalog([
  awsPolicy('/', 'AmazonS3ReadOnlyAccess', policy(allow('s3:Get*'))),
  awsPolicy('/aws-service-role/', 'MemoryDBServiceRolePolicy', policy(allow('ec2:CreateNetworkInterface'))),
]);

export interface Iam {
  store: Store;
  deps: IamDeps;
  /**
   * Runs the operation as the server would: its checks decided on the caller's policies (AccessDenied
   * when one is not allowed), then its handler, in one transaction (a read for read-only operations).
   */
  call(name: string, input?: Record<string, unknown>, caller?: Caller): Promise<Record<string, unknown>>;
  /** The checks an operation asks for. */
  authorize(name: string, input?: Record<string, unknown>, caller?: Caller): Promise<AuthzCheck[]>;
  generation(): Promise<number>;
}

/** On SQLite in a temporary folder, or on the store `backend` opens (test/store/harness.ts). */
export async function withIam(fn: (iam: Iam) => Promise<void>, quotas: Partial<IamQuotas> = {}, backend?: BackendFactory): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'iamd-iam-'));
  const other = backend?.();
  const store = other ? await other.open() : await openStore({ kind: 'sqlite', dir });
  const deps: IamDeps = { config: iamConfig({ quotas }), awsPolicies: catalog, secrets: await storeSecrets(store, { dataDir: dir }) };
  const operations = createIamOperations(deps);
  const ops = new Map<string, Operation>(operations.map((op) => [op.name, op]));
  // Wired as src/server/app.ts wires them.
  const dispatcher = new Dispatcher(store, new Authorizer(principalAccess(deps).principalPolicies));
  dispatcher.register(operations);
  const opNamed = (name: string): Operation => {
    const op = ops.get(name);
    assert.ok(op, `no operation ${name}`);
    return op;
  };
  let clock = Date.parse('2026-01-01T00:00:00Z');
  // Each call one second later, so creation order is visible in dates.
  const context = (caller: Caller): CallContext => callContext(caller, { now: new Date((clock += 1000)), secureTransport: true });
  const iam: Iam = {
    store,
    deps,
    // Reusable members (a listed role) as their values, which is what the encoders write on a miss.
    call: async (name, input = {}, caller = rootCaller()) =>
      (withValues(await dispatcher.call('iam', name, input, context(caller))) ?? {}) as Record<string, unknown>,
    authorize: (name, input = {}, caller = rootCaller()) => store.transaction(async (tx) => opNamed(name).authorize(input, context(caller), tx)),
    generation: () => store.read((tx) => tx.generation(ACCOUNT)),
  };
  try {
    await fn(iam);
  } finally {
    await store.close();
    await other?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

// The linked-service framework on its own: ensureRole with the caller's authority, actAs as the
// service principal through the role's trust policy, calls authorized by the role's policy, sessions
// that end. The services built on it have their end-to-end tests beside this file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CreateUserCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { CallContext, Caller } from '../../src/common/call.ts';
import { ApiError } from '../../src/common/errors.ts';
import { rootCaller } from '../../src/auth/callers.ts';
import { loadServiceCatalog } from '../../src/iam/catalog/service-linked-roles.ts';
import { activeRoleSessions } from '../../src/sts/sessions.ts';
import { actAs, asService, ensureRole, type LinkedHost } from '../../src/services/linked/index.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const ACCOUNT = '123456789012';
const MEMORYDB = 'memorydb.amazonaws.com';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${MEMORYDB}/AWSServiceRoleForMemoryDB`;

let server: TestServer;
let host: LinkedHost;

before(async () => {
  server = await startServer();
  const { store, dispatcher, secrets } = server.iamd;
  host = { store, dispatcher, catalog: loadServiceCatalog({ file: undefined }), jobDelayMs: 0, kick: () => {}, secrets };
});
after(() => server.close());

const contextFor = (caller: Caller, region = 'us-east-1'): CallContext => ({
  requestId: randomUUID(), caller, account: ACCOUNT, region, now: new Date(), sourceIp: '127.0.0.1', secureTransport: false,
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

test('the role is created with the caller’s authority, once; the service acts through it as its principal', async () => {
  // No role yet: the service cannot act.
  const early = await rejection(actAs(host, ACCOUNT, MEMORYDB, 'us-east-1'));
  assert.equal(early.code, 'AccessDenied');
  assert.match(early.message, /sts:AssumeRole on resource: .*AWSServiceRoleForMemoryDB$/);

  // A user without iam:CreateServiceLinkedRole: IAM's own AccessDenied, and nothing written.
  await server.iam().send(new CreateUserCommand({ UserName: 'alice' }));
  const alice: Caller = {
    account: ACCOUNT,
    principal: { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, account: ACCOUNT },
    userId: 'AIDAALICE',
    userName: 'alice',
    identity: { type: 'user', name: 'alice' },
    tags: {},
  };
  const denied = await rejection(host.store.transaction((tx) => ensureRole(host, contextFor(alice), tx, MEMORYDB)));
  assert.equal(denied.code, 'AccessDenied');
  assert.equal(
    denied.message,
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${ROLE_ARN} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
  );
  await assert.rejects(server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' })), { name: 'NoSuchEntityException' });

  // The root user may: the role exists with its policy, and the next resource reuses it.
  const root = rootCaller(ACCOUNT);
  assert.deepEqual(await host.store.transaction((tx) => ensureRole(host, contextFor(root), tx, MEMORYDB)), { roleArn: ROLE_ARN, created: true });
  assert.deepEqual(await host.store.transaction((tx) => ensureRole(host, contextFor(root, 'eu-west-1'), tx, MEMORYDB)), { roleArn: ROLE_ARN, created: false });
  const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }));
  assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['MemoryDBServiceRolePolicy']);

  // Acting as the role: its policy allows MemoryDB's namespace and nothing else, in EC2's and CloudWatch's words.
  const session = await actAs(host, ACCOUNT, MEMORYDB, 'eu-west-1');
  assert.equal(session.caller.session?.viaService, MEMORYDB);
  assert.match(session.caller.principal.arn, /^arn:aws:sts::123456789012:assumed-role\/AWSServiceRoleForMemoryDB\/memorydb-/);
  await session.call('cloudwatch', 'PutMetricData', { Namespace: 'AWS/MemoryDB', MetricData: [{ MetricName: 'CPUUtilization', Value: 1 }] });
  const otherNamespace = await rejection(session.call('cloudwatch', 'PutMetricData', { Namespace: 'AWS/ElastiCache', MetricData: [{ MetricName: 'x', Value: 1 }] }));
  assert.equal(otherNamespace.code, 'AccessDenied');
  assert.match(otherNamespace.message, /assumed-role\/AWSServiceRoleForMemoryDB\/memorydb-\w+ is not authorized to perform: cloudwatch:PutMetricData/);
  const vpcs = await session.call<{ Vpcs: { IsDefault: boolean }[] }>('ec2', 'DescribeVpcs', {});
  assert.equal(vpcs.Vpcs[0].IsDefault, true);
  const sg = await rejection(session.call('ec2', 'CreateSecurityGroup', { GroupName: 'g', Description: 'd' }));
  assert.equal(sg.code, 'UnauthorizedOperation');

  // The session is an active session of the role until it ends; RoleLastUsed names its region.
  const active = () => host.store.read((tx) => activeRoleSessions(tx, ACCOUNT, ROLE_ARN, Date.now()));
  assert.deepEqual((await active()).map((s) => s.region), ['eu-west-1']);
  await session.end();
  assert.deepEqual(await active(), []);
  const role = await server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }));
  assert.equal(role.Role?.RoleLastUsed?.Region, 'eu-west-1');

  // asService ends its session even when the work fails.
  await assert.rejects(asService(host, ACCOUNT, MEMORYDB, 'us-east-1', async () => { throw new Error('boom'); }), /boom/);
  assert.deepEqual(await active(), []);
});

// The linked-service framework on its own: ensureRole with the caller's authority, actAs as the
// service principal through the role's trust policy, calls authorized by the role's policy, sessions
// that end. The services built on it have their end-to-end tests beside this file.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { loadServiceCatalog } from '../../src/iam/catalog/service-linked-roles.ts';
import { activeRoleSessions } from '../../src/sts/sessions.ts';
import { actAs, asService, ensureRole, type LinkedHost } from '../../src/services/linked/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { callContext, rootCaller, userCaller } from '../helpers/callers.ts';
import { eventually } from '../helpers/eventually.ts';
import { rejectsApiError } from '../helpers/rejects.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

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


test('the role is created with the caller’s authority, once; the service acts through it as its principal', async () => {
  // No role yet: the service cannot act.
  await rejectsApiError(actAs(host, ACCOUNT, MEMORYDB, 'us-east-1'), 'AccessDenied', /sts:AssumeRole on resource: .*AWSServiceRoleForMemoryDB$/);

  // A user without iam:CreateServiceLinkedRole: IAM's own AccessDenied, and nothing written.
  await server.iam().send(new CreateUserCommand({ UserName: 'alice' }));
  await rejectsApiError(
    host.store.transaction((tx) => ensureRole(host, callContext(userCaller('alice')), tx, MEMORYDB)),
    'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:CreateServiceLinkedRole on resource: ${ROLE_ARN} because no identity-based policy allows the iam:CreateServiceLinkedRole action`,
  );
  await assert.rejects(server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' })), { name: 'NoSuchEntityException' });

  // The root user may: the role exists with its policy, and the next resource reuses it.
  const root = rootCaller(ACCOUNT);
  assert.deepEqual(await host.store.transaction((tx) => ensureRole(host, callContext(root), tx, MEMORYDB)), { roleArn: ROLE_ARN, created: true });
  assert.deepEqual(await host.store.transaction((tx) => ensureRole(host, callContext(root, { region: 'eu-west-1' }), tx, MEMORYDB)), { roleArn: ROLE_ARN, created: false });
  const attached = await server.iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }));
  assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName), ['MemoryDBServiceRolePolicy']);

  // Acting as the role: its policy allows MemoryDB's namespace and nothing else, in EC2's and CloudWatch's words.
  const session = await actAs(host, ACCOUNT, MEMORYDB, 'eu-west-1');
  assert.equal(session.caller.session?.viaService, MEMORYDB);
  assert.match(session.caller.principal.arn, /^arn:aws:sts::123456789012:assumed-role\/AWSServiceRoleForMemoryDB\/memorydb-/);
  await session.call('cloudwatch', 'PutMetricData', { Namespace: 'AWS/MemoryDB', MetricData: [{ MetricName: 'CPUUtilization', Value: 1 }] });
  await rejectsApiError(
    session.call('cloudwatch', 'PutMetricData', { Namespace: 'AWS/ElastiCache', MetricData: [{ MetricName: 'x', Value: 1 }] }),
    'AccessDenied',
    /assumed-role\/AWSServiceRoleForMemoryDB\/memorydb-\w+ is not authorized to perform: cloudwatch:PutMetricData/,
  );
  const vpcs = await session.call<{ Vpcs: { IsDefault: boolean }[] }>('ec2', 'DescribeVpcs', {});
  assert.equal(vpcs.Vpcs[0].IsDefault, true);
  await rejectsApiError(session.call('ec2', 'CreateSecurityGroup', { GroupName: 'g', Description: 'd' }), 'UnauthorizedOperation');

  // The session is an active session of the role until it ends; RoleLastUsed names its region.
  const roleId = (await server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }))).Role!.RoleId!;
  const active = () => host.store.read((tx) => activeRoleSessions(tx, ACCOUNT, { arn: ROLE_ARN, id: roleId }, Date.now()));
  assert.deepEqual((await active()).map((s) => s.region), ['eu-west-1']);
  await session.end();
  assert.deepEqual(await active(), []);
  const role = await server.iam().send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForMemoryDB' }));
  assert.equal(role.Role?.RoleLastUsed?.Region, 'eu-west-1');

  // asService ends its session even when the work fails.
  await assert.rejects(asService(host, ACCOUNT, MEMORYDB, 'us-east-1', async () => { throw new Error('boom'); }), /boom/);
  assert.deepEqual(await active(), []);
});

test("a linked service's calls through its role are the role's in Access Advisor, denied ones too", async () => {
  // The first test made the role and called EC2 and CloudWatch through it (one call refused).
  const iam = server.iam();
  const ec2 = await eventually('the role’s EC2 calls are in its report', async () => {
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: ROLE_ARN, Granularity: 'ACTION_LEVEL' }));
    const done = await eventually('the job completes', () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId })), (r) => r.JobStatus === 'COMPLETED');
    return done.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'ec2');
  }, (s) => (s?.TrackedActionsLastAccessed?.length ?? 0) >= 2);
  assert.equal(ec2!.LastAuthenticatedEntity, ROLE_ARN);
  assert.equal(ec2!.LastAuthenticatedRegion, 'eu-west-1');
  assert.deepEqual(ec2!.TrackedActionsLastAccessed!.map((a) => a.ActionName), ['CreateSecurityGroup', 'DescribeVpcs']);
});

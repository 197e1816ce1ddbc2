// Service-linked roles end to end: a started iamd driven by the real IAM and STS SDK clients, with
// what real AWS answered (shared/reference/data/slr-api-facts.json) as the expectations.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ROLE_SESSION_KIND, saveSession } from '../../src/sts/sessions.ts';
import { endSession } from '../../src/sts/service-sessions.ts';
import { serviceCatalogFile, startServer, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, policy, trustAccount, userWithKey } from '../helpers/iam.ts';

const MEMORYDB = 'memorydb.amazonaws.com';
const MEMORYDB_ROLE = 'AWSServiceRoleForMemoryDB';
const MEMORYDB_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy';
const WIDGETS = 'widgets.amazonaws.com';
const WIDGETS_ROLE = 'AWSServiceRoleForWidgets';
const TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const protectedText = (name: string) => `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`;

/** Polls the task until it is SUCCEEDED or FAILED; returns that answer and every status seen on the way. */
async function finalStatus(iam: IAMClient, DeletionTaskId: string) {
  const seen: string[] = [];
  const answer = await eventually(
    `task ${DeletionTaskId} finishes`,
    async () => {
      const answer = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
      if (seen.at(-1) !== answer.Status) seen.push(answer.Status!);
      return answer;
    },
    (answer) => answer.Status === 'SUCCEEDED' || answer.Status === 'FAILED',
  );
  return { answer, seen };
}

describe('CreateServiceLinkedRole', () => {
  let server: TestServer;
  let iam: IAMClient;
  before(async () => {
    server = await startServer();
    iam = server.iam();
  });
  after(() => server.close());

  test('creates the role exactly as AWS does, with the catalog policy really attached', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }));
    assert.equal(Role!.RoleName, MEMORYDB_ROLE);
    assert.equal(Role!.Path, `/aws-service-role/${MEMORYDB}/`);
    assert.equal(Role!.Arn, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${MEMORYDB}/${MEMORYDB_ROLE}`);
    assert.match(Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(
      decodeURIComponent(Role!.AssumeRolePolicyDocument!),
      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"${MEMORYDB}"},"Action":"sts:AssumeRole"}]}`,
    );
    assert.equal(Role!.Description, undefined);
    assert.equal(Role!.MaxSessionDuration, undefined, 'like CreateRole, the create answer has no MaxSessionDuration');

    const got = (await iam.send(new GetRoleCommand({ RoleName: MEMORYDB_ROLE }))).Role!;
    assert.equal(got.MaxSessionDuration, 3600);
    assert.equal(got.Description, undefined);
    assert.equal(got.RoleId, Role!.RoleId);

    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MEMORYDB_ROLE }));
    assert.deepEqual(attached.AttachedPolicies, [{ PolicyName: 'MemoryDBServiceRolePolicy', PolicyArn: MEMORYDB_POLICY }]);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: MEMORYDB_POLICY }))).Policy!.AttachmentCount, 1);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: MEMORYDB_ROLE }))).PolicyNames, []);
  });

  test('a description is kept when given', async () => {
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticache.amazonaws.com', Description: 'caches' }));
    assert.equal(Role!.RoleName, 'AWSServiceRoleForElastiCache');
    assert.equal(Role!.Description, 'caches');
  });

  test('a second request for the same service: 400 InvalidInput, the name has been taken', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' }));
    await rejects(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'batch.amazonaws.com' })),
      'InvalidInputException',
      'Service role name AWSServiceRoleForBatch has been taken in this account, please try a different suffix.',
      400,
    );
  });

  test('names are taken regardless of case, by customer roles too', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'awsserviceroleforamazonmq', AssumeRolePolicyDocument: trustAccount() }));
    await rejects(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'mq.amazonaws.com' })),
      'InvalidInputException',
      'Service role name AWSServiceRoleForAmazonMQ has been taken in this account, please try a different suffix.',
      400,
    );
  });

  test('CustomSuffix: refused where AWS refuses it, <RoleName>_<suffix> where allowed', async () => {
    await rejects(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB, CustomSuffix: 'x' })),
      'InvalidInputException',
      `Custom suffix is not allowed for ${MEMORYDB}`,
      400,
    );
    const { Role } = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet1' }));
    assert.equal(Role!.RoleName, 'AWSServiceRoleForAutoScaling_fleet1');
    assert.equal(Role!.Path, '/aws-service-role/autoscaling.amazonaws.com/');
    const again = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'fleet2' }));
    assert.equal(again.Role!.RoleName, 'AWSServiceRoleForAutoScaling_fleet2');
  });

  test('an unknown service principal is InvalidInput', async () => {
    await rejects(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'nothing.amazonaws.com' })),
      'InvalidInputException',
      'Service nothing.amazonaws.com does not support service-linked roles.',
      400,
    );
  });

  test('32 concurrent requests make exactly one role; the others are told the name is taken', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 32 }, () => iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }))),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 31);
    for (const r of lost) assert.match((r.reason as Error).message, /^Service role name AWSServiceRoleForECS has been taken in this account/);
    const roles = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/ecs.amazonaws.com/' }))).Roles!;
    assert.deepEqual(roles.map((r) => r.RoleName), ['AWSServiceRoleForECS']);
  });

  test('authorization: iam:CreateServiceLinkedRole on the role ARN, conditioned on iam:AWSServiceName', async () => {
    const creds = await userWithKey(
      iam,
      'slr-maker',
      policy(allow('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/*', { Condition: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } } })),
    );
    const maker = server.iam(creds);
    await rejects(
      maker.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ssm.amazonaws.com' })),
      'AccessDenied',
      /is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::123456789012:role\/aws-service-role\/ssm\.amazonaws\.com\/AWSServiceRoleForAmazonSSM/,
      403,
    );
    const { Role } = await maker.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'rds.amazonaws.com' }));
    assert.equal(Role!.RoleName, 'AWSServiceRoleForRDS');
  });
});

describe('quotas', () => {
  test('service-linked roles count in the summary but not against the roles quota', async () => {
    const server = await startServer(['--roles-quota', '1']);
    try {
      const iam = server.iam();
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }));
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'mq.amazonaws.com' }));
      await iam.send(new CreateRoleCommand({ RoleName: 'only-one', AssumeRolePolicyDocument: trustAccount() }));
      await rejects(iam.send(new CreateRoleCommand({ RoleName: 'one-too-many', AssumeRolePolicyDocument: trustAccount() })), 'LimitExceededException');
      const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
      assert.equal(summary.Roles, 3);
    } finally {
      await server.close();
    }
  });
});

describe('protection', () => {
  let server: TestServer;
  let iam: IAMClient;
  before(async () => {
    server = await startServer();
    iam = server.iam();
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }));
  });
  after(() => server.close());

  test('every change AWS refuses is 400 UnmodifiableEntity with AWS text', async () => {
    const RoleName = MEMORYDB_ROLE;
    const refused = [
      new DeleteRoleCommand({ RoleName }),
      new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: trustAccount() }),
      new PutRolePolicyCommand({ RoleName, PolicyName: 'p', PolicyDocument: policy(allow('s3:*')) }),
      new DeleteRolePolicyCommand({ RoleName, PolicyName: 'p' }),
      new AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      new DetachRolePolicyCommand({ RoleName, PolicyArn: MEMORYDB_POLICY }),
      new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      new DeleteRolePermissionsBoundaryCommand({ RoleName }),
      new UpdateRoleCommand({ RoleName, MaxSessionDuration: 7200 }),
    ];
    for (const command of refused) {
      // Each command class is a different type; what matters here is that every one is refused.
      await rejects(iam.send(command as Parameters<IAMClient['send']>[0]), 'UnmodifiableEntityException', protectedText(RoleName), 400);
    }
    const role = (await iam.send(new GetRoleCommand({ RoleName }))).Role!;
    assert.equal(role.MaxSessionDuration, 3600);
    assert.equal(role.PermissionsBoundary, undefined);
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies!.map((p) => p.PolicyArn), [MEMORYDB_POLICY]);
  });

  test('it can be read, its description edited and it can be tagged', async () => {
    const RoleName = MEMORYDB_ROLE;
    const updated = await iam.send(new UpdateRoleDescriptionCommand({ RoleName, Description: 'first' }));
    assert.equal(updated.Role!.Description, 'first');
    await iam.send(new UpdateRoleCommand({ RoleName, Description: 'second' }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName }))).Role!.Description, 'second');
    await iam.send(new TagRoleCommand({ RoleName, Tags: [{ Key: 'team', Value: 'cache' }] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName }))).Tags, [{ Key: 'team', Value: 'cache' }]);
    await iam.send(new UntagRoleCommand({ RoleName, TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName }))).Tags, []);
    const listed = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }))).Roles!;
    assert.deepEqual(listed.map((r) => r.RoleName), [RoleName]);
  });

  test('service-role policies cannot be attached to customer roles nor be a boundary', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'customer', AssumeRolePolicyDocument: trustAccount() }));
    await rejects(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'customer', PolicyArn: MEMORYDB_POLICY })),
      'PolicyNotAttachableException',
      'Cannot attach a Service Role Policy to a Customer Role.',
      400,
    );
    await rejects(iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'customer', PermissionsBoundary: MEMORYDB_POLICY })), 'PolicyNotAttachableException');
  });

  test('no user or role can assume a service-linked role', async () => {
    const creds = await userWithKey(iam, 'assumer', policy(allow('sts:AssumeRole')));
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/${MEMORYDB}/${MEMORYDB_ROLE}`;
    await rejects(server.sts(creds).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'session' })), 'AccessDenied', undefined, 403);
    await rejects(server.sts().send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'session' })), 'AccessDenied', undefined, 403);
  });
});

describe('DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus', () => {
  let server: TestServer;
  let iam: IAMClient;
  const setUsage = (usage: unknown, principal = WIDGETS) =>
    fetch(`${server.url}/_iamd/linked-services/${principal}/usage`, { method: 'PUT', body: JSON.stringify({ account: ACCOUNT, usage }) });

  before(async () => {
    const catalog = serviceCatalogFile([
      {
        servicePrincipal: WIDGETS,
        roleName: WIDGETS_ROLE,
        policy: { name: 'WidgetsServiceRolePolicy', document: policy(allow('ec2:DescribeVpcs')) },
      },
    ]);
    // A job delay long enough to see each state, short enough to keep the test quick.
    server = await startServer(['--allow-reset', '--job-delay-ms', '150', '--service-catalog', catalog]);
    iam = server.iam();
  });
  after(() => server.close());

  test('refused at once for a missing role and for a customer role', async () => {
    await rejects(iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'nope' })), 'NoSuchEntityException', 'The role with name nope cannot be found.', 404);
    await iam.send(new CreateRoleCommand({ RoleName: 'plain', AssumeRolePolicyDocument: trustAccount() }));
    await rejects(
      iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'plain' })),
      'NoSuchEntityException',
      'The role with name plain is not a service-linked role.',
      404,
    );
  });

  test('a task goes NOT_STARTED → IN_PROGRESS → SUCCEEDED; a repeated request returns the pending task', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }));
    const before = (await iam.send(new GetRoleCommand({ RoleName: MEMORYDB_ROLE }))).Role!;
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: MEMORYDB_ROLE }));
    assert.match(DeletionTaskId!, TASK_ID);
    assert.deepEqual(TASK_ID.exec(DeletionTaskId!)!.slice(1), [MEMORYDB, MEMORYDB_ROLE]);
    const first = await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    assert.equal(first.Status, 'NOT_STARTED');
    assert.equal(first.Reason, undefined);
    const again = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: MEMORYDB_ROLE.toLowerCase() }));
    assert.equal(again.DeletionTaskId, DeletionTaskId);

    const { answer, seen } = await finalStatus(iam, DeletionTaskId!);
    assert.deepEqual(seen, ['NOT_STARTED', 'IN_PROGRESS', 'SUCCEEDED']);
    assert.equal(answer.Reason, undefined);
    await rejects(iam.send(new GetRoleCommand({ RoleName: MEMORYDB_ROLE })), 'NoSuchEntityException', `The role with name ${MEMORYDB_ROLE} cannot be found.`, 404);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: MEMORYDB_POLICY }))).Policy!.AttachmentCount, 0);

    // The service can make its role again; it is a new role.
    const remade = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }))).Role!;
    assert.notEqual(remade.RoleId, before.RoleId);
  });

  test('fails while the linked service reports resources, per region; succeeds once they are gone', async () => {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: WIDGETS }));
    const a = `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/a`;
    const b = `arn:aws:widgets:eu-west-1:${ACCOUNT}:widget/b`;
    const set = await setUsage([{ region: 'us-east-1', resources: [a] }, { region: 'eu-west-1', resources: [b] }, { region: 'ap-south-1' }]);
    assert.equal(set.status, 200);

    const failed = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: WIDGETS_ROLE }));
    const { answer } = await finalStatus(iam, failed.DeletionTaskId!);
    assert.equal(answer.Status, 'FAILED');
    assert.deepEqual(answer.Reason!.RoleUsageList, [
      { Region: 'ap-south-1' },
      { Region: 'eu-west-1', Resources: [b] },
      { Region: 'us-east-1', Resources: [a] },
    ]);
    assert.equal(answer.Reason!.Reason, `Service-linked role ${WIDGETS_ROLE} is still used by ${WIDGETS} in ap-south-1, eu-west-1, us-east-1.`);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: WIDGETS_ROLE }))).Role!.RoleName, WIDGETS_ROLE);
    assert.equal((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: WIDGETS_ROLE }))).AttachedPolicies!.length, 1);

    // A finished task is not pending: the next request starts a new one.
    assert.equal((await setUsage([])).status, 200);
    const retry = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: WIDGETS_ROLE }));
    assert.notEqual(retry.DeletionTaskId, failed.DeletionTaskId);
    assert.equal((await finalStatus(iam, retry.DeletionTaskId!)).answer.Status, 'SUCCEEDED');
    await rejects(iam.send(new GetRoleCommand({ RoleName: WIDGETS_ROLE })), 'NoSuchEntityException');
    // The failed task is still there to read.
    assert.equal((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: failed.DeletionTaskId }))).Status, 'FAILED');
  });

  test('fails while the role has an unexpired session, naming its regions', async () => {
    const role = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'mq.amazonaws.com' }))).Role!;
    // The session a linked service holds when it acts through its role (nobody else can assume it).
    const now = Date.now();
    const session = (expiresAt: number) => ({
      account: ACCOUNT,
      secretAccessKey: 'secret',
      sessionToken: 'token',
      issuedAt: now,
      expiresAt,
      region: 'eu-central-1',
      role: { roleArn: role.Arn!, roleName: role.RoleName!, roleId: role.RoleId!, sessionName: 'mq', issuedAt: now, expiresAt, sessionPolicies: [], tags: {}, viaService: 'mq.amazonaws.com' },
    });
    await server.iamd.store.transaction(async (tx) => {
      await saveSession(tx, server.iamd.secrets, 'ASIAACTIVESESSION000', session(now + 3_600_000));
      await saveSession(tx, server.iamd.secrets, 'ASIAEXPIREDSESSION00', { ...session(now - 1000), region: 'sa-east-1' });
    });
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: role.RoleName }));
    const { answer } = await finalStatus(iam, DeletionTaskId!);
    assert.equal(answer.Status, 'FAILED');
    assert.equal(answer.Reason!.Reason, `Service-linked role ${role.RoleName} has active sessions in eu-central-1.`);
    assert.deepEqual(answer.Reason!.RoleUsageList, [{ Region: 'eu-central-1' }]);

    // Once the session has ended the role goes, and its sessions' index goes with it.
    const roleIndex = () => server.iamd.store.read((tx) => tx.list(ACCOUNT, ROLE_SESSION_KIND, { keyPrefix: `${role.Arn} ` }));
    assert.equal((await roleIndex()).length, 2);
    await server.iamd.store.transaction((tx) => endSession(tx, 'ASIAACTIVESESSION000', Date.now()));
    const again = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: role.RoleName }));
    assert.equal((await finalStatus(iam, again.DeletionTaskId!)).answer.Status, 'SUCCEEDED');
    assert.deepEqual(await roleIndex(), []);
  });

  test('the usage endpoint accepts only user-catalog services and well-formed bodies', async () => {
    assert.equal((await setUsage([], MEMORYDB)).status, 404);
    assert.equal((await setUsage([{ resources: ['x'] }])).status, 400);
    assert.equal((await setUsage('nope')).status, 400);
    const read = await fetch(`${server.url}/_iamd/linked-services/${WIDGETS}/usage?account=${ACCOUNT}`);
    assert.deepEqual(await read.json(), { account: ACCOUNT, usage: [] });
  });

  test('status: malformed id → InvalidInput, unknown id → NoSuchEntity', async () => {
    await rejects(
      iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: 'not-a-task' })),
      'InvalidInputException',
      'Invalid deletion task id: not-a-task',
      400,
    );
    const unknown = `task/aws-service-role/${MEMORYDB}/${MEMORYDB_ROLE}/00000000-0000-4000-8000-000000000000`;
    await rejects(
      iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: unknown })),
      'NoSuchEntityException',
      `The deletion task with id ${unknown} cannot be found.`,
      404,
    );
  });

  test('authorization: DeleteServiceLinkedRole and GetServiceLinkedRoleDeletionStatus on the role ARN', async () => {
    const role = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ssm.amazonaws.com' }))).Role!;
    const creds = await userWithKey(iam, 'deleter', policy(allow('iam:DeleteServiceLinkedRole', role.Arn!)));
    const deleter = server.iam(creds);
    const { DeletionTaskId } = await deleter.send(new DeleteServiceLinkedRoleCommand({ RoleName: role.RoleName }));
    await rejects(
      deleter.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId })),
      'AccessDenied',
      new RegExp(`iam:GetServiceLinkedRoleDeletionStatus on resource: ${role.Arn!.replace(/[.]/g, '\\.')} `),
      403,
    );
    await rejects(deleter.send(new DeleteServiceLinkedRoleCommand({ RoleName: WIDGETS_ROLE })), 'AccessDenied', undefined, 403);
  });
});

describe('retention', () => {
  test('finished tasks are purged after deletionTaskRetentionMs', async () => {
    const server = await startServer(['--deletion-task-retention-seconds', '1']);
    try {
      const iam = server.iam();
      await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: MEMORYDB }));
      const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: MEMORYDB_ROLE }));
      assert.equal((await finalStatus(iam, DeletionTaskId!)).answer.Status, 'SUCCEEDED');
      // Purged once its second of retention has passed.
      const status = () => iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId })).then(() => 'kept', (error: Error) => error.name);
      await eventually('the finished task is purged', status, (outcome) => outcome !== 'kept');
      await rejects(iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId })), 'NoSuchEntityException', undefined, 404);
    } finally {
      await server.close();
    }
  });
});

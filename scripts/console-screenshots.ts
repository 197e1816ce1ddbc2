// The screenshots of docs/console.md: a fresh iamd with a few things in it (a user, a group, a policy
// with two versions, MemoryDB's role held by a cluster), and Debian's Chromium photographing the main
// pages. `npm run console:screenshots` (needs /usr/bin/chromium); writes docs/console/*.png.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateUserCommand,
  IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateClusterCommand, DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { loadConfig } from '../src/server/config.ts';
import { startIamd } from '../src/server/app.ts';

const OUT = new URL('../docs/console/', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'iamd-shots-'));
const iamd = await startIamd(loadConfig(['--port', '0', '--data-dir', dataDir, '--job-delay-ms', '0']), { log: () => {} });
const clientConfig = { endpoint: iamd.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const iam = new IAMClient(clientConfig);
const memorydb = new MemoryDBClient(clientConfig);

const doc = (actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: actions, Resource: '*' }] });
await iam.send(new CreateUserCommand({ UserName: 'alice' }));
await iam.send(new CreateGroupCommand({ GroupName: 'operators' }));
await iam.send(new AddUserToGroupCommand({ GroupName: 'operators', UserName: 'alice' }));
const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'CacheReaders', PolicyDocument: doc(['memorydb:Describe*']), Description: 'Read the caches' }))).Policy!;
await iam.send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, PolicyDocument: doc(['memorydb:Describe*', 'elasticache:Describe*']), SetAsDefault: true }));
await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policy.Arn! }));
await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'console', PolicyDocument: doc(['iam:Get*', 'iam:List*']) }));
// Who can reach: a user that may create clusters reaches what MemoryDB's role may do.
await iam.send(new CreateUserCommand({ UserName: 'dba' }));
await iam.send(new PutUserPolicyCommand({ UserName: 'dba', PolicyName: 'clusters', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Clusters', Effect: 'Allow', Action: 'memorydb:CreateCluster', Resource: 'arn:aws:memorydb:*:123456789012:cluster/*' }] }) }));
const SIMULATED = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Sid": "Reads", "Effect": "Allow", "Action": "memorydb:Describe*", "Resource": "*" },
    { "Sid": "NoDeletes", "Effect": "Deny", "Action": "memorydb:DeleteCluster", "Resource": "*" }
  ]
}`;
await memorydb.send(new CreateClusterCommand({ ClusterName: 'orders', NodeType: 'db.t4g.small', ACLName: 'open-access' }));
for (let i = 0; i < 100 && (await memorydb.send(new DescribeClustersCommand({}))).Clusters?.[0]?.Status !== 'available'; i++) await new Promise((r) => setTimeout(r, 50));

const browser = await chromium.launch({ executablePath: process.env.IAMD_TEST_CHROMIUM ?? '/usr/bin/chromium', headless: true });
mkdirSync(OUT, { recursive: true });

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
}

for (const scheme of ['light', 'dark'] as const) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 660 }, colorScheme: scheme });
  await page.goto(`${iamd.url}/console/`);
  if (scheme === 'dark') {
    await page.getByLabel('Access key ID').fill('test');
    await page.getByLabel('Secret access key').fill('test');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'AWSServiceRoleForMemoryDB' }).waitFor({ timeout: 1 }).catch(() => {});
    await page.goto(`${iamd.url}/console/#/roles/AWSServiceRoleForMemoryDB`);
    await page.locator('pre.json').first().waitFor();
    await shoot(page, 'role-dark');
    await page.close();
    continue;
  }
  await shoot(page, 'sign-in');
  await page.getByLabel('Access key ID').fill('test');
  await page.getByLabel('Secret access key').fill('test');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-card="ServiceLinkedRoles"] .card-value').filter({ hasText: '1' }).waitFor();
  await shoot(page, 'dashboard');
  await page.goto(`${iamd.url}/console/#/roles`);
  await page.locator('tr[data-role="AWSServiceRoleForMemoryDB"] td').nth(4).filter({ hasText: 'Today' }).waitFor();
  await shoot(page, 'roles');
  await page.goto(`${iamd.url}/console/#/roles/AWSServiceRoleForMemoryDB`);
  await page.locator('pre.json').first().waitFor();
  await shoot(page, 'role');
  await page.goto(`${iamd.url}/console/#/create-role`);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Find a service').fill('elasticache');
  await page.getByRole('radio').first().check();
  await shoot(page, 'create-role');
  await page.goto(`${iamd.url}/console/#/roles`);
  await page.getByLabel('Select AWSServiceRoleForMemoryDB').check();
  await page.getByRole('button', { name: /^Delete/ }).click();
  await page.getByRole('dialog').locator('tbody tr').waitFor();
  await shoot(page, 'delete-confirm');
  await page.getByRole('dialog').getByRole('textbox').fill('delete');
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.locator('.notification').filter({ hasText: 'FAILED' }).getByRole('button', { name: 'View resources' }).click();
  await shoot(page, 'delete-failed');
  await page.locator('.notification a').first().click();
  await page.locator('tr.focus').waitFor();
  await shoot(page, 'linked-services');
  await page.getByRole('button', { name: /^Dismiss/ }).click();
  await page.goto(`${iamd.url}/console/#/policies/${encodeURIComponent(policy.Arn!)}`);
  await page.getByLabel('Compare v1').check();
  await page.getByLabel('Compare v2').check();
  await page.locator('pre.diff').waitFor();
  await shoot(page, 'policy-diff');
  await page.goto(`${iamd.url}/console/#/events`);
  await page.locator('tr[data-event="CreatePolicyVersion"] button').click();
  await page.locator('pre.json').waitFor();
  await shoot(page, 'events');
  await page.goto(`${iamd.url}/console/#/simulator`);
  await page.getByLabel('Only the policies pasted below').check();
  await page.getByLabel('Policy 1').fill(SIMULATED);
  await page.getByLabel(/^Actions/).fill('memorydb:DeleteCluster\nmemorydb:DescribeClusters');
  await page.getByRole('button', { name: 'Run simulation' }).click();
  await page.locator('mark.matched').first().waitFor();
  await page.getByRole('table', { name: 'Decisions' }).evaluate((table) => table.scrollIntoView({ block: 'end', inline: 'nearest' }));
  await shoot(page, 'simulator');
  await page.goto(`${iamd.url}/console/#/who-can`);
  await page.getByLabel('Action').fill('ec2:CreateNetworkInterface');
  await page.getByLabel('Resource ARN').fill('arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0abc');
  await page.getByRole('button', { name: 'Analyse' }).click();
  await page.locator('g[data-principal="arn:aws:iam::123456789012:user/dba"] .edge').first().click();
  await page.getByRole('region', { name: 'Step' }).waitFor();
  await shoot(page, 'who-can');
  await page.close();
}

await browser.close();
await iamd.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(`screenshots in ${OUT}`);

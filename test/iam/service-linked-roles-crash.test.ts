// Deletion tasks survive a crash: iamd is killed with SIGKILL while tasks are NOT_STARTED and
// IN_PROGRESS, restarted on the same data folder, and every task still reaches a final state —
// no role lost, duplicated or half-deleted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetPolicyCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { eventually } from '../helpers/eventually.ts';
import { ROOT, spawnServer, tempDir } from '../helpers/server.ts';

const client = (url: string) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const status = async (iam: IAMClient, DeletionTaskId: string) =>
  (await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status!;

const EARLY = ['memorydb.amazonaws.com', 'elasticache.amazonaws.com', 'mq.amazonaws.com'];
const LATE = ['batch.amazonaws.com', 'ecs.amazonaws.com'];
const KEPT = ['rds.amazonaws.com'];

test('kill -9 with tasks NOT_STARTED and IN_PROGRESS: after a restart every task finishes, exactly once', async () => {
  const dataDir = tempDir();
  // A long job delay holds each task in each state long enough to kill the server there.
  let server = await spawnServer(['--data-dir', dataDir, '--job-delay-ms', '1500']);
  try {
    let iam = client(server.url);
    const names = new Map<string, string>();
    for (const principal of [...EARLY, ...LATE, ...KEPT]) {
      names.set(principal, (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: principal }))).Role!.RoleName!);
    }
    const tasks = new Map<string, string>();
    for (const principal of EARLY) {
      tasks.set(principal, (await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: names.get(principal) }))).DeletionTaskId!);
    }
    await eventually(
      'the first tasks are IN_PROGRESS',
      () => Promise.all(EARLY.map((p) => status(iam, tasks.get(p)!))),
      (statuses) => statuses.every((s) => s === 'IN_PROGRESS'),
    );
    for (const principal of LATE) {
      tasks.set(principal, (await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: names.get(principal) }))).DeletionTaskId!);
    }
    const beforeCrash = await Promise.all([...tasks.values()].map((id) => status(iam, id)));
    assert.deepEqual(beforeCrash, ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'NOT_STARTED', 'NOT_STARTED']);

    await server.kill('SIGKILL');
    server = await spawnServer(['--data-dir', dataDir, '--job-delay-ms', '50']);
    iam = client(server.url);

    for (const [principal, id] of tasks) {
      // A task the killed server held waits for its lease (30 s) to run out before it runs again.
      const s = await eventually(`${principal}'s task finishes`, () => status(iam, id), (s) => s === 'SUCCEEDED' || s === 'FAILED', { timeoutMs: 60_000 });
      assert.equal(s, 'SUCCEEDED', `${principal}'s task`);
    }
    const roles = (await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }))).Roles!.map((r) => r.RoleName);
    assert.deepEqual(roles, KEPT.map((p) => names.get(p)));
    const kept = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: names.get(KEPT[0]!) }));
    assert.equal(kept.AttachedPolicies!.length, 1);
    const memorydbPolicy = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy' }));
    assert.equal(memorydbPolicy.Policy!.AttachmentCount, 0);
    // Re-creating a deleted role works: nothing of the old one is left behind.
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: EARLY[0] }));
  } finally {
    await server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// Policies' AttachmentCount and PermissionsBoundaryUsageCount come from the store's ref counters
// (migration 5). Whatever path changes an attachment or a boundary — attach, detach, put or delete a
// boundary, a rename that re-keys them, deleting the user or role that holds a boundary — every
// operation that shows the counts shows the same, exact numbers, on both stores.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { BACKENDS } from '../store/harness.ts';
import { S3_READ_ONLY, withIam, type Iam } from './harness.ts';

const P1 = `arn:aws:iam::${ACCOUNT}:policy/P1`;
const P2 = `arn:aws:iam::${ACCOUNT}:policy/P2`;

type Counts = [attachments: number, boundaries: number];
interface Shown {
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  Arn: string;
}

const pair = (p: Shown): Counts => [p.AttachmentCount, p.PermissionsBoundaryUsageCount];

/** The counts of each policy as GetPolicy, ListPolicies and GetAccountAuthorizationDetails show them, which must agree. */
async function shown(iam: Iam, arns: string[]): Promise<Record<string, Counts>> {
  const listed = new Map(((await iam.call('ListPolicies', {})).Policies as Shown[]).map((p) => [p.Arn, pair(p)]));
  const attachedOnly = new Set(((await iam.call('ListPolicies', { OnlyAttached: true })).Policies as Shown[]).map((p) => p.Arn));
  const boundaryOnly = new Set(((await iam.call('ListPolicies', { PolicyUsageFilter: 'PermissionsBoundary' })).Policies as Shown[]).map((p) => p.Arn));
  const details = new Map(
    ((await iam.call('GetAccountAuthorizationDetails', { Filter: ['LocalManagedPolicy', 'AWSManagedPolicy'] })).Policies as Shown[]).map((p) => [p.Arn, pair(p)]),
  );
  const out: Record<string, Counts> = {};
  for (const arn of arns) {
    const got = pair((await iam.call('GetPolicy', { PolicyArn: arn })).Policy as Shown);
    assert.deepEqual(listed.get(arn), got, `ListPolicies agrees with GetPolicy for ${arn}`);
    assert.equal(attachedOnly.has(arn), got[0] > 0, `OnlyAttached lists ${arn} when attached`);
    assert.equal(boundaryOnly.has(arn), got[1] > 0, `PolicyUsageFilter=PermissionsBoundary lists ${arn} when a boundary`);
    // GetAccountAuthorizationDetails lists AWS managed policies only while the account uses them.
    const inUse = !arn.startsWith('arn:aws:iam::aws:') || got[0] + got[1] > 0;
    assert.deepEqual(details.get(arn), inUse ? got : undefined, `GetAccountAuthorizationDetails agrees for ${arn}`);
    out[arn] = got;
  }
  return out;
}

const expect = (p1: Counts, p2: Counts, s3: Counts) => ({ [P1]: p1, [P2]: p2, [S3_READ_ONLY]: s3 });

for (const backend of BACKENDS) {
  describe(`policy usage counts: ${backend().name}`, () => {
    test('stay exact through attach, detach, boundaries put and deleted, renames and deletions', () =>
      withIam(
        async (iam) => {
          const arns = [P1, P2, S3_READ_ONLY];
          for (const name of ['P1', 'P2']) await iam.call('CreatePolicy', { PolicyName: name, PolicyDocument: policy(allow('s3:ListBucket')) });
          for (const name of ['alice', 'bob']) await iam.call('CreateUser', { UserName: name });
          await iam.call('CreateRole', { RoleName: 'r1', AssumeRolePolicyDocument: trustEc2, PermissionsBoundary: P1 });
          await iam.call('CreateGroup', { GroupName: 'g' });
          assert.deepEqual(await shown(iam, arns), expect([0, 1], [0, 0], [0, 0]));

          await iam.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: P1 });
          await iam.call('AttachRolePolicy', { RoleName: 'r1', PolicyArn: P1 });
          await iam.call('AttachGroupPolicy', { GroupName: 'g', PolicyArn: P1 });
          await iam.call('AttachRolePolicy', { RoleName: 'r1', PolicyArn: S3_READ_ONLY });
          await iam.call('PutUserPermissionsBoundary', { UserName: 'alice', PermissionsBoundary: P1 });
          await iam.call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: S3_READ_ONLY });
          // Attaching twice and a failed attach change nothing.
          await iam.call('AttachUserPolicy', { UserName: 'alice', PolicyArn: P1 });
          await assert.rejects(iam.call('AttachUserPolicy', { UserName: 'nobody', PolicyArn: P1 }));
          assert.deepEqual(await shown(iam, arns), expect([3, 2], [0, 0], [1, 1]));

          // Replacing a boundary moves its use from one policy to the other.
          await iam.call('PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: P2 });
          await iam.call('PutRolePermissionsBoundary', { RoleName: 'r1', PermissionsBoundary: P1 });
          assert.deepEqual(await shown(iam, arns), expect([3, 2], [0, 1], [1, 0]));

          // A rename re-keys the user's attachments and boundary: counts unchanged.
          await iam.call('UpdateUser', { UserName: 'alice', NewUserName: 'alice2' });
          await iam.call('UpdateGroup', { GroupName: 'g', NewGroupName: 'g2' });
          assert.deepEqual(await shown(iam, arns), expect([3, 2], [0, 1], [1, 0]));

          await iam.call('DetachGroupPolicy', { GroupName: 'g2', PolicyArn: P1 });
          await iam.call('DeleteUserPermissionsBoundary', { UserName: 'alice2' });
          assert.deepEqual(await shown(iam, arns), expect([2, 1], [0, 1], [1, 0]));

          // Deleting a user or role takes its boundary use with it.
          await iam.call('DetachUserPolicy', { UserName: 'alice2', PolicyArn: P1 });
          await iam.call('DeleteUser', { UserName: 'alice2' });
          await iam.call('DeleteUser', { UserName: 'bob' });
          assert.deepEqual(await shown(iam, arns), expect([1, 1], [0, 0], [1, 0]));
          for (const arn of [P1, S3_READ_ONLY]) await iam.call('DetachRolePolicy', { RoleName: 'r1', PolicyArn: arn });
          await iam.call('DeleteRole', { RoleName: 'r1' });
          assert.deepEqual(await shown(iam, arns), expect([0, 0], [0, 0], [0, 0]));
          // With no attachment nor boundary left, the policy can go.
          await iam.call('DeletePolicy', { PolicyArn: P1 });
        },
        {},
        backend,
      ));
  });
}

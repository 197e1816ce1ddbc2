// GetAccountAuthorizationDetails reads what a page's entries hold — inline policies, attachments,
// memberships, instance profiles, roles' latest use — for the whole page at once: the number of
// statements a page costs does not grow with the entries on it (on PostgreSQL each is a round trip;
// a page of 100 roles cost 400 of them, 34–44 ms). The answer is the same as before.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createIamOperations } from '../../src/iam/index.ts';
import { callContext, rootCaller } from '../helpers/callers.ts';
import { counting } from '../helpers/counting-tx.ts';
import { allow, policy, trustEc2 } from '../helpers/iam.ts';
import { BACKENDS } from '../store/harness.ts';
import { S3_READ_ONLY, withIam, type Iam } from './harness.ts';

const OWNERS = 12;

async function fill(iam: Iam): Promise<void> {
  const arn = ((await iam.call('CreatePolicy', { PolicyName: 'shared', PolicyDocument: policy(allow('s3:ListBucket')) })).Policy as { Arn: string }).Arn;
  for (let i = 0; i < OWNERS; i++) {
    const n = String(i).padStart(2, '0');
    await iam.call('CreateGroup', { GroupName: `g${n}` });
    await iam.call('PutGroupPolicy', { GroupName: `g${n}`, PolicyName: 'inline', PolicyDocument: policy(allow('s3:GetObject')) });
    await iam.call('AttachGroupPolicy', { GroupName: `g${n}`, PolicyArn: arn });
    await iam.call('CreateRole', { RoleName: `r${n}`, AssumeRolePolicyDocument: trustEc2 });
    await iam.call('PutRolePolicy', { RoleName: `r${n}`, PolicyName: 'inline', PolicyDocument: policy(allow('s3:GetObject')) });
    await iam.call('AttachRolePolicy', { RoleName: `r${n}`, PolicyArn: S3_READ_ONLY });
    await iam.call('CreateInstanceProfile', { InstanceProfileName: `p${n}` });
    await iam.call('AddRoleToInstanceProfile', { InstanceProfileName: `p${n}`, RoleName: `r${n}` });
    await iam.call('CreateUser', { UserName: `u${n}` });
    await iam.call('PutUserPolicy', { UserName: `u${n}`, PolicyName: 'inline', PolicyDocument: policy(allow('s3:GetObject')) });
    await iam.call('AddUserToGroup', { UserName: `u${n}`, GroupName: `g${n}` });
    await iam.call('AttachUserPolicy', { UserName: `u${n}`, PolicyArn: arn });
  }
}

/** One page's answer and the reads it cost, through the operation's own handler in a read view. */
async function page(iam: Iam, input: Record<string, unknown>): Promise<{ out: Record<string, unknown[]>; reads: number }> {
  const op = createIamOperations(iam.deps).find((o) => o.name === 'GetAccountAuthorizationDetails')!;
  return iam.store.read(async (tx) => {
    const c = counting(tx);
    const out = (await op.handle(input, callContext(rootCaller()), c.tx)) as Record<string, unknown[]>;
    return { out, reads: c.reads() };
  });
}

for (const factory of BACKENDS) {
  describe(`GetAccountAuthorizationDetails' reads: ${factory.label}`, () => {
    test('a page costs the same number of reads whether it shows 2 entries of each kind or 12', () =>
      withIam(
        async (iam) => {
          await fill(iam);
          for (const filter of ['Role', 'User', 'Group']) {
            const small = await page(iam, { Filter: [filter], MaxItems: 2 });
            const large = await page(iam, { Filter: [filter], MaxItems: OWNERS });
            const list = `${filter}DetailList`;
            assert.equal(small.out[list]!.length, 2);
            assert.equal(large.out[list]!.length, OWNERS);
            assert.equal(large.reads, small.reads, `${filter}: ${small.reads} reads for 2, ${large.reads} for ${OWNERS}`);
          }
          // What the batched reads found, on the last entry of each kind.
          const all = (await page(iam, { Filter: ['Role', 'User', 'Group'], MaxItems: 3 * OWNERS })).out;
          const role = all.RoleDetailList!.at(-1) as Record<string, unknown>;
          assert.deepEqual((role.RolePolicyList as { PolicyName: string }[]).map((p) => p.PolicyName), ['inline']);
          assert.deepEqual((role.AttachedManagedPolicies as { PolicyArn: string }[]).map((p) => p.PolicyArn), [S3_READ_ONLY]);
          assert.deepEqual((role.InstanceProfileList as { InstanceProfileName: string; Roles: { RoleName: string }[] }[]).map((p) => [p.InstanceProfileName, p.Roles.map((r) => r.RoleName)]), [['p11', ['r11']]]);
          const user = all.UserDetailList!.at(-1) as Record<string, unknown>;
          assert.deepEqual(user.GroupList, ['g11']);
          assert.deepEqual((user.UserPolicyList as { PolicyName: string }[]).map((p) => p.PolicyName), ['inline']);
          assert.equal((user.AttachedManagedPolicies as unknown[]).length, 1);
          const group = all.GroupDetailList!.at(-1) as Record<string, unknown>;
          assert.equal((group.GroupPolicyList as unknown[]).length, 1);
          assert.equal((group.AttachedManagedPolicies as unknown[]).length, 1);
        },
        {},
        factory,
      ));
  });
}

// GetAccountAuthorizationDetails, a page of 100 roles and a page of 100 users, each holding an inline
// policy, an attachment and an instance profile or a group: the handler run in-process in a read
// view on each store, median and best wall time over 25 pages, and the reads (statements) a page
// costs. On PostgreSQL each read is a round trip, so their number is most of a page's time.
//
// `npm run bench -- authorization-details [--quick]`

import { createIamOperations } from '../src/iam/index.ts';
import type { Operation } from '../src/common/call.ts';
import { callContext, rootCaller } from '../test/helpers/callers.ts';
import { counting } from '../test/helpers/counting-tx.ts';
import { allow, policy, trustEc2 } from '../test/helpers/iam.ts';
import { S3_READ_ONLY, withIam, type Iam } from '../test/iam/harness.ts';
import { postgresBackend } from '../test/store/harness.ts';
import { table, type BenchOptions } from './harness.ts';

export const title = 'GetAccountAuthorizationDetails, a page of 100 roles or users: wall ms in-process and reads per page';

const OWNERS = 100;

async function fill(iam: Iam): Promise<void> {
  const inline = policy(allow('s3:GetObject'));
  for (let i = 0; i < OWNERS; i++) {
    const n = String(i).padStart(3, '0');
    await iam.call('CreateRole', { RoleName: `r${n}`, AssumeRolePolicyDocument: trustEc2 });
    await iam.call('PutRolePolicy', { RoleName: `r${n}`, PolicyName: 'inline', PolicyDocument: inline });
    await iam.call('AttachRolePolicy', { RoleName: `r${n}`, PolicyArn: S3_READ_ONLY });
    await iam.call('CreateInstanceProfile', { InstanceProfileName: `p${n}` });
    await iam.call('AddRoleToInstanceProfile', { InstanceProfileName: `p${n}`, RoleName: `r${n}` });
    await iam.call('CreateGroup', { GroupName: `g${n}` });
    await iam.call('CreateUser', { UserName: `u${n}` });
    await iam.call('PutUserPolicy', { UserName: `u${n}`, PolicyName: 'inline', PolicyDocument: inline });
    await iam.call('AttachUserPolicy', { UserName: `u${n}`, PolicyArn: S3_READ_ONLY });
    await iam.call('AddUserToGroup', { UserName: `u${n}`, GroupName: `g${n}` });
  }
}

async function measurePage(iam: Iam, op: Operation, filter: string, pages: number): Promise<string[]> {
  const times: number[] = [];
  let reads = 0;
  for (let i = 0; i < pages; i++) {
    const started = performance.now();
    reads = await iam.store.read(async (tx) => {
      const c = counting(tx);
      await op.handle({ Filter: [filter], MaxItems: OWNERS }, callContext(rootCaller()), c.tx);
      return c.reads();
    });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)]!.toFixed(2), times[0]!.toFixed(2), String(reads)];
}

export async function run(options: BenchOptions): Promise<void> {
  const pages = options.quick ? 7 : 25;
  const rows: string[][] = [];
  for (const store of ['sqlite', 'postgres'] as const) {
    await withIam(
      async (iam) => {
        await fill(iam);
        const op = createIamOperations(iam.deps).find((o) => o.name === 'GetAccountAuthorizationDetails')!;
        for (const filter of ['Role', 'User']) rows.push([store, `a page of ${OWNERS} ${filter.toLowerCase()}s`, ...(await measurePage(iam, op, filter, pages))]);
      },
      {},
      store === 'postgres' ? postgresBackend : undefined,
    );
  }
  console.log(table(['store', 'page', 'median ms', 'best ms', 'reads a page'], rows));
}

// The soak's traffic: a mix of reads and writes across IAM, STS, EC2 and MemoryDB through the real SDK
// clients — reads as an IAM user (so every one is a policy decision), writes as root. Writes cycle
// through a bounded set of names (a user made is later deleted, tags and inline policies overwritten),
// so the account stays the same size and only the event log grows, as it would in service.

import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, GetRoleCommand, IAMClient,
  ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand, TagRoleCommand,
} from '@aws-sdk/client-iam';
import { DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Prng } from '../policy/prng.ts';
import { ROOT, type Credentials } from '../../test/helpers/server.ts';

const ACCOUNT = '123456789012';
const ROLES = 20;
const USER_SLOTS = 200;
const document = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] });

export type Call = () => Promise<unknown>;

export interface Mix {
  /** The next call, as the mix draws it. */
  next(rng: Prng): { name: string; call: Call };
}

export async function prepareMix(url: string): Promise<Mix> {
  const config = (credentials: Credentials = ROOT) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const root = new IAMClient(config());
  for (let i = 0; i < ROLES; i++) {
    await root.send(new CreateRoleCommand({
      RoleName: `soak-r${i}`,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
  }
  await root.send(new CreateUserCommand({ UserName: 'soak-reader' }));
  await root.send(new PutUserPolicyCommand({ UserName: 'soak-reader', PolicyName: 'read', PolicyDocument: document({ Action: ['iam:Get*', 'iam:List*', 'sts:AssumeRole', 'ec2:Describe*', 'memorydb:Describe*'], Resource: '*' }) }));
  const key = (await root.send(new CreateAccessKeyCommand({ UserName: 'soak-reader' }))).AccessKey!;
  const reader = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  await root.send(new CreateUserCommand({ UserName: 'soak-keys' }));

  const iam = new IAMClient(config(reader));
  const sts = new STSClient(config(reader));
  const ec2 = new EC2Client(config(reader));
  const memorydb = new MemoryDBClient(config(reader));
  // A slot is free, taken, or has a request in flight (skipped until it answers).
  const users: ('absent' | 'present' | 'busy')[] = Array(USER_SLOTS).fill('absent');
  const keys: string[] = [];
  let keyBusy = false;

  const userCycle = (rng: Prng): { name: string; call: Call } => {
    const free = users.map((s, i) => (s === 'busy' ? -1 : i)).filter((i) => i >= 0);
    const slot = rng.pick(free);
    const was = users[slot];
    users[slot] = 'busy';
    const name = `soak-u${slot}`;
    const send = () => (was === 'absent' ? root.send(new CreateUserCommand({ UserName: name })) : root.send(new DeleteUserCommand({ UserName: name })));
    return {
      name: was === 'absent' ? 'CreateUser' : 'DeleteUser',
      call: () => send().then(
        (out) => ((users[slot] = was === 'absent' ? 'present' : 'absent'), out),
        (error: unknown) => ((users[slot] = was), Promise.reject(error)),
      ),
    };
  };

  const keyCycle = (): { name: string; call: Call } | undefined => {
    if (keyBusy) return undefined;
    keyBusy = true;
    const release = <T>(p: Promise<T>) => p.finally(() => (keyBusy = false));
    if (keys.length < 2) {
      return { name: 'CreateAccessKey', call: () => release(root.send(new CreateAccessKeyCommand({ UserName: 'soak-keys' })).then((out) => keys.push(out.AccessKey!.AccessKeyId!))) };
    }
    const id = keys.shift()!;
    return { name: 'DeleteAccessKey', call: () => release(root.send(new DeleteAccessKeyCommand({ UserName: 'soak-keys', AccessKeyId: id }))) };
  };

  const role = (rng: Prng) => `soak-r${rng.int(0, ROLES - 1)}`;
  return {
    next(rng) {
      const pick = rng.next();
      if (pick < 0.3) return { name: 'GetRole', call: () => iam.send(new GetRoleCommand({ RoleName: role(rng) })) };
      if (pick < 0.4) return { name: 'ListRoles', call: () => iam.send(new ListRolesCommand({ MaxItems: 20 })) };
      if (pick < 0.5) return { name: 'GetCallerIdentity', call: () => sts.send(new GetCallerIdentityCommand({})) };
      if (pick < 0.55) return { name: 'DescribeVpcs', call: () => ec2.send(new DescribeVpcsCommand({})) };
      if (pick < 0.6) return { name: 'DescribeClusters', call: () => memorydb.send(new DescribeClustersCommand({})) };
      if (pick < 0.65) return { name: 'AssumeRole', call: () => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/${role(rng)}`, RoleSessionName: 'soak' })) };
      if (pick < 0.75) {
        const tag = { Key: `k${rng.int(0, 9)}`, Value: String(rng.int(0, 1e6)) };
        return { name: 'TagRole', call: () => root.send(new TagRoleCommand({ RoleName: role(rng), Tags: [tag] })) };
      }
      if (pick < 0.85) {
        const doc = document({ Action: 'iam:GetRole', Resource: `arn:aws:iam::${ACCOUNT}:role/soak-r${rng.int(0, ROLES - 1)}` });
        return { name: 'PutRolePolicy', call: () => root.send(new PutRolePolicyCommand({ RoleName: role(rng), PolicyName: `p${rng.int(0, 2)}`, PolicyDocument: doc })) };
      }
      if (pick < 0.95) return userCycle(rng);
      return keyCycle() ?? { name: 'GetRole', call: () => iam.send(new GetRoleCommand({ RoleName: role(rng) })) };
    },
  };
}

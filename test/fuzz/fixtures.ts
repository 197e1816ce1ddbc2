// What the policy cases act on, created once per run through the real IAM client: a user, a role and
// a group whose inline policies and trust policy the cases overwrite, a managed policy that gets new
// versions, and a user (with an access key) allowed to assume a role, so that STS AssumeRole reads
// the session policies the cases send. Generic cases never name these, so they stay put.

import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { FIXTURES } from './cases.ts';
import { ACCOUNT } from './values.ts';
import type { SigningCredentials } from './signing.ts';

const document = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

export async function createFixtures(endpoint: string, root: SigningCredentials): Promise<{ caller: SigningCredentials }> {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });
  try {
    const trustAccount = document({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateUserCommand({ UserName: FIXTURES.target }));
    await iam.send(new CreateGroupCommand({ GroupName: FIXTURES.target }));
    await iam.send(new CreateRoleCommand({ RoleName: FIXTURES.target, AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new CreateRoleCommand({ RoleName: FIXTURES.assumable, AssumeRolePolicyDocument: trustAccount }));
    await iam.send(new CreatePolicyCommand({ PolicyName: FIXTURES.policy, PolicyDocument: document({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }) }));
    await iam.send(new CreateUserCommand({ UserName: FIXTURES.caller }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: FIXTURES.caller,
        PolicyName: 'base',
        PolicyDocument: document({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:GetFederationToken'], Resource: '*' }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: FIXTURES.caller }));
    return { caller: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
  } finally {
    iam.destroy();
  }
}

// What the policy cases act on, created once per run through the real IAM client: a user, a role and
// a group whose inline policies and trust policy the cases overwrite, a managed policy that gets new
// versions, and a user (with an access key) allowed to assume a role, so that STS AssumeRole reads
// the session policies the cases send — that user also signs a share of the generic cases, which
// then go through authorization. Generic cases never name these, so they stay put.

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
    // Broad enough that generic cases signed by this user reach the operations, with a condition that
    // some of them fail (so denials are built too); the fixtures themselves are out of its reach.
    await iam.send(
      new PutUserPolicyCommand({
        UserName: FIXTURES.caller,
        PolicyName: 'base',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:RequestTag/team': 'blue' } } },
            { Effect: 'Deny', NotAction: 'sts:*', Resource: ['user', 'role', 'group', 'policy'].map((kind) => `arn:aws:iam::${ACCOUNT}:${kind}/fixture-*`) },
            // Over plain HTTP every read is refused, in each service's own words (AccessDenied, UnauthorizedOperation, …).
            { Effect: 'Deny', Action: ['*:Get*', '*:List*', '*:Describe*', '*:Lookup*'], Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: FIXTURES.caller }));
    return { caller: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } };
  } finally {
    iam.destroy();
  }
}

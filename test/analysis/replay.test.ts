// The paths the analysis finds are real: each escalation path is walked through the running server
// with the real SDK clients — every step made as the principal the step names, with the credentials
// the previous steps yielded — and the walk ends holding admin power, which the attacker's own
// credentials did not have.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  ListUsersCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, policy, sessionCredentials, trust, trustEc2, userWithKey } from '../helpers/iam.ts';
import { rejects } from '../helpers/rejects.ts';
import { accessGraph, escalations, type StepView } from '../../src/analysis/index.ts';
import { analysisSources } from './sources.ts';

let server: TestServer;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const attackers = new Map<string, Credentials>();

before(async () => {
  server = await startServer();
  const iam = server.iam();
  await iam.send(new CreateUserCommand({ UserName: 'admin-user' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'admin-user', PolicyArn: ADMIN }));
  await iam.send(new CreateRoleCommand({ RoleName: 'admin-role', AssumeRolePolicyDocument: trustEc2 }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-role', PolicyArn: ADMIN }));
  const attacker = async (name: string, ...statements: Record<string, unknown>[]) => attackers.set(userArn(name), await userWithKey(iam, name, policy(...statements)));
  await attacker('key-minter', allow('iam:CreateAccessKey', userArn('admin-user')));
  await attacker('self-attacher', allow('iam:AttachUserPolicy', userArn('self-attacher')));
  await attacker('trust-rewriter', allow(['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], roleArn('admin-role')));
  await attacker('climber', allow('sts:AssumeRole', roleArn('hop')));
  await iam.send(new CreateRoleCommand({ RoleName: 'hop', AssumeRolePolicyDocument: trust(userArn('climber')) }));
  await iam.send(new CreateRoleCommand({ RoleName: 'admin-hop', AssumeRolePolicyDocument: trust(roleArn('hop')) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-hop', PolicyArn: ADMIN }));
});
after(() => server.close());

/** Makes one step's call as `as`; returns the credentials held afterwards. */
async function replay(step: StepView, as: Credentials): Promise<Credentials> {
  const iam = server.iam(as);
  switch (step.action) {
    case 'sts:AssumeRole':
      return sessionCredentials((await server.sts(as).send(new AssumeRoleCommand({ RoleArn: step.resource, RoleSessionName: 'replay' }))).Credentials);
    case 'iam:CreateAccessKey': {
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: nameOf(step.resource) }))).AccessKey!;
      return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    }
    case 'iam:AttachUserPolicy':
      await iam.send(new AttachUserPolicyCommand({ UserName: nameOf(step.resource), PolicyArn: step.context['iam:PolicyARN'] as string }));
      return as;
    case 'iam:UpdateAssumeRolePolicy':
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: nameOf(step.resource), PolicyDocument: trust(step.from) }));
      return as;
    default:
      throw new Error(`no replay for ${step.action}`);
  }
}

test('every escalation path found, walked through the server, ends with admin power', async () => {
  const { paths } = escalations(await accessGraph(server.iamd.store, analysisSources(), ACCOUNT));
  const walked = paths.filter((p) => attackers.has(p.principal));
  assert.deepEqual(walked.map((p) => nameOf(p.principal)).sort(), ['climber', 'key-minter', 'self-attacher', 'trust-rewriter']);
  for (const path of walked) {
    const own = attackers.get(path.principal)!;
    // Control: the attacker's own credentials are not admin.
    await rejects(server.iam(own).send(new ListUsersCommand({})), 'AccessDenied');
    let held = own;
    for (const step of path.steps) held = await replay(step, held);
    const users = (await server.iam(held).send(new ListUsersCommand({}))).Users ?? [];
    assert.ok(users.length > 0, `${path.principal} ends its path with admin power`);
  }
});

// The simulator tells the truth: for generated principals — a user with inline and attached policies,
// groups with theirs, and maybe a permissions boundary, or a role with its own, all made through the
// real IAM client — and a small alphabet of requests, SimulatePrincipalPolicy's decision is what the
// server does when that principal makes the request (the user with its own key, the role through a
// session of it): allowed ⇔ the call passes authorization, explicitDeny ⇔ AccessDenied "with an
// explicit deny", implicitDeny ⇔ AccessDenied "because no … allows".

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountSummaryCommand,
  GetGroupCommand,
  GetRoleCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { ACCOUNT } from '../helpers/accounts.ts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { allow, policy, sessionCredentials, trustAccount, trustEc2, userWithKey } from '../helpers/iam.ts';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let root: IAMClient;
/** A user that may assume any role: the generated roles are taken on through it. */
let assumer: Credentials;
before(async () => {
  server = await startServer();
  root = server.iam();
  assumer = await userWithKey(root, 'assumer', policy(allow('sts:AssumeRole')));
  await root.send(new CreateUserCommand({ UserName: 'target' }));
  await root.send(new CreateGroupCommand({ GroupName: 'target-group' }));
  await root.send(new CreateRoleCommand({ RoleName: 'target-role', AssumeRolePolicyDocument: trustEc2 }));
});
after(() => server.close());

const iamArn = (rest: string) => `arn:aws:iam::${ACCOUNT}:${rest}`;

/** Each request: what the server checks (action, resource), and the call that makes it check that. */
const REQUESTS: { action: string; resource: string; call: (iam: IAMClient) => Promise<unknown> }[] = [
  { action: 'iam:GetUser', resource: iamArn('user/target'), call: (iam) => iam.send(new GetUserCommand({ UserName: 'target' })) },
  { action: 'iam:ListUsers', resource: iamArn('user/'), call: (iam) => iam.send(new ListUsersCommand({})) },
  { action: 'iam:GetGroup', resource: iamArn('group/target-group'), call: (iam) => iam.send(new GetGroupCommand({ GroupName: 'target-group' })) },
  { action: 'iam:ListGroups', resource: iamArn('group/'), call: (iam) => iam.send(new ListGroupsCommand({})) },
  { action: 'iam:GetRole', resource: iamArn('role/target-role'), call: (iam) => iam.send(new GetRoleCommand({ RoleName: 'target-role' })) },
  { action: 'iam:ListPolicies', resource: '*', call: (iam) => iam.send(new ListPoliciesCommand({})) },
  { action: 'iam:GetAccountSummary', resource: '*', call: (iam) => iam.send(new GetAccountSummaryCommand({})) },
];

const ACTIONS = ['iam:GetUser', 'iam:Get*', 'iam:List*', 'iam:ListUsers', 'iam:GetGroup', 'iam:GetRole', 'iam:*', '*', 'iam:?etUser', 'iam:GetAccountSummary', 'ec2:*'];
const RESOURCES = ['*', iamArn('user/*'), iamArn('user/target'), iamArn('group/*'), iamArn('role/target-role'), iamArn('*'), iamArn('user/other'), iamArn('group/target-group')];

const statement = fc.record({
  Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
  actions: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
  notAction: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  resources: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 3 }),
  notResource: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
type GeneratedStatement = typeof statement extends fc.Arbitrary<infer T> ? T : never;

const documentOf = (statements: GeneratedStatement[]): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Effect: s.Effect,
      [s.notAction ? 'NotAction' : 'Action']: s.actions,
      [s.notResource ? 'NotResource' : 'Resource']: s.resources,
    })),
  });

const doc = fc.array(statement, { minLength: 1, maxLength: 3 }).map(documentOf);

const principal = fc.record({
  kind: fc.constantFrom('user', 'user', 'role'),
  inline: fc.array(doc, { maxLength: 2 }),
  attached: fc.array(doc, { maxLength: 2 }),
  // Users only: roles have no groups.
  groups: fc.array(fc.record({ inline: fc.array(doc, { maxLength: 1 }), attached: fc.array(doc, { maxLength: 1 }) }), { maxLength: 2 }),
  boundary: fc.option(doc, { nil: undefined }),
});
type GeneratedPrincipal = typeof principal extends fc.Arbitrary<infer T> ? T : never;

let made = 0;

/** Makes the principal through the real API; hands back its ARN and credentials to call as it. */
async function make(p: GeneratedPrincipal): Promise<{ arn: string; credentials: Credentials }> {
  const name = `p${++made}`;
  const managed = async (document: string, i: string) =>
    (await root.send(new CreatePolicyCommand({ PolicyName: `${name}-${i}`, PolicyDocument: document }))).Policy!.Arn!;
  if (p.kind === 'role') {
    await root.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustAccount() }));
    for (const [i, d] of p.inline.entries()) await root.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: `inline${i}`, PolicyDocument: d }));
    for (const [i, d] of p.attached.entries()) await root.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: await managed(d, `attached${i}`) }));
    if (p.boundary !== undefined) await root.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: await managed(p.boundary, 'boundary') }));
    const arn = iamArn(`role/${name}`);
    const session = await server.sts(assumer).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'property' }));
    return { arn, credentials: sessionCredentials(session.Credentials) };
  }
  await root.send(new CreateUserCommand({ UserName: name }));
  for (const [i, d] of p.inline.entries()) await root.send(new PutUserPolicyCommand({ UserName: name, PolicyName: `inline${i}`, PolicyDocument: d }));
  for (const [i, d] of p.attached.entries()) await root.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: await managed(d, `attached${i}`) }));
  for (const [g, group] of p.groups.entries()) {
    const GroupName = `${name}-g${g}`;
    await root.send(new CreateGroupCommand({ GroupName }));
    await root.send(new AddUserToGroupCommand({ GroupName, UserName: name }));
    for (const [i, d] of group.inline.entries()) await root.send(new PutGroupPolicyCommand({ GroupName, PolicyName: `inline${i}`, PolicyDocument: d }));
    for (const [i, d] of group.attached.entries()) await root.send(new AttachGroupPolicyCommand({ GroupName, PolicyArn: await managed(d, `g${g}-attached${i}`) }));
  }
  if (p.boundary !== undefined) await root.send(new PutUserPermissionsBoundaryCommand({ UserName: name, PermissionsBoundary: await managed(p.boundary, 'boundary') }));
  const key = (await root.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { arn: iamArn(`user/${name}`), credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } };
}

/** What the server really did: passed authorization, or refused it and why. */
async function really(call: Promise<unknown>): Promise<'allowed' | 'explicitDeny' | 'implicitDeny'> {
  try {
    await call;
    return 'allowed';
  } catch (e) {
    const error = e as Error;
    assert.equal(error.name, 'AccessDenied', error.message);
    return / with an explicit deny in /.test(error.message) ? 'explicitDeny' : 'implicitDeny';
  }
}

test('SimulatePrincipalPolicy decides every request as the server does when the user or role makes it', async () => {
  await fc.assert(
    fc.asyncProperty(principal, async (p) => {
      const { arn, credentials } = await make(p);
      const own = server.iam(credentials);
      // One simulation of every action on every resource; each request reads its own resource's result.
      const simulated = await root.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: arn,
          ActionNames: [...new Set(REQUESTS.map((r) => r.action))],
          ResourceArns: [...new Set(REQUESTS.map((r) => r.resource))],
        }),
      );
      for (const request of REQUESTS) {
        const result = simulated.EvaluationResults!.find((r) => r.EvalActionName === request.action)!;
        const decision = result.ResourceSpecificResults!.find((r) => r.EvalResourceName === request.resource)!.EvalResourceDecision;
        assert.equal(decision, await really(request.call(own)), `${request.action} on ${request.resource}`);
      }
    }),
    // Each run makes a principal through ~20 real calls: a few runs keep the test to seconds;
    // IAMD_SIMULATOR_RUNS=<n> explores more.
    { numRuns: Number(process.env.IAMD_SIMULATOR_RUNS ?? 8) },
  );
});

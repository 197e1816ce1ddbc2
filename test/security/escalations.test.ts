// The privilege-escalation suite: low-privilege users and role sessions try, over the real SDK clients,
// every way up that IAM is known for — Rhino Security Labs' IAM methods, permissions boundaries and
// iam:PermissionsBoundary, service-linked-role protections and the linked services, STS trust, session
// policies, tags, chaining, signatures and tokens, cross-account, explicit deny / NotAction /
// NotResource, and condition keys spoofed through request parameters and headers. Each attempt must be
// refused and leave the account as root reads it; each group has controls that must succeed, so the
// suite cannot pass against a server that refuses everything.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteServiceLinkedRoleCommand,
  DeleteUserPermissionsBoundaryCommand,
  GetRoleCommand,
  GetUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateClusterCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { ACCOUNT, OTHER_ACCOUNT } from '../helpers/accounts.ts';
import { allow, deny, newAccount, policy, sessionCredentials, trust, trustAccount, userWithKey } from '../helpers/iam.ts';
import { accessDenied, attempts, attemptsRefused } from './harness.ts';

let server: TestServer;
let iam: IAMClient;
let refused: ReturnType<typeof attempts>;

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const MEMORYDB_POLICY = 'arn:aws:iam::aws:policy/aws-service-role/MemoryDBServiceRolePolicy';
const userArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:user/${name}`;
const roleArn = (name: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${name}`;
const policyArn = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const UNMODIFIABLE = { name: 'UnmodifiableEntityException', status: 400 };

before(async () => {
  server = await startServer();
  iam = server.iam();
  refused = attempts(server);
  // The prizes: an admin group, an admin role, and a managed policy in use by the attacker.
  await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: ADMIN }));
  await iam.send(new CreateRoleCommand({ RoleName: 'admin-role', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'admin-role', PolicyArn: ADMIN }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'mine', PolicyDocument: policy(allow('iam:Get*')) }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'theirs', PolicyDocument: policy(allow('iam:Get*')) }));
});
after(() => server.close());

/** A user with one inline policy and a key: the attacker. */
const attacker = (name: string, ...statements: Record<string, unknown>[]) => userWithKey(iam, name, statements.length ? policy(...statements) : undefined);

describe("Rhino Security Labs' IAM escalation methods", () => {
  let mallory: Credentials;
  let as: IAMClient;
  before(async () => {
    // Allowed a little on herself and on her own policy, nothing more.
    mallory = await attacker(
      'mallory',
      allow(['iam:CreateAccessKey', 'iam:PutUserPolicy', 'iam:AttachUserPolicy'], userArn('mallory-other')),
      allow(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], policyArn('theirs')),
      allow('iam:AddUserToGroup', `arn:aws:iam::${ACCOUNT}:group/helpdesk`),
      allow('iam:UpdateAssumeRolePolicy', roleArn('helpdesk-role')),
      allow('iam:AttachUserPolicy', userArn('mallory'), { Condition: { ArnEquals: { 'iam:PolicyARN': policyArn('mine') } } }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: policyArn('mine') }));
    as = server.iam(mallory);
  });

  test('1. CreatePolicyVersion on a policy attached to herself', async () => {
    await refused(() => as.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn('mine'), PolicyDocument: policy(allow('*')), SetAsDefault: true })), accessDenied());
  });
  test('2. SetDefaultPolicyVersion back to a broader version', async () => {
    await refused(() => as.send(new SetDefaultPolicyVersionCommand({ PolicyArn: policyArn('mine'), VersionId: 'v1' })), accessDenied());
  });
  test('3. CreateAccessKey for another (admin) user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'admin-user' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'admin-user' }));
    await refused(() => as.send(new CreateAccessKeyCommand({ UserName: 'admin-user' })), accessDenied());
  });
  test('4. AttachUserPolicy AdministratorAccess to herself', async () => {
    await refused(() => as.send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: ADMIN })), accessDenied());
  });
  test('5. AttachGroupPolicy on a group she belongs to', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'mallorys-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'mallorys-group', UserName: 'mallory' }));
    await refused(() => as.send(new AttachGroupPolicyCommand({ GroupName: 'mallorys-group', PolicyArn: ADMIN })), accessDenied());
  });
  test('6. AttachRolePolicy on a role she may assume', async () => {
    await refused(() => as.send(new AttachRolePolicyCommand({ RoleName: 'helpdesk-role', PolicyArn: ADMIN })), accessDenied());
  });
  test('7. PutUserPolicy on herself', async () => {
    await refused(() => as.send(new PutUserPolicyCommand({ UserName: 'mallory', PolicyName: 'up', PolicyDocument: policy(allow('*')) })), accessDenied());
  });
  test('8. PutGroupPolicy on her group', async () => {
    await refused(() => as.send(new PutGroupPolicyCommand({ GroupName: 'mallorys-group', PolicyName: 'up', PolicyDocument: policy(allow('*')) })), accessDenied());
  });
  test('9. PutRolePolicy on a role', async () => {
    await refused(() => as.send(new PutRolePolicyCommand({ RoleName: 'admin-role', PolicyName: 'up', PolicyDocument: policy(allow('*')) })), accessDenied());
  });
  test('10. AddUserToGroup: herself into the admins', async () => {
    await refused(() => as.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'mallory' })), accessDenied());
  });
  test('11. UpdateAssumeRolePolicy on the admin role to trust herself', async () => {
    await refused(() => as.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'admin-role', PolicyDocument: trust(userArn('mallory')) })), accessDenied());
  });
  test('12. assume the admin role without being trusted', async () => {
    const sts = server.sts(await attacker('mallory-sts', allow('sts:AssumeRole')));
    await refused(() => sts.send(new AssumeRoleCommand({ RoleArn: roleArn('admin-role'), RoleSessionName: 'up' })), accessDenied());
  });
  test('controls: what she was given still works', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'mallory-other' }));
    await as.send(new CreateAccessKeyCommand({ UserName: 'mallory-other' }));
    await as.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn('theirs'), PolicyDocument: policy(allow('iam:List*')) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'helpdesk' }));
    await as.send(new AddUserToGroupCommand({ GroupName: 'helpdesk', UserName: 'mallory-other' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'helpdesk-role', AssumeRolePolicyDocument: trustAccount() }));
    await as.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'helpdesk-role', PolicyDocument: trust(userArn('mallory')) }));
    // Attaching her own policy passes the iam:PolicyARN condition; AdministratorAccess did not.
    await as.send(new AttachUserPolicyCommand({ UserName: 'mallory', PolicyArn: policyArn('mine') }));
  });
});

describe('permissions boundaries and iam:PermissionsBoundary', () => {
  const BOUNDARY = () => policyArn('boundary');
  const delegated = (action: string) => allow(action, '*', { Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY() } } });
  let creator: IAMClient;
  before(async () => {
    await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: policy(allow(['iam:Get*', 'iam:List*', 'sts:*'])) }));
    creator = server.iam(await attacker('creator', delegated('iam:CreateUser'), delegated('iam:CreateRole'), delegated('iam:PutUserPermissionsBoundary'), allow('iam:PutUserPolicy', userArn('bounded-*'))));
  });

  test('13. a boundary caps what identity policies allow', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: BOUNDARY() }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bounded', PolicyName: 'all', PolicyDocument: policy(allow('*')) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bounded' }))).AccessKey!;
    const bounded = server.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    await refused(() => bounded.send(new CreateUserCommand({ UserName: 'from-bounded' })), accessDenied(/because no permissions boundary allows the iam:CreateUser action/));
    await refused(() => bounded.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bounded' })), accessDenied());
    await refused(() => bounded.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded', PermissionsBoundary: ADMIN })), accessDenied());
    // Control: what both allow.
    await bounded.send(new GetRoleCommand({ RoleName: 'admin-role' }));
  });
  test('14. CreateUser without the required boundary', async () => {
    await refused(() => creator.send(new CreateUserCommand({ UserName: 'unbounded' })), accessDenied());
  });
  test('15. CreateUser with another boundary', async () => {
    await refused(() => creator.send(new CreateUserCommand({ UserName: 'wider', PermissionsBoundary: ADMIN })), accessDenied());
  });
  test('16. CreateRole without the required boundary', async () => {
    await refused(() => creator.send(new CreateRoleCommand({ RoleName: 'unbounded-role', AssumeRolePolicyDocument: trustAccount() })), accessDenied());
  });
  test('17. swap a created user\'s boundary for AdministratorAccess', async () => {
    await creator.send(new CreateUserCommand({ UserName: 'bounded-child', PermissionsBoundary: BOUNDARY() }));
    await refused(() => creator.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded-child', PermissionsBoundary: ADMIN })), accessDenied());
  });
  test('controls: with the required boundary the delegation works', async () => {
    await creator.send(new CreateUserCommand({ UserName: 'bounded-ok', PermissionsBoundary: BOUNDARY() }));
    await creator.send(new CreateRoleCommand({ RoleName: 'bounded-role', AssumeRolePolicyDocument: trustAccount(), PermissionsBoundary: BOUNDARY() }));
    await creator.send(new PutUserPolicyCommand({ UserName: 'bounded-ok', PolicyName: 'p', PolicyDocument: policy(allow('*')) }));
  });
});

describe('service-linked roles and the linked services', () => {
  let admin: IAMClient;
  const ROLE = 'AWSServiceRoleForMemoryDB';
  before(async () => {
    admin = server.iam(await attacker('slr-admin', allow('*')));
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'memorydb.amazonaws.com' }));
  });

  test('18. an administrator cannot delete the role outside its deletion task', async () => {
    await refused(() => admin.send(new DeleteRoleCommand({ RoleName: ROLE })), UNMODIFIABLE);
  });
  test('19. nor change its trust policy to let herself in', async () => {
    await refused(() => admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: ROLE, PolicyDocument: trust(userArn('slr-admin')) })), UNMODIFIABLE);
  });
  test('20. nor attach AdministratorAccess to it', async () => {
    await refused(() => admin.send(new AttachRolePolicyCommand({ RoleName: ROLE, PolicyArn: ADMIN })), UNMODIFIABLE);
  });
  test('21. nor give it an inline policy', async () => {
    await refused(() => admin.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'more', PolicyDocument: policy(allow('*')) })), UNMODIFIABLE);
  });
  test('22. nor lift its session limit', async () => {
    await refused(() => admin.send(new UpdateRoleCommand({ RoleName: ROLE, MaxSessionDuration: 43200 })), UNMODIFIABLE);
  });
  test('23. nor assume it', async () => {
    const sts = server.sts(await attacker('slr-assumer', allow('sts:*')));
    await refused(() => sts.send(new AssumeRoleCommand({ RoleArn: roleArn(`aws-service-role/memorydb.amazonaws.com/${ROLE}`), RoleSessionName: 'svc' })), accessDenied());
  });
  test('24. the service\'s own policy attaches to nothing else', async () => {
    await refused(() => admin.send(new AttachUserPolicyCommand({ UserName: 'slr-admin', PolicyArn: MEMORYDB_POLICY })), { name: 'PolicyNotAttachableException', status: 400 });
    await refused(() => admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'admin-role', PermissionsBoundary: MEMORYDB_POLICY })), { name: 'PolicyNotAttachableException', status: 400 });
  });
  test('25. a user who may call MemoryDB but not create its role creates neither role nor cluster', async () => {
    const other = await newAccount(server, OTHER_ACCOUNT);
    await server.iam(other).send(new CreateUserCommand({ UserName: 'dev' }));
    await server.iam(other).send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'p', PolicyDocument: policy(allow('memorydb:*')) }));
    const key = (await server.iam(other).send(new CreateAccessKeyCommand({ UserName: 'dev' }))).AccessKey!;
    const dev = server.client(MemoryDBClient, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    const roleRefused = /is not authorized to perform: iam:CreateServiceLinkedRole/;
    await assert.rejects(dev.send(new CreateClusterCommand({ ClusterName: 'c1', NodeType: 'db.t4g.small', ACLName: 'open-access' })), roleRefused);
    await assert.rejects(server.iam(other).send(new GetRoleCommand({ RoleName: ROLE })), /cannot be found/);
  });
  test('26. CreateServiceLinkedRole needs its permission, and the service name condition holds', async () => {
    const narrow = server.iam(await attacker('slr-narrow', allow('iam:CreateServiceLinkedRole', '*', { Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticache.amazonaws.com' } } })));
    await refused(() => narrow.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'mq.amazonaws.com' })), accessDenied());
    await refused(() => narrow.send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE })), accessDenied());
    // Control: the service it names.
    await narrow.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticache.amazonaws.com' }));
  });
  test('controls: the description can be edited and tags set', async () => {
    await admin.send(new UpdateRoleDescriptionCommand({ RoleName: ROLE, Description: 'edited' }));
    await admin.send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'k', Value: 'v' }] }));
  });
});

describe('STS: trust, session policies, tags, chaining, signatures and tokens', () => {
  let sts: STSClient;
  before(async () => {
    sts = server.sts(await attacker('sts-user', allow(['sts:*', 'iam:Get*'])));
    await iam.send(new CreateRoleCommand({
      RoleName: 'needs-external-id',
      AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'secret-id' } } }),
    }));
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trustAccount(), MaxSessionDuration: 43200 }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'p', PolicyDocument: policy(allow(['iam:*', 'sts:AssumeRole'])) }));
  });
  const assume = (RoleName: string, extra: Record<string, unknown> = {}, client = sts) =>
    client.send(new AssumeRoleCommand({ RoleArn: roleArn(RoleName), RoleSessionName: 'attempt', ...extra }));

  test('27. without the ExternalId the trust demands', async () => {
    await refused(() => assume('needs-external-id'), accessDenied());
  });
  test('28. with a wrong ExternalId', async () => {
    await refused(() => assume('needs-external-id', { ExternalId: 'guess' }), accessDenied());
  });
  test('29. a session policy narrows the session for good', async () => {
    const narrow = sessionCredentials((await assume('worker', { Policy: policy(allow('iam:GetRole')) })).Credentials);
    await refused(() => server.iam(narrow).send(new CreateUserCommand({ UserName: 'from-narrow' })), accessDenied(/because no session policy allows the iam:CreateUser action/));
  });
  test('30. a chained session cannot outlive the one-hour chaining limit', async () => {
    const first = sessionCredentials((await assume('worker')).Credentials);
    await refused(() => assume('worker', { DurationSeconds: 7200 }, server.sts(first)), { name: 'ValidationError', status: 400 });
  });
  test('31. session tags need sts:TagSession in the trust policy', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'no-tags', AssumeRolePolicyDocument: trustAccount() }));
    await refused(() => assume('no-tags', { Tags: [{ Key: 'team', Value: 'admins' }] }), accessDenied(/sts:TagSession/));
  });
  test('32. a chain cannot override a transitive tag', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:root`, ['sts:AssumeRole', 'sts:TagSession']) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'tagged', PolicyName: 'p', PolicyDocument: policy(allow('sts:*')) }));
    const first = sessionCredentials((await assume('tagged', { Tags: [{ Key: 'project', Value: 'a' }], TransitiveTagKeys: ['project'] })).Credentials);
    await refused(() => assume('tagged', { Tags: [{ Key: 'Project', Value: 'b' }] }, server.sts(first)), { name: 'InvalidParameterValue', status: 400 });
  });
  test('33. a request signed with the wrong secret', async () => {
    const forged = server.iam({ accessKeyId: 'test', secretAccessKey: 'not-the-secret' });
    await refused(() => forged.send(new CreateUserCommand({ UserName: 'forged' })), { name: 'SignatureDoesNotMatch', status: 403 });
  });
  test('34. a session key with another session\'s token', async () => {
    const a = sessionCredentials((await assume('worker')).Credentials);
    const b = sessionCredentials((await assume('worker')).Credentials);
    await refused(() => server.iam({ ...a, sessionToken: b.sessionToken }).send(new CreateUserCommand({ UserName: 'mixed' })), { name: 'InvalidClientTokenId', status: 403 });
  });
  test('35. a session key without its token', async () => {
    const a = sessionCredentials((await assume('worker')).Credentials);
    await refused(() => server.iam({ accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey }).send(new CreateUserCommand({ UserName: 'tokenless' })), { name: 'InvalidClientTokenId', status: 403 });
  });
  test('controls: the right ExternalId, the tag permission, a full session', async () => {
    await assume('needs-external-id', { ExternalId: 'secret-id' });
    await assume('tagged', { Tags: [{ Key: 'project', Value: 'a' }] });
    const full = sessionCredentials((await assume('worker')).Credentials);
    await server.iam(full).send(new CreateUserCommand({ UserName: 'from-worker' }));
  });
});

describe('across accounts', () => {
  let outsider: Credentials;
  before(async () => {
    const other = server.iam(await newAccount(server, '345678901234'));
    await other.send(new CreateUserCommand({ UserName: 'outsider' }));
    await other.send(new PutUserPolicyCommand({ UserName: 'outsider', PolicyName: 'p', PolicyDocument: policy(allow('*')) }));
    const key = (await other.send(new CreateAccessKeyCommand({ UserName: 'outsider' }))).AccessKey!;
    outsider = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await iam.send(new CreateRoleCommand({ RoleName: 'shared-with-outsider', AssumeRolePolicyDocument: trust(userArn('outsider', '345678901234')) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'trusts-this-account', AssumeRolePolicyDocument: trustAccount() }));
  });

  test('36. an administrator of another account assumes a role that trusts only this account', async () => {
    await refused(() => server.sts(outsider).send(new AssumeRoleCommand({ RoleArn: roleArn('trusts-this-account'), RoleSessionName: 'xa' })), accessDenied());
  });
  test('37. she attaches this account\'s customer policy to herself', async () => {
    await refused(() => server.iam(outsider).send(new AttachUserPolicyCommand({ UserName: 'outsider', PolicyArn: policyArn('mine') })), { name: 'NoSuchEntityException', status: 404 });
  });
  test('38. her administrator rights give her nothing in this account', async () => {
    // IAM acts on the caller's own account: her CreateUser makes a user there, never here.
    await server.iam(outsider).send(new CreateUserCommand({ UserName: 'outsiders-own' }));
    await refused(() => iam.send(new GetUserCommand({ UserName: 'outsiders-own' })), { name: 'NoSuchEntityException', status: 404 });
  });
  test('control: the role that names her', async () => {
    const out = await server.sts(outsider).send(new AssumeRoleCommand({ RoleArn: roleArn('shared-with-outsider'), RoleSessionName: 'xa' }));
    assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/shared-with-outsider/xa`);
  });
});

describe('explicit deny, NotAction, NotResource', () => {
  test('39. Allow * with Deny iam:*', async () => {
    const u = server.iam(await attacker('denied-iam', allow('*'), deny('iam:*')));
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x1' })), accessDenied(/with an explicit deny in an identity-based policy/));
  });
  test('40. a Deny written in another case still denies', async () => {
    const u = server.iam(await attacker('denied-case', allow('*'), deny('IAM:createUSER')));
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x2' })), accessDenied(/explicit deny/));
  });
  test('41. Allow with NotAction iam:* grants no IAM action', async () => {
    const u = server.iam(await attacker('not-action', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }));
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x3' })), accessDenied());
    // Control: everything else.
    await server.sts(await attacker('not-action-sts', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })).send(new GetCallerIdentityCommand({}));
  });
  test('42. Allow iam:* on NotResource admin* reaches no admin', async () => {
    const u = server.iam(await attacker('not-resource', { Effect: 'Allow', Action: 'iam:*', NotResource: [userArn('admin*'), roleArn('admin*')] }));
    await refused(() => u.send(new CreateAccessKeyCommand({ UserName: 'admin-user' })), accessDenied());
    await refused(() => u.send(new AttachRolePolicyCommand({ RoleName: 'admin-role', PolicyArn: ADMIN })), accessDenied());
    // Control: other users.
    await u.send(new CreateUserCommand({ UserName: 'plain-user' }));
  });
  test('43. Deny with NotAction leaves only what it names', async () => {
    const u = server.iam(await attacker('deny-not-action', allow('*'), { Effect: 'Deny', NotAction: 'iam:Get*', Resource: '*' }));
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x4' })), accessDenied(/explicit deny/));
    await u.send(new GetRoleCommand({ RoleName: 'admin-role' }));
  });
});

describe('condition keys spoofed through request parameters and headers', () => {
  /** A client whose requests carry `headers`, added before signing so they are signed too. */
  function withHeaders(client: IAMClient, headers: Record<string, string>): IAMClient {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers: Record<string, string> };
        Object.assign(request.headers, headers);
        return next(args);
      },
      { step: 'build', name: 'spoofHeaders' },
    );
    return client;
  }

  test('44. X-Forwarded-For does not change aws:SourceIp', async () => {
    const u = await attacker('from-vpn', allow('iam:CreateUser', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    await refused(() => withHeaders(server.iam(u), { 'X-Forwarded-For': '10.1.2.3' }).send(new CreateUserCommand({ UserName: 'x5' })), accessDenied());
    // Control: the caller's real address.
    const local = await attacker('from-loopback', allow('iam:CreateUser', '*', { Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }));
    await server.iam(local).send(new CreateUserCommand({ UserName: 'x5-ok' }));
  });
  test('45. X-Forwarded-Proto does not make plain HTTP secure transport', async () => {
    const u = await attacker('tls-only', allow('iam:CreateUser', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }));
    await refused(() => withHeaders(server.iam(u), { 'X-Forwarded-Proto': 'https' }).send(new CreateUserCommand({ UserName: 'x6' })), accessDenied());
  });
  test('46. a request tag in another case does not satisfy aws:RequestTag', async () => {
    const u = server.iam(await attacker('tag-gated', allow(['iam:CreateRole', 'iam:TagRole'], '*', { Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' } } })));
    await refused(() => u.send(new CreateRoleCommand({ RoleName: 'r1', AssumeRolePolicyDocument: trustAccount(), Tags: [{ Key: 'team', Value: 'red' }] })), accessDenied());
    await refused(
      () => u.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: trustAccount(), Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'TEAM', Value: 'red' }] })),
      accessDenied(),
    );
    // The other order satisfies the condition, and the duplicate key is refused on its own.
    await refused(
      () => u.send(new CreateRoleCommand({ RoleName: 'r2', AssumeRolePolicyDocument: trustAccount(), Tags: [{ Key: 'TEAM', Value: 'red' }, { Key: 'team', Value: 'blue' }] })),
      { name: 'InvalidInputException', status: 400 },
    );
    // Control.
    await u.send(new CreateRoleCommand({ RoleName: 'r3', AssumeRolePolicyDocument: trustAccount(), Tags: [{ Key: 'team', Value: 'blue' }] }));
  });
  test('47. an extra tag key escapes no ForAllValues:StringEquals aws:TagKeys', async () => {
    const u = server.iam(await attacker('tagkeys', allow('iam:TagUser', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } })));
    await iam.send(new CreateUserCommand({ UserName: 'tag-target' }));
    await refused(() => u.send(new TagUserCommand({ UserName: 'tag-target', Tags: [{ Key: 'team', Value: 'a' }, { Key: 'admin', Value: 'true' }] })), accessDenied());
    await u.send(new TagUserCommand({ UserName: 'tag-target', Tags: [{ Key: 'team', Value: 'a' }] }));
  });
  test('48. aws:PrincipalTag cannot be set by tagging herself without permission', async () => {
    const u = server.iam(await attacker('wants-tag', allow('iam:CreateUser', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/role': 'admin' } } })));
    await refused(() => u.send(new TagUserCommand({ UserName: 'wants-tag', Tags: [{ Key: 'role', Value: 'admin' }] })), accessDenied());
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x7' })), accessDenied());
  });
  test('49. iam:PermissionsBoundary spelled with another case is another boundary', async () => {
    const u = server.iam(await attacker('boundary-case', allow('iam:CreateUser', '*', { Condition: { StringEquals: { 'iam:PermissionsBoundary': policyArn('boundary') } } })));
    await refused(() => u.send(new CreateUserCommand({ UserName: 'x8', PermissionsBoundary: policyArn('BOUNDARY') })), { name: 'AccessDenied', status: 403 });
  });
  test('50. a role removed from its boundary by someone not allowed to', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'kept-bounded', AssumeRolePolicyDocument: trustAccount(), PermissionsBoundary: policyArn('boundary') }));
    const u = server.iam(await attacker('unbounder', allow('iam:*', '*', { Condition: { StringNotEquals: { 'iam:PermissionsBoundary': policyArn('boundary') } } })));
    await refused(() => u.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'kept-bounded' })), accessDenied());
  });
});

test('the suite made at least 40 refused attempts, each checked against the account as root reads it', () => {
  assert.ok(attemptsRefused >= 40, `only ${attemptsRefused} attempts`);
});

// Shared by the end-to-end suites: policy documents (policy() is a whole document as JSON text,
// allow() and deny() one statement of it), users with keys made through the real IAM client, other
// accounts, session credentials from an STS answer, a reader for IAM's URL-encoded documents, and
// service-linked role deletion awaited to its end.

import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteServiceLinkedRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  PutUserPolicyCommand,
  type GetServiceLinkedRoleDeletionStatusCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import { createAccount } from '../../src/iam/index.ts';
import { ACCOUNT } from './accounts.ts';
import { eventually } from './eventually.ts';
import type { Credentials, TestServer } from './server.ts';

type Statement = Record<string, unknown>;

export const policy = (...statements: Statement[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export const allow = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});

export const deny = (action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});

/** A trust policy letting `principal` (an ARN, or a service when it ends in amazonaws.com) assume. */
export function trust(principal: string, actions: string | string[] = 'sts:AssumeRole'): string {
  const who = principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal };
  return policy({ Effect: 'Allow', Principal: who, Action: actions });
}

export const trustEc2 = trust('ec2.amazonaws.com');
export const trustAccount = (account = ACCOUNT) => trust(`arn:aws:iam::${account}:root`);

/** A user (optionally with one inline policy) and an access key of its own. */
export async function userWithKey(iam: IAMClient, name: string, inline?: string): Promise<Credentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (inline) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'inline', PolicyDocument: inline }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

/** A user of ACCOUNT (made by its root) with one inline policy and a key, and the ARN denials name it by. */
export async function userWithPolicy(server: TestServer, name: string, document: string): Promise<Credentials & { arn: string }> {
  return { ...(await userWithKey(server.iam(), name, document)), arn: `arn:aws:iam::${ACCOUNT}:user/${name}` };
}

export function sessionCredentials(c: StsCredentials | undefined): Credentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('the answer carries no session credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDKs hand them over as they came. */
export const decodeDocument = (text: string | undefined): unknown => JSON.parse(decodeURIComponent(text ?? ''));

/** Another account in the same iamd, with root keys of its own (made as `iamd accounts create` does). */
export async function newAccount(server: TestServer, accountId: string): Promise<Credentials> {
  const keys = { accessKeyId: `AKIA${accountId}ROOT`, secretAccessKey: `secret-${accountId}` };
  await server.iamd.store.transaction((tx) => createAccount(tx, server.iamd.secrets, accountId, keys));
  return keys;
}

let accountsMade = 0;

/** An account no other call in this process made, with its root keys and IAM client: quotas and counts of its own. */
export async function freshAccount(server: TestServer): Promise<{ account: string; credentials: Credentials; iam: IAMClient }> {
  const account = String(200_000_000_000 + ++accountsMade);
  const credentials = await newAccount(server, account);
  return { account, credentials, iam: server.iam(credentials) };
}

/** Asks for a service-linked role's deletion and waits for the task's end: FAILED while a resource still uses the role. */
export async function deleteServiceLinkedRole(iam: IAMClient, RoleName: string): Promise<GetServiceLinkedRoleDeletionStatusCommandOutput> {
  const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName }));
  return eventually(
    `the deletion task of ${RoleName} ends`,
    () => iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId })),
    (answer) => answer.Status === 'SUCCEEDED' || answer.Status === 'FAILED',
  );
}

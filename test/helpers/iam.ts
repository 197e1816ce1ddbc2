// Shared by the end-to-end suites: policy documents, users with keys made through the
// real IAM client, session credentials from an STS answer, and a reader for IAM's URL-encoded
// policy documents.

import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { Credentials as StsCredentials } from '@aws-sdk/client-sts';
import { createAccount } from '../../src/iam/index.ts';
import type { Credentials, TestServer } from './server.ts';

export const ACCOUNT = '123456789012';

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

export function sessionCredentials(c: StsCredentials | undefined): Credentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('the answer carries no session credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** IAM returns policy documents URL-encoded (RFC 3986); the SDKs hand them over as they came. */
export const decodeDocument = (text: string | undefined): unknown => JSON.parse(decodeURIComponent(text ?? ''));

/** Polls `read` until `done` holds for its result (state written in the background, e.g. key use). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 40): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/** Another account in the same iamd, with root keys of its own (made as `iamd accounts create` does). */
export async function newAccount(server: TestServer, accountId: string): Promise<Credentials> {
  const keys = { accessKeyId: `AKIA${accountId}ROOT`, secretAccessKey: `secret-${accountId}` };
  await server.iamd.store.transaction((tx) => createAccount(tx, server.iamd.secrets, accountId, keys));
  return keys;
}

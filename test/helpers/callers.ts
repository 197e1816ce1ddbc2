// Callers and call contexts as authentication makes them, for tests that call operations, the
// dispatcher or a linked service in-process instead of over HTTP.

import { randomUUID } from 'node:crypto';
import type { CallContext, Caller } from '../../src/common/call.ts';
import { ACCOUNT } from './accounts.ts';

export function rootCaller(account = ACCOUNT): Caller {
  return { account, principal: { kind: 'root', arn: `arn:aws:iam::${account}:root`, account }, userId: account, tags: {} };
}

/** An IAM user signing with its own key; what it may do is what its policies in the store allow. */
export function userCaller(name: string, account = ACCOUNT): Caller {
  return {
    account,
    principal: { kind: 'user', arn: `arn:aws:iam::${account}:user/${name}`, account },
    userId: 'AIDAEXAMPLE',
    userName: name,
    identity: { type: 'user', name },
    tags: {},
  };
}

/** A session of role `name` (session name `s`), judged by the role's policies in the store. */
export function roleCaller(name: string, account = ACCOUNT): Caller {
  return {
    account,
    principal: { kind: 'assumed-role', arn: `arn:aws:sts::${account}:assumed-role/${name}/s`, account, roleArn: `arn:aws:iam::${account}:role/${name}` },
    userId: 'AROAEXAMPLE:s',
    identity: { type: 'role', name },
    tags: {},
  };
}

/** A request of `caller` in its own account, from loopback, in us-east-1, now; `extra` overrides any of it. */
export function callContext(caller: Caller, extra: Partial<CallContext> = {}): CallContext {
  return {
    requestId: randomUUID(),
    caller,
    account: caller.account,
    region: 'us-east-1',
    now: new Date(),
    sourceIp: '127.0.0.1',
    secureTransport: false,
    ...extra,
  };
}

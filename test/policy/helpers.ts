// Shared test helpers: policies go through the real parser (parsePolicy) and compiler, so the
// evaluator is tested on exactly what production gives it.

import { compilePolicy, type CompiledPolicyDocument } from '../../src/policy/index.ts';
import { parsePolicy } from '../../src/policy/parse.ts';
import type { ContextValues, PolicyKind, RequestPrincipal } from '../../src/policy/types.ts';
import { ACCOUNT } from '../helpers/accounts.ts';

/** Parse (must succeed) and compile a policy document given as an object or JSON text. */
export function compiled(document: unknown, kind: PolicyKind = 'identity', label = `${kind}-policy`): CompiledPolicyDocument {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  const parsed = parsePolicy(text, kind);
  if (!parsed.ok) throw new Error(`test policy does not parse: ${parsed.error.code}: ${parsed.error.message}\n${text}`);
  return compilePolicy(parsed.policy, label);
}

/** A 2012-10-17 policy holding `statements`. */
export function doc(...statements: object[]): object {
  return { Version: '2012-10-17', Statement: statements };
}

export function user(name = 'alice', account = ACCOUNT): RequestPrincipal {
  return { kind: 'user', arn: `arn:aws:iam::${account}:user/${name}`, account };
}

export function roleSession(role = 'R', session = 's', account = ACCOUNT, path = '/'): RequestPrincipal {
  return {
    kind: 'assumed-role',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    account,
    roleArn: `arn:aws:iam::${account}:role${path}${role}`,
  };
}

export function root(account = ACCOUNT): RequestPrincipal {
  return { kind: 'root', arn: `arn:aws:iam::${account}:root`, account };
}

export function service(name: string): RequestPrincipal {
  return { kind: 'service', arn: name };
}

export function request(
  principal: RequestPrincipal,
  action: string,
  resource: string,
  context: ContextValues = {},
  resourceAccount?: string,
) {
  return { principal, action, resource, context, ...(resourceAccount ? { resourceAccount } : {}) };
}

// Reads one authorization request as the policy tools take it on the command line:
//   {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
//    "resource": "arn:aws:s3:::bucket/key", "context": {"aws:SecureTransport": true}}
// and turns it into the engine's `AuthzRequest`. Unknown fields are refused: a misspelt "Context" would
// otherwise silently evaluate a request without its context.

import type { AuthzRequest, ContextValues, RequestPrincipal } from '../policy/types.ts';

/** Input that cannot be read as a request; the message says what and where. */
export class RequestInputError extends Error {
  override readonly name = 'RequestInputError';
}

const REQUEST_FIELDS = new Set(['principal', 'principalAccount', 'resourceAccount', 'action', 'resource', 'context']);
const ACCOUNT_ID = /^\d{12}$/;
// arn:partition:service:region:account:resource — the caller kinds iamd can see.
const CALLER_ARN = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(.+)$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

/**
 * Which kind of caller an ARN names. Accepts `*` (anonymous), a service principal
 * (`memorydb.amazonaws.com`), a bare account id (its root), and the ARNs of a root user, an IAM user,
 * an assumed-role session and a federated-user session.
 */
export function principalFromArn(arn: string): RequestPrincipal {
  if (arn === '*') return { kind: 'anonymous', arn };
  if (SERVICE_PRINCIPAL.test(arn)) return { kind: 'service', arn };
  if (ACCOUNT_ID.test(arn)) return { kind: 'root', arn: `arn:aws:iam::${arn}:root`, account: arn };

  const m = CALLER_ARN.exec(arn);
  if (m === null) {
    throw new RequestInputError(
      `principal "${arn}" is not a caller: expected an IAM user, root or assumed-role ARN, a service principal (*.amazonaws.com) or "*"`,
    );
  }
  const [, partition, service, account, rest] = m;
  if (service === 'iam' && rest === 'root') return { kind: 'root', arn, account };
  if (service === 'iam' && rest.startsWith('user/') && rest.length > 'user/'.length) return { kind: 'user', arn, account };
  if (service === 'sts') {
    const parts = rest.split('/');
    if (parts[0] === 'assumed-role' && parts.length === 3 && parts[1] !== '' && parts[2] !== '') {
      // The session ARN does not carry the role's path; the role ARN is the path-less form AWS also
      // uses for aws:PrincipalArn of a session.
      return { kind: 'assumed-role', arn, account, roleArn: `arn:${partition}:iam::${account}:role/${parts[1]}` };
    }
    if (parts[0] === 'federated-user' && parts.length === 2 && parts[1] !== '') return { kind: 'federated-user', arn, account };
  }
  if (service === 'iam' && rest.startsWith('role/')) {
    throw new RequestInputError(
      `principal "${arn}" is a role, which cannot call AWS itself; use a session of it: arn:${partition}:sts::${account}:assumed-role/<role-name>/<session-name>`,
    );
  }
  throw new RequestInputError(`principal "${arn}" is not a caller ARN (root, user/…, assumed-role/…/…, federated-user/…)`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalarText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new RequestInputError(`${where} must be a string, number or boolean, or an array of them`);
}

/** Context values as the engine takes them: present exactly when listed, `[]` a present empty set. */
export function readContext(value: unknown): ContextValues {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new RequestInputError('"context" must be an object of key → value or array of values');
  const context: ContextValues = {};
  const seen = new Map<string, string>();
  for (const [key, raw] of Object.entries(value)) {
    if (key === '') throw new RequestInputError('"context" has an empty key');
    // Condition keys are case-insensitive: two spellings of one key would make the request ambiguous.
    const folded = key.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) throw new RequestInputError(`"context" lists the key ${key} twice (also as ${earlier})`);
    seen.set(folded, key);
    context[key] = Array.isArray(raw)
      ? raw.map((item, i) => scalarText(item, `context value ${key}[${i}]`))
      : scalarText(raw, `context value ${key}`);
  }
  return context;
}

function readString(input: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = input[field];
  if (value === undefined) {
    if (required) throw new RequestInputError(`"${field}" is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value === '') throw new RequestInputError(`"${field}" must be a non-empty string`);
  return value;
}

function readAccount(input: Record<string, unknown>, field: string): string | undefined {
  const value = readString(input, field, false);
  if (value !== undefined && !ACCOUNT_ID.test(value)) throw new RequestInputError(`"${field}" must be a 12-digit account id`);
  return value;
}

/** Turns one parsed JSON value into an `AuthzRequest`, or throws `RequestInputError`. */
export function readRequest(input: unknown): AuthzRequest {
  if (!isRecord(input)) throw new RequestInputError('a request must be a JSON object');
  for (const field of Object.keys(input)) {
    if (!REQUEST_FIELDS.has(field)) {
      throw new RequestInputError(`unknown field "${field}" (expected ${[...REQUEST_FIELDS].join(', ')})`);
    }
  }
  const principal = principalFromArn(readString(input, 'principal', true)!);
  const principalAccount = readAccount(input, 'principalAccount');
  if (principalAccount !== undefined) {
    if (principal.account !== undefined && principal.account !== principalAccount) {
      throw new RequestInputError(`"principalAccount" ${principalAccount} differs from the principal's account ${principal.account}`);
    }
    if (principal.kind === 'anonymous' || principal.kind === 'service') {
      throw new RequestInputError(`${principal.kind === 'service' ? 'a service' : 'an anonymous'} principal has no account`);
    }
    principal.account = principalAccount;
  }
  const action = readString(input, 'action', true)!;
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1 || action.includes(':', colon + 1)) {
    throw new RequestInputError(`"action" ${action} must be service:Action, e.g. iam:CreateRole`);
  }
  const request: AuthzRequest = {
    principal,
    action,
    resource: readString(input, 'resource', false) ?? '*',
    context: readContext(input.context),
  };
  const resourceAccount = readAccount(input, 'resourceAccount');
  if (resourceAccount !== undefined) request.resourceAccount = resourceAccount;
  return request;
}

/** Parses a JSON text and reads it as a request; `where` prefixes messages (`line 3`, `--request`). */
export function parseRequestText(text: string, where: string): AuthzRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestInputError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return readRequest(value);
  } catch (error) {
    if (error instanceof RequestInputError) throw new RequestInputError(`${where}: ${error.message}`);
    throw error;
  }
}

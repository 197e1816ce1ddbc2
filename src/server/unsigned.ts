// The calls AWS takes without a signature (STS AssumeRoleWithSAML and AssumeRoleWithWebIdentity, as
// the model marks them): a request for one of them that carries no SigV4 at all is not refused as
// unauthenticated; it becomes a call of no one. Such a call has no identity of iamd's, so its
// operation authorizes by what the request itself proves (an assertion, a token) and the role's
// trust policy; the account it acts on is the role's.

import { isAuthError, parseAuthorization } from '../auth/sigv4.ts';
import type { CallContext } from '../common/call.ts';
import { isUnsignedOperation, type ServiceTarget } from '../protocol/index.ts';
import type { RawRequest } from './http.ts';

/**
 * The operation, when it is one AWS takes unsigned and the request carries no signature. `decoded` is
 * the decoded operation's name; when the input could not be decoded, the query protocol's Action says
 * which operation was meant, so its validation error is answered rather than a missing signature.
 */
export function unsignedOperation(raw: RawRequest, target: ServiceTarget, decoded: string | undefined): string | undefined {
  const operation = decoded ?? (target.protocol === 'query' ? actionOf(raw) : undefined);
  if (operation === undefined || !isUnsignedOperation(target.service, operation)) return undefined;
  const params = parseAuthorization({ headers: raw.headers, query: raw.rawQuery });
  return isAuthError(params) && params.reason === 'MissingAuthentication' ? operation : undefined;
}

function actionOf(raw: RawRequest): string | undefined {
  return new URLSearchParams(raw.body.toString('utf8')).get('Action') ?? new URLSearchParams(raw.rawQuery).get('Action') ?? undefined;
}

const ROLE_ACCOUNT = /^arn:aws[\w-]*:iam::(\d{12}):role\//;

/** The context of an unsigned call: an anonymous caller, acting on the account of the role it names. */
export function unsignedContext(raw: RawRequest, requestId: string, input: Record<string, unknown>, now: Date): CallContext {
  const account = ROLE_ACCOUNT.exec(String(input.RoleArn ?? ''))?.[1] ?? '';
  const agent = raw.headers['user-agent'];
  const userAgent = Array.isArray(agent) ? agent[0] : agent;
  return {
    requestId,
    caller: { account, principal: { kind: 'anonymous', arn: '*' }, userId: 'anonymous', tags: {} },
    account,
    region: 'us-east-1',
    now,
    sourceIp: raw.sourceIp,
    secureTransport: raw.secure,
    ...(userAgent !== undefined ? { userAgent } : {}),
  };
}

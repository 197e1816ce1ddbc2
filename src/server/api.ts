// One AWS API request, from bytes to bytes: which service and protocol, who signed it (SigV4), what
// operation and input (decoded and validated from the model), then the dispatcher (authorization and
// the operation), and the answer encoded in that protocol's envelope. Every failure a client can cause
// becomes an ApiError in the right envelope; anything else is a bug, logged and answered with a 500.

import { randomUUID } from 'node:crypto';
import { authErrorFor, isAuthError, verify, type ProtocolFamily } from '../auth/sigv4.ts';
import type { IdentityDirectory, ResolvedCredentials } from '../auth/callers.ts';
import { CredentialCache } from '../auth/credential-cache.ts';
import { assertSessionTokenScope } from '../auth/session-token-scope.ts';
import type { CallContext } from '../common/call.ts';
import { ApiError, isApiError } from '../common/errors.ts';
import { asksUnsignedOperation, bodyTooLarge, decode, decodedAsksUnsigned, encodeError, operationOfRefusedInput, encodeResult, resolveService, signingNameOf, throttled, type DecodedRequest, type ServiceTarget, type WireRequest } from '../protocol/index.ts';
import { anonymousCaller } from '../auth/anonymous.ts';
import { GLOBAL, type Store, type Tx } from '../store/types.ts';
import type { Dispatcher, UsageSink } from '../dispatch/dispatcher.ts';
import { ServiceUnavailable, unavailableAsApiError } from '../common/unavailable.ts';
import { OutageLog } from './unavailable.ts';
import type { RawRequest, RawResponse } from './http.ts';

/**
 * Global services answer from one region whatever region the client signed for (clients pointed at a
 * custom endpoint sign with their configured one): IAM's requests carry `aws:RequestedRegion`
 * us-east-1, so a Deny on that region holds for every IAM call.
 */
const HOME_REGION: Readonly<Record<string, string>> = { iam: 'us-east-1' };

/** An unsigned request names no region (there is no credential scope): STS's global endpoint's. */
const UNSIGNED_REGION = 'us-east-1';

const FAMILY: Record<ServiceTarget['protocol'], ProtocolFamily> = {
  query: 'query',
  ec2: 'ec2',
  json: 'json',
  'rest-json': 'rest-json',
};

export interface ApiDeps {
  store: Store;
  dispatcher: Dispatcher;
  directory: IdentityDirectory;
  /** Where access key use is noted for GetAccessKeyLastUsed. */
  keyUsage?: { note(accessKeyId: string, use: { date: Date; service: string; region: string }): void };
  /** Access Advisor's record of attempts the dispatcher never sees (refused before it). */
  usage?: UsageSink;
  /** `--rate-limit`: false from `take` throttles the request. */
  rateLimiter?: { take(accessKeyId: string): boolean };
  log: (line: string) => void;
}

/** What `handle` learnt of a request before authenticating it. */
interface PendingCall {
  raw: RawRequest;
  target: ServiceTarget;
  /** Undefined when decoding refused the request: then `decodeError` says why. */
  decoded: DecodedRequest | undefined;
  decodeError: unknown;
  requestId: string;
  now: Date;
  /** An operation AWS serves unsigned. */
  unsigned: boolean;
}

export function wireRequest(raw: RawRequest): WireRequest {
  return {
    method: raw.method,
    path: raw.path,
    query: new URLSearchParams(raw.rawQuery),
    headers: raw.headers,
    body: raw.body,
  };
}

export class ApiHandler {
  private readonly credentials: CredentialCache;
  private readonly outage: OutageLog;

  constructor(private readonly deps: ApiDeps) {
    this.credentials = new CredentialCache(deps.directory);
    this.outage = new OutageLog(deps.log);
  }

  async handle(raw: RawRequest): Promise<RawResponse> {
    const requestId = randomUUID();
    const wire = wireRequest(raw);
    const target = resolveService(wire);
    try {
      // Decoding needs no I/O, so it is done first; its errors are reported only once the request is
      // known to be authentic, as AWS does.
      let decoded: DecodedRequest | undefined;
      let decodeError: unknown;
      try {
        decoded = decode(target, wire);
      } catch (error) {
        decodeError = error;
      }
      const unsigned = decoded !== undefined ? decodedAsksUnsigned(target, decoded.operation) : asksUnsignedOperation(target, wire);
      const call: PendingCall = { raw, target, decoded, decodeError, requestId, now: new Date(), unsigned };
      const operation = decoded?.operation ?? '';
      const input = decoded?.input ?? {};
      // A read-only operation runs in the same snapshot as its authentication: one read, not two.
      const output =
        decoded !== undefined && this.deps.dispatcher.isReadOnly(target.service, operation)
          ? await this.deps.dispatcher.read(async (tx) => this.deps.dispatcher.callInTx(target.service, operation, input, await this.authenticate(call, tx), tx))
          : await this.deps.store.read((tx) => this.authenticate(call, tx)).then((ctx) => this.deps.dispatcher.call(target.service, operation, input, ctx));
      return encodeResult(target, operation, output ?? {}, requestId);
    } catch (error) {
      return this.error(target, error, requestId);
    }
  }

  /**
   * Who is calling, for a request decoded (or refused by decoding) in `handle`: SigV4 verified, metered,
   * the operation's existence and the session's scope checked. Throws the ApiError a client would get.
   * A method over one object per request rather than a closure per request: the request path is hot.
   */
  private async authenticate(call: PendingCall, tx: Tx): Promise<CallContext> {
    const { raw, target, decoded, decodeError, requestId, now } = call;
    if (call.unsigned) return this.unsignedContext(target, raw, decoded, decodeError, requestId, now, tx);
    const verified = await verify(
      { method: raw.method, path: raw.path, query: raw.rawQuery, headers: raw.headers, body: raw.body },
      (accessKeyId, sessionToken) => this.credentials.resolve(tx, accessKeyId, now.getTime(), sessionToken),
      now,
      { expectedService: signingNameOf(target.service) },
    );
    if (isAuthError(verified)) throw authErrorFor(verified, FAMILY[target.protocol]);
    // Metered only once the signature holds, so nobody can spend another key's requests.
    if (this.deps.rateLimiter?.take(verified.accessKeyId) === false) throw throttled(target);
    const { caller } = verified.credentials as ResolvedCredentials;
    const region = HOME_REGION[target.service] ?? verified.region;
    const agent = raw.headers['user-agent'];
    const userAgent = Array.isArray(agent) ? agent[0] : agent;
    const ctx: CallContext = {
      requestId, caller, account: caller.account, region, now, sourceIp: raw.sourceIp, secureTransport: raw.secure,
      ...(userAgent !== undefined ? { userAgent } : {}),
    };
    if (decoded === undefined) {
      // An authenticated attempt at a real operation with input the model rejects still counts
      // for Access Advisor (docs/analysis.md); a name that is no operation has no action to count.
      const refused = operationOfRefusedInput(decodeError);
      if (refused !== undefined) this.deps.usage?.noteCall(ctx, target.service, refused);
      throw decodeError;
    }
    if (!this.deps.dispatcher.has(target.service, decoded.operation)) {
      throw new ApiError('NotImplemented', `iamd does not implement ${target.service}:${decoded.operation}`, 501);
    }
    try {
      assertSessionTokenScope(caller, target.service, decoded.operation);
    } catch (refusal) {
      // A session's call refused by its scope is a denied attempt by the user; a token IAM does not
      // accept at all (InvalidClientTokenId) leaves the request unauthenticated, and AWS does not
      // report unauthenticated requests.
      if (refusal instanceof ApiError && refusal.code === 'AccessDenied') this.deps.usage?.noteCall(ctx, target.service, decoded.operation);
      throw refusal;
    }
    this.deps.keyUsage?.note(verified.accessKeyId, { date: now, service: verified.service, region });
    return ctx;
  }

  /**
   * The caller of a SigV4-signed request to one of iamd's own endpoints (/_iamd/analysis/…), signed
   * for `signingService` as an SDK signs: verified, metered and scoped exactly like an API call, so
   * those endpoints are authorized like every call. Throws the ApiError a client would get.
   */
  async signedContext(raw: RawRequest, tx: Tx, now: Date, signingService: string, operation: string): Promise<CallContext> {
    const verified = await verify(
      { method: raw.method, path: raw.path, query: raw.rawQuery, headers: raw.headers, body: raw.body },
      (accessKeyId, sessionToken) => this.credentials.resolve(tx, accessKeyId, now.getTime(), sessionToken),
      now,
      { expectedService: signingService },
    );
    if (isAuthError(verified)) throw authErrorFor(verified, 'json');
    if (this.deps.rateLimiter?.take(verified.accessKeyId) === false) throw new ApiError('ThrottlingException', 'Rate exceeded', 400);
    const { caller } = verified.credentials as ResolvedCredentials;
    assertSessionTokenScope(caller, signingService, operation);
    const agent = raw.headers['user-agent'];
    const userAgent = Array.isArray(agent) ? agent[0] : agent;
    return {
      requestId: randomUUID(), caller, account: caller.account, region: HOME_REGION[signingService] ?? verified.region, now, sourceIp: raw.sourceIp, secureTransport: raw.secure,
      ...(userAgent !== undefined ? { userAgent } : {}),
    };
  }

  /**
   * An operation AWS serves unsigned (AssumeRoleWithWebIdentity) has no caller and no signature to
   * check — one that comes along is not looked at, as on AWS. Its input errors are answered at once;
   * it acts on the account the operation names from its input, and is metered by source address.
   */
  private async unsignedContext(
    target: ServiceTarget,
    raw: RawRequest,
    decoded: DecodedRequest | undefined,
    decodeError: unknown,
    requestId: string,
    now: Date,
    tx: Tx,
  ): Promise<CallContext> {
    if (this.deps.rateLimiter?.take(`source-ip:${raw.sourceIp}`) === false) throw throttled(target);
    if (decoded === undefined) throw decodeError;
    if (!this.deps.dispatcher.has(target.service, decoded.operation)) {
      throw new ApiError('NotImplemented', `iamd does not implement ${target.service}:${decoded.operation}`, 501);
    }
    const account = (await this.deps.dispatcher.unsignedAccount(target.service, decoded.operation, decoded.input, tx)) ?? GLOBAL;
    const agent = raw.headers['user-agent'];
    const userAgent = Array.isArray(agent) ? agent[0] : agent;
    return {
      requestId, caller: anonymousCaller(account), account, region: HOME_REGION[target.service] ?? UNSIGNED_REGION, now, sourceIp: raw.sourceIp, secureTransport: raw.secure,
      ...(userAgent !== undefined ? { userAgent } : {}),
    };
  }

  error(target: ServiceTarget, failure: unknown, requestId: string): RawResponse {
    const error = unavailableAsApiError(failure);
    if (error instanceof ServiceUnavailable) this.outage.note(error);
    if (isApiError(error)) return encodeError(target, error, requestId);
    this.deps.log(`request ${requestId} (${target.service}) failed: ${(error as Error)?.stack ?? String(error)}`);
    return encodeError(target, new ApiError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver'), requestId);
  }

  /** A body over the limit, answered in the envelope of the service it was meant for. */
  tooLarge(raw: RawRequest, limit: number): RawResponse {
    const target = resolveService(wireRequest(raw));
    return encodeError(target, bodyTooLarge(limit), randomUUID());
  }
}

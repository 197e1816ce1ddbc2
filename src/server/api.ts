// One AWS API request, from bytes to bytes: which service and protocol, who signed it (SigV4), what
// operation and input (decoded and validated from the model), then the dispatcher (authorization and
// the operation), and the answer encoded in that protocol's envelope. Every failure a client can cause
// becomes an ApiError in the right envelope; anything else is a bug, logged and answered with a 500.

import { randomUUID } from 'node:crypto';
import { authErrorFor, isAuthError, verify, type ProtocolFamily } from '../auth/sigv4.ts';
import { resolveCredentials, type IdentityDirectory, type ResolvedCredentials } from '../auth/callers.ts';
import type { CallContext } from '../common/call.ts';
import { ApiError, isApiError } from '../common/errors.ts';
import { decode } from '../protocol/decode.ts';
import { encodeError, encodeResult } from '../protocol/encode.ts';
import { resolveService, signingNameOf, type ServiceTarget, type WireRequest } from '../protocol/services.ts';
import type { Store } from '../store/types.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { RawRequest, RawResponse } from './http.ts';

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
  log: (line: string) => void;
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
  constructor(private readonly deps: ApiDeps) {}

  async handle(raw: RawRequest): Promise<RawResponse> {
    const requestId = randomUUID();
    const wire = wireRequest(raw);
    const target = resolveService(wire);
    try {
      const now = new Date();
      const verified = await verify(
        { method: raw.method, path: raw.path, query: raw.rawQuery, headers: raw.headers, body: raw.body },
        (accessKeyId) => this.deps.store.read((tx) => resolveCredentials(this.deps.directory, tx, accessKeyId)),
        now,
        { expectedService: signingNameOf(target.service) },
      );
      if (isAuthError(verified)) throw authErrorFor(verified, FAMILY[target.protocol]);
      const { caller } = verified.credentials as ResolvedCredentials;
      const { operation, input } = decode(target, wire);
      const ctx: CallContext = {
        requestId,
        caller,
        account: caller.account,
        region: verified.region,
        now,
        sourceIp: raw.sourceIp,
        secureTransport: false,
      };
      if (!this.deps.dispatcher.has(target.service, operation)) {
        throw new ApiError('NotImplemented', `iamd does not implement ${target.service}:${operation}`, 501);
      }
      const output = await this.deps.dispatcher.call(target.service, operation, input, ctx);
      return encodeResult(target, operation, output ?? {}, requestId);
    } catch (error) {
      return this.error(target, error, requestId);
    }
  }

  error(target: ServiceTarget, error: unknown, requestId: string): RawResponse {
    if (isApiError(error)) return encodeError(target, error, requestId);
    this.deps.log(`request ${requestId} (${target.service}) failed: ${(error as Error)?.stack ?? String(error)}`);
    return encodeError(target, new ApiError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver'), requestId);
  }

  /** A body over the limit, answered in the envelope of the service it was meant for. */
  tooLarge(raw: RawRequest, limit: number): RawResponse {
    const target = resolveService(wireRequest(raw));
    return encodeError(target, new ApiError('RequestEntityTooLarge', `Request body exceeds the maximum size of ${limit} bytes.`, 413), randomUUID());
  }
}

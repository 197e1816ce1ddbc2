// Shared by the protocol tests: requests built from captures or by hand, and a tiny HTTP server that
// decodes with the codec and answers whatever the test hands it, encoded by the codec.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, isApiError } from '../../src/common/errors.ts';
import {
  decode,
  encodeError,
  encodeResult,
  readBody,
  resolveService,
  type DecodedRequest,
  type ServiceTarget,
  type WireRequest,
} from '../../src/protocol/index.ts';

export function wireRequest(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body: string | Buffer = '',
): WireRequest {
  const u = new URL(url, 'http://127.0.0.1');
  return { method, path: u.pathname, query: u.searchParams, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

export const signedFor = (service: string): Record<string, string> => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`,
});

export const form = (service: string, body: string): WireRequest =>
  wireRequest('POST', '/', { ...signedFor(service), 'content-type': 'application/x-www-form-urlencoded' }, body);

/** Decodes, expecting an ApiError; returns it. */
export function decodeError(req: WireRequest): ApiError {
  try {
    decode(resolveService(req), req);
  } catch (e) {
    if (isApiError(e)) return e;
    throw e;
  }
  throw new Error('decode succeeded');
}

export interface Seen {
  target: ServiceTarget;
  decoded: DecodedRequest;
}

/** What the test server answers for a decoded request: an output, or an ApiError to encode. */
export type Answer = (seen: Seen) => unknown;

export interface CodecServer {
  endpoint: string;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startCodecServer(answer: Answer): Promise<CodecServer> {
  const seen: Seen[] = [];
  let n = 0;
  const server: Server = createServer(async (req, res) => {
    const requestId = `req-${++n}-0000-4000-8000-000000000000`;
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const wire: WireRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body };
    const target = resolveService(wire);
    let out;
    try {
      const decoded = decode(target, wire);
      seen.push({ target, decoded });
      const result = answer({ target, decoded });
      out = isApiError(result) ? encodeError(target, result, requestId) : encodeResult(target, decoded.operation, result, requestId);
    } catch (e) {
      out = encodeError(target, isApiError(e) ? e : new ApiError('InternalFailure', String(e), 500, 'Receiver'), requestId);
    }
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
});

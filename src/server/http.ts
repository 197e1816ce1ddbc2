// The HTTP listener: one port for every service, plain HTTP or HTTPS with the same handlers. It reads
// the body (bounded), answers iamd's own endpoints (/_iamd/…), and hands everything else to the
// request handler. Nothing a client sends can crash it: every failure becomes an error response in the
// protocol's envelope.

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

export type Listener = Server | HttpsServer;

export interface RawRequest {
  method: string;
  /** The path as received, without the query string. */
  path: string;
  /** The raw query string, without `?`. */
  rawQuery: string;
  /** Lower-cased names; a header sent several times keeps each value (SigV4 signs them joined its own way). */
  headers: Record<string, string | string[]>;
  body: Buffer;
  sourceIp: string;
  /** Came over TLS (the condition key aws:SecureTransport). */
  secure: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface HttpHandlers {
  maxBodyBytes: number;
  /** iamd's own endpoints; undefined (or a promise of it) when the path is not one of them. */
  internal(req: RawRequest): RawResponse | Promise<RawResponse | undefined> | undefined;
  api(req: RawRequest): Promise<RawResponse>;
  /**
   * The answer to a body over `maxBodyBytes` (in the protocol's envelope when it can be told). `body`
   * holds what arrived before the limit: an unsigned Query request names its service (Version) there.
   */
  tooLarge(req: RawRequest): RawResponse;
  /** Last resort, for a bug: never leaves the client without an answer. */
  internalError(req: RawRequest, error: unknown): RawResponse;
}

const NO_BODY = Buffer.alloc(0);

/** The client's address, IPv4 ones without the `::ffff:` a dual-stack socket reports them with. */
function sourceIpOf(address: string | undefined): string {
  if (address === undefined) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Header names lower-cased; a header sent more than once keeps every value, in order. */
function collectHeaders(req: IncomingMessage): Record<string, string | string[]> {
  // Node has built `req.headers` already (its server reads Expect from it). With no name sent twice it
  // is exactly what is wanted; only a repeated name — which Node joins, or keeps just the first of —
  // needs the raw list.
  const joined = req.headers as Record<string, string>;
  let names = 0;
  for (const _ in joined) names++;
  if (names * 2 === req.rawHeaders.length) return joined;
  const headers: Record<string, string | string[]> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const seen = headers[name];
    if (seen === undefined) headers[name] = raw[i + 1];
    else if (typeof seen === 'string') headers[name] = [seen, raw[i + 1]];
    else seen.push(raw[i + 1]);
  }
  return headers;
}

function send(res: ServerResponse, response: RawResponse): void {
  const body = response.body;
  // A flat [name, value, …] list: Node writes it as it is, without building its own header map.
  const headers: string[] = [];
  for (const name in response.headers) {
    if (name.toLowerCase() !== 'content-length') headers.push(name, response.headers[name]!);
  }
  headers.push('Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.writeHead(response.status, headers);
  // A string body is handed over as it is: Node sends it with the header block in one write, where a
  // Buffer goes out as a second chunk (a writev) after the string was first copied into it.
  res.end(body);
}

/** The response to a request whose body has arrived: iamd's own endpoint's, else the API's. */
async function answer(handlers: HttpHandlers, raw: RawRequest): Promise<RawResponse> {
  const internal = handlers.internal(raw);
  return (internal === undefined ? undefined : await internal) ?? handlers.api(raw);
}

function sendOrDestroy(res: ServerResponse, response: RawResponse): void {
  try {
    send(res, response);
  } catch {
    res.destroy();
  }
}

/** A handler failed (a bug): the last-resort answer, or a closed connection if even that fails. */
function failed(res: ServerResponse, handlers: HttpHandlers, raw: RawRequest, error: unknown): void {
  try {
    send(res, handlers.internalError(raw, error));
  } catch {
    res.destroy();
  }
}

/** A plain HTTP listener, or HTTPS when given a certificate and its key (PEM). */
export function createHttpServer(handlers: HttpHandlers, tls?: { cert: string; key: string }): Listener {
  const listener = requestListener(handlers);
  return tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createServer(listener);
}

function requestListener(handlers: HttpHandlers): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const raw: RawRequest = {
      method: req.method ?? 'GET',
      path: q === -1 ? url : url.slice(0, q),
      rawQuery: q === -1 ? '' : url.slice(q + 1),
      headers: collectHeaders(req),
      body: NO_BODY,
      sourceIp: sourceIpOf(req.socket.remoteAddress),
      secure: req.socket instanceof TLSSocket,
    };
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    req.on('data', (chunk: Buffer) => {
      if (overflow) return;
      size += chunk.length;
      if (size > handlers.maxBodyBytes) {
        overflow = true;
        raw.body = Buffer.concat(chunks);
        chunks.length = 0;
        send(res, handlers.tooLarge(raw));
        raw.body = NO_BODY;
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (overflow) return;
      raw.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      answer(handlers, raw).then(
        (response) => sendOrDestroy(res, response),
        (error: unknown) => failed(res, handlers, raw, error),
      );
    });
  };
}

export async function listen(server: Listener, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

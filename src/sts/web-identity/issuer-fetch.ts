// One GET of a JSON document from an identity provider (its discovery document, its key set): over
// HTTPS only, trusted as issuer-trust.ts decides, within AWS's five seconds and a bounded size, no
// redirects. A provider that cannot be reached is told apart from one that answered something unusable.

import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { peerTrusted } from './issuer-trust.ts';

/** No connection, no trusted certificate, no answer in time, or a server error. */
export class IssuerUnreachable extends Error {
  override name = 'IssuerUnreachable';
}

/** The provider answered, but not with a document iamd can use. */
export class IssuerAnswer extends Error {
  override name = 'IssuerAnswer';
}

export interface FetchOptions {
  thumbprints: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  now: Date;
}

export function fetchJson(url: string, options: FetchOptions): Promise<unknown> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new IssuerAnswer(`not a URL: ${url}`));
  }
  if (target.protocol !== 'https:') return Promise.reject(new IssuerAnswer(`not an https URL: ${url}`));
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      reject(error);
    };
    // Certificates are judged here rather than by Node, so that pinned thumbprints can vouch for them.
    const req = request(target, { method: 'GET', rejectUnauthorized: false, agent: false, headers: { accept: 'application/json' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 500) return fail(new IssuerUnreachable(`${url} answered ${status}`));
      if (status !== 200) return fail(new IssuerAnswer(`${url} answered ${status}`));
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) fail(new IssuerAnswer(`${url} answered more than ${options.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', (e) => fail(new IssuerUnreachable(e.message)));
      res.on('end', () => {
        if (settled) return;
        try {
          const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          settled = true;
          clearTimeout(deadline);
          resolve(parsed);
        } catch {
          fail(new IssuerAnswer(`${url} answered something that is not JSON`));
        }
      });
    });
    const deadline = setTimeout(() => fail(new IssuerUnreachable(`${url} did not answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('socket', (socket) => {
      socket.once('secureConnect', () => {
        if (!peerTrusted(socket as TLSSocket, host, options.thumbprints, options.now)) fail(new IssuerUnreachable(`${url}: the server's certificate is not trusted`));
      });
    });
    req.on('error', (e) => fail(e instanceof IssuerAnswer || e instanceof IssuerUnreachable ? e : new IssuerUnreachable(e.message)));
    req.end();
  });
}

// Sends one request exactly as specified — headers as a raw list (so a name may repeat), the path and
// query string as given, even when their encoding is broken — over keep-alive connections, and gives
// up after a timeout: an answer that never comes is a hang, which the fuzzer reports like a crash.

import { Agent, request } from 'node:http';
import type { Answer } from './envelopes.ts';
import { encodePairs, type HttpRequestSpec } from './wire.ts';

export class Hang extends Error {}

class StaleConnection extends Error {}

/** Node's default --max-http-header-size, which iamd's listener keeps. */
const HEADER_LIMIT = 16 * 1024;

function headerSize(spec: HttpRequestSpec, target: string): number {
  let size = spec.method.length + target.length + 12;
  for (const [name, value] of spec.headers) size += name.length + value.length + 4;
  return size;
}

export class Transport {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(
    endpoint: string,
    private readonly timeoutMs: number,
    connections: number,
  ) {
    this.url = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  get host(): string {
    return this.url.host;
  }

  /** The request as a URL path with its query string, as it goes on the wire. */
  static target(spec: HttpRequestSpec): string {
    const query = spec.rawQuery ?? encodePairs(spec.query);
    return query ? `${spec.path}?${query}` : spec.path;
  }

  /**
   * Whether Node's HTTP parser may refuse the request before iamd sees it (a request target with bytes
   * HTTP does not allow there, or a header section near its 16 KiB limit): such a request is not HTTP
   * that any AWS protocol layer gets to read, and Node answers it itself (400 or 431, empty body).
   */
  static beyondHttp(spec: HttpRequestSpec): boolean {
    const target = Transport.target(spec);
    if (/[^\x21-\x7e]/.test(target)) return true;
    return headerSize(spec, target) > HEADER_LIMIT - 512;
  }

  /** Whether the header section is far beyond what Node reads, whatever headers signing adds. */
  static surelyBeyondHttp(spec: HttpRequestSpec): boolean {
    return headerSize(spec, Transport.target(spec)) > 2 * HEADER_LIMIT;
  }

  /**
   * Sends and reads the answer. A keep-alive connection the server closed while idle fails on reuse
   * before the request reaches it; that attempt alone is made again on a fresh connection.
   */
  async send(spec: HttpRequestSpec): Promise<Answer> {
    try {
      return await this.attempt(spec);
    } catch (error) {
      if (error instanceof StaleConnection) return this.attempt(spec);
      throw error;
    }
  }

  private attempt(spec: HttpRequestSpec): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const req = request({
        agent: this.agent,
        hostname: this.url.hostname,
        port: this.url.port,
        method: spec.method,
        path: Transport.target(spec),
        headers: spec.headers.flat(),
        setHost: false,
      });
      const timer = setTimeout(() => {
        req.destroy(new Hang(`no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const stale = req.reusedSocket && !answered && (e.code === 'ECONNRESET' || e.message === 'socket hang up');
        reject(stale ? new StaleConnection(e.message) : e);
      });
      req.end(spec.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

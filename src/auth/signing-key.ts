// SigV4 signing keys, derived once per secret + day + region + service and kept in a small LRU.
// Deriving costs four HMACs; a busy client reuses the same key for a whole day, so the cache
// takes that cost off nearly every request. Bounded so that many keys cannot grow it without end.

import { createHmac } from 'node:crypto';

const DEFAULT_CAPACITY = 4096;

export function deriveSigningKey(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey).update(scopeDate).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

export class SigningKeyCache {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /**
   * The key handed out last, and what it was derived from: a client signs request after request with
   * the same key, so most requests are answered by four string comparisons — no id to build, no LRU
   * to reorder. It is always also in `keys` (only a lookup evicts, and a lookup replaces it); hits on it do
   * not move it up the LRU, so under churn it may be evicted a little sooner than a strict LRU would
   * (and derived again when next needed): a cost, never a wrong key.
   */
  private last: { secretAccessKey: string; scopeDate: string; region: string; service: string; key: Buffer } | undefined;

  get(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
    const last = this.last;
    if (
      last !== undefined &&
      last.secretAccessKey === secretAccessKey && last.scopeDate === scopeDate && last.region === region && last.service === service
    ) {
      return last.key;
    }
    const key = this.lookup(secretAccessKey, scopeDate, region, service);
    this.last = { secretAccessKey, scopeDate, region, service, key };
    return key;
  }

  private lookup(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
    // '\n' cannot occur in a date, region or service name, so the key is unambiguous.
    const id = `${scopeDate}\n${region}\n${service}\n${secretAccessKey}`;
    const hit = this.keys.get(id);
    if (hit !== undefined) {
      // Re-insert to mark as most recently used (a Map iterates in insertion order).
      this.keys.delete(id);
      this.keys.set(id, hit);
      return hit;
    }
    const key = deriveSigningKey(secretAccessKey, scopeDate, region, service);
    if (this.keys.size >= this.capacity) this.keys.delete(this.keys.keys().next().value!);
    this.keys.set(id, key);
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

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

  get(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
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

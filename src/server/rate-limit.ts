// `--rate-limit N`: a token bucket per access key, so one runaway client is answered `Throttling` while
// every other key goes on at full speed. Each bucket holds N tokens and refills at N a second: a key
// may burst N requests, and keeps up N a second. Buckets live in this process only (with --workers,
// each worker meters on its own).

/** Most keys remembered at once. A key that waited a second is back to a full bucket, which is what
 *  forgetting it means too; so only keys active within the same second can ever be evicted early. */
const DEFAULT_MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in the clock's milliseconds. */
  at: number;
}

export interface RateLimiterOptions {
  maxKeys?: number;
  /** Milliseconds from any fixed origin; injectable so tests need no real time. */
  clock?: () => number;
}

export class RateLimiter {
  // A Map iterates in insertion order; re-inserting on use makes its first key the least recently used.
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly clock: () => number;

  constructor(
    private readonly perSecond: number,
    options: RateLimiterOptions = {},
  ) {
    if (!(perSecond > 0)) throw new RangeError(`rate limit must be positive, got ${perSecond}`);
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Takes one token from the key's bucket; false when it is empty (the request is to be throttled). */
  take(key: string): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(key);
    let tokens = this.perSecond;
    if (bucket) {
      this.buckets.delete(key);
      tokens = Math.min(this.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    } else if (this.buckets.size >= this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value!);
    }
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.buckets.size;
  }
}

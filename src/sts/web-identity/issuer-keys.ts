// The keys that sign an issuer's tokens: its JWKS, found through its OpenID Connect discovery
// document (`<issuer>/.well-known/openid-configuration` → `jwks_uri`) and kept for a while, so that
// AssumeRoleWithWebIdentity does not ask the provider every time. The cache is bounded (least recently
// used issuers go first) and entries expire; a token signed with a key the cached set lacks (the
// provider rotated its keys) fetches the set again — once per cool-down, so that tokens naming made-up
// key ids cannot make iamd fetch over and over. Concurrent requests
// for one issuer share one fetch. An issuer given a key set offline (--oidc-jwks) is never fetched.
//
// Entries are per issuer *and* thumbprint list: the thumbprints decide which servers are trusted,
// so keys fetched under one provider's trust are not handed to a provider that trusts differently.

import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { fetchJson, IssuerAnswer } from './issuer-fetch.ts';

export type KeyGetter = ReturnType<typeof createLocalJWKSet>;

export interface IssuerKeysOptions {
  /** Key sets given to iamd by issuer URL: used as they are, never fetched. */
  offline?: ReadonlyMap<string, JSONWebKeySet>;
  /** How long a fetched key set is used before it is fetched again. */
  ttlMs?: number;
  /** Issuers kept at most. */
  maxIssuers?: number;
  /** The least time between two fetches of one issuer's keys for unknown key ids. */
  refreshCooldownMs?: number;
  /** AWS gives a provider five seconds to answer. */
  timeoutMs?: number;
  maxBytes?: number;
}

interface Entry {
  getKey: KeyGetter;
  fetchedAt: number;
  /** When an unknown key id last made iamd fetch the set. */
  forcedAt?: number;
}

/** Throws IssuerAnswer unless `value` is a JWKS, with at least the `keys` array. */
export function asKeySet(value: unknown, source: string): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || value === null || !Array.isArray(keys) || !keys.every((k) => typeof k === 'object' && k !== null)) {
    throw new IssuerAnswer(`${source} is not a JSON Web Key Set`);
  }
  return value as JSONWebKeySet;
}

export class IssuerKeys {
  private readonly cache = new Map<string, Entry>();
  private readonly fetching = new Map<string, Promise<Entry>>();
  private readonly offline = new Map<string, KeyGetter>();
  private readonly ttlMs: number;
  private readonly maxIssuers: number;
  private readonly refreshCooldownMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(options: IssuerKeysOptions = {}) {
    for (const [issuer, jwks] of options.offline ?? []) this.offline.set(issuer, createLocalJWKSet(jwks));
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.maxIssuers = options.maxIssuers ?? 1000;
    this.refreshCooldownMs = options.refreshCooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
  }

  /** Whether the issuer's keys were given offline. */
  isOffline(issuer: string): boolean {
    return this.offline.has(issuer);
  }

  /**
   * The issuer's keys. `stale`: the caller met a key id the set it got lacks; fetch anew unless the
   * set was fetched within the cool-down. Throws IssuerUnreachable or IssuerAnswer.
   */
  async keys(issuer: string, thumbprints: readonly string[], now: Date, stale = false): Promise<KeyGetter> {
    const offline = this.offline.get(issuer);
    if (offline) return offline;
    const id = `${issuer}\n${[...thumbprints].map((t) => t.toLowerCase()).sort().join(',')}`;
    const cached = this.cache.get(id);
    const t = now.getTime();
    const mayForce = stale && (cached?.forcedAt === undefined || t - cached.forcedAt >= this.refreshCooldownMs);
    if (cached && t - cached.fetchedAt < this.ttlMs && !mayForce) {
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached.getKey;
    }
    let pending = this.fetching.get(id);
    if (!pending) {
      pending = this.fetch(issuer, thumbprints, now).finally(() => this.fetching.delete(id));
      this.fetching.set(id, pending);
    }
    const entry = await pending;
    if (stale) entry.forcedAt = t;
    this.cache.delete(id);
    this.cache.set(id, entry);
    if (this.cache.size > this.maxIssuers) this.cache.delete(this.cache.keys().next().value!);
    return entry.getKey;
  }

  private async fetch(issuer: string, thumbprints: readonly string[], now: Date): Promise<Entry> {
    const options = { thumbprints, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes, now };
    const discoveryUrl = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const discovery = (await fetchJson(discoveryUrl, options)) as { issuer?: unknown; jwks_uri?: unknown } | null;
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
    if (typeof discovery !== 'object' || discovery === null || discovery.issuer !== issuer) {
      throw new IssuerAnswer(`${discoveryUrl} does not describe the issuer ${issuer}`);
    }
    if (typeof discovery.jwks_uri !== 'string') throw new IssuerAnswer(`${discoveryUrl} names no jwks_uri`);
    const jwks = asKeySet(await fetchJson(discovery.jwks_uri, options), discovery.jwks_uri);
    let getKey: KeyGetter;
    try {
      getKey = createLocalJWKSet(jwks);
    } catch (e) {
      throw new IssuerAnswer(`${discovery.jwks_uri}: ${(e as Error).message}`);
    }
    return { getKey, fetchedAt: now.getTime() };
  }
}

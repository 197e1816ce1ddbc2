// Resolving an access key to its caller costs two reads (the key, then its user); every request needs
// it. The answer only changes when something in the key's account changes — and every such write bumps
// the account's generation — so a resolved key is reused while that generation is unchanged: one point
// read instead of two, and the same rule that keeps the policy cache honest keeps this one honest.

import type { Tx } from '../store/types.ts';
import { resolveCredentials, type IdentityDirectory, type ResolvedCredentials } from './callers.ts';

interface Entry {
  account: string;
  generation: number;
  resolved: ResolvedCredentials;
}

const CAPACITY = 10_000;

export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly directory: IdentityDirectory) {}

  /** `sessionToken`: the request's, which may show that a key gone was a session's, now expired. */
  async resolve(tx: Tx, accessKeyId: string, now: number, sessionToken: string | undefined): Promise<ResolvedCredentials | 'expired' | undefined> {
    const hit = this.entries.get(accessKeyId);
    if (hit && (await tx.generation(hit.account)) === hit.generation && (hit.resolved.expiresAt ?? Infinity) > now) {
      return hit.resolved;
    }
    const resolved = await resolveCredentials(this.directory, tx, accessKeyId);
    if (!resolved) {
      this.entries.delete(accessKeyId);
      const expired = sessionToken !== undefined && (await this.directory.expiredSessionToken(tx, accessKeyId, sessionToken, now));
      return expired ? 'expired' : undefined;
    }
    const account = resolved.caller.account;
    if (this.entries.size >= CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(accessKeyId, { account, generation: await tx.generation(account), resolved });
    return resolved;
  }
}

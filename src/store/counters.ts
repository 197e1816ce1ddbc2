// Entity counters: for a few kinds the store keeps, per account, how many entities exist, in a table
// that triggers update in the very transaction (or savepoint) that inserts or deletes one. Quota
// checks and GetAccountSummary ask `count(account, kind)` on every create; counting rows would read
// every entity of the kind, a cost that grows with the account, while reading a counter does not.
//
// Only the kinds whose whole-account total is asked for on a request's path are counted: a counter is
// one row every writer of that kind in the account updates, so on PostgreSQL concurrent creates of a
// counted kind in one account conflict (and are retried) — which their quota check made them do anyway.
// Global entities (account '') are never counted: sessions and access keys are written by every
// account at once.

/** The kinds migration 3 counts. Frozen with that migration: counting more takes a new one. */
export const COUNTED_KINDS_V3: readonly string[] = Object.freeze([
  'user',
  'group',
  'role',
  'policy',
  'instance-profile',
  'oidc-provider',
  'saml-provider',
  'server-certificate',
]);

const counted = new Set(COUNTED_KINDS_V3);

/** Whether `count(account, kind)` with no ref nor prefix can read the counter instead of the rows. */
export const isCounted = (account: string, kind: string): boolean => account !== '' && counted.has(kind);

// Entity counters: for a few kinds the store keeps, per account, how many entities exist (and a few
// totals of the same kind), in a table that triggers update in the very transaction — or savepoint —
// that inserts, updates or deletes the entity. Quota checks and GetAccountSummary ask for these on
// requests' paths; counting rows would read every entity of the kind, a cost that grows with the
// account, while reading a counter does not. Migration 4 creates the table and its triggers and fills
// it from the rows already there.
//
// Only the kinds whose whole-account totals are asked for are counted: a counter is one row that every
// writer of that kind in the account updates, so on PostgreSQL concurrent creates of a counted kind in
// one account conflict (and are retried) — which their quota check made them do anyway. Global
// entities (account '') are never counted: sessions and access keys are written by every account.

/** The kinds migration 4 counts. Frozen with that migration: counting more takes a new one. */
export const COUNTED_KINDS_V4: readonly string[] = Object.freeze([
  'user',
  'group',
  'role',
  'policy',
  'instance-profile',
  'oidc-provider',
  'saml-provider',
  'server-certificate',
  'mfa-device',
]);

/** Kinds whose entities holding a ref are counted too (`count(…, { withRef: true })`). */
export const COUNTED_WITH_REF_V4: readonly string[] = Object.freeze(['mfa-device']);

/** Array members of documents whose lengths are totalled per account (`itemTotal`). */
export const COUNTED_ARRAYS_V4: readonly { kind: string; field: string }[] = Object.freeze([{ kind: 'policy', field: 'versions' }]);

/** The counter row of the entities of a kind that hold a ref. */
export const WITH_REF_SUFFIX = '#ref';

/** The counter row of an array total. */
export const arrayCounterName = (kind: string, field: string): string => `${kind}#${field}`;

const counted = new Set(COUNTED_KINDS_V4);
const countedWithRef = new Set(COUNTED_WITH_REF_V4);
const countedArrays = new Set(COUNTED_ARRAYS_V4.map((a) => arrayCounterName(a.kind, a.field)));

// The triggers that keep the with-ref and array counters fire on insert and delete of counted kinds only.
for (const kind of [...COUNTED_WITH_REF_V4, ...COUNTED_ARRAYS_V4.map((a) => a.kind)]) {
  if (!counted.has(kind)) throw new Error(`store: ${kind} has a counter but is not a counted kind`);
}

export interface CountOptions {
  ref?: string;
  keyPrefix?: string;
  /** Only entities that hold a ref (any); for the kinds of COUNTED_WITH_REF_V4. */
  withRef?: boolean;
}

/**
 * The counter row that answers this count, or undefined when the rows must be counted (a ref or a
 * prefix names a part of the kind; the index serves those).
 */
export function counterFor(account: string, kind: string, options: CountOptions | undefined): string | undefined {
  if (options?.withRef) {
    if (account === '' || !countedWithRef.has(kind) || options.ref !== undefined || options.keyPrefix) {
      throw new Error(`store: entities of ${kind} holding a ref are not counted`);
    }
    return kind + WITH_REF_SUFFIX;
  }
  if (options?.ref !== undefined || options?.keyPrefix) return undefined;
  return account !== '' && counted.has(kind) ? kind : undefined;
}

/** The counter row of an array total; throws for one no migration keeps. */
export function arrayCounter(account: string, kind: string, field: string): string {
  const name = arrayCounterName(kind, field);
  if (account === '' || !countedArrays.has(name)) throw new Error(`store: the lengths of ${kind}.${field} are not counted`);
  return name;
}

// Ref counters (migration 5): for a few kinds the store also keeps, per (account, kind, ref), how many
// entities of the kind hold that ref — a policy's attachments and its uses as a permissions boundary,
// which ListPolicies, GetPolicy and GetAccountAuthorizationDetails show for every policy they return.
// Triggers keep them in the writing transaction like the entity counters; a row goes when its count
// reaches 0, so the table holds the refs in use and `refsInUse` reads them by key range.
//
// A ref counter row is shared by the writers of that ref only (one policy's attachments), and those
// writers already bump the account's generation, one row they all update: no new conflict.

/** The kinds migration 5 counts per ref. Frozen with that migration. */
export const REF_COUNTED_KINDS_V5: readonly string[] = Object.freeze(['attachment', 'boundary-use']);

const refCounted = new Set(REF_COUNTED_KINDS_V5);

/** Whether `count(account, kind, { ref })` of this kind reads a ref counter. */
export const hasRefCounter = (kind: string, options: CountOptions | undefined): boolean =>
  options?.ref !== undefined && !options.keyPrefix && !options.withRef && refCounted.has(kind);

/** Throws for a kind no migration counts per ref. */
export function assertRefCounted(kind: string): void {
  if (!refCounted.has(kind)) throw new Error(`store: entities of ${kind} are not counted per ref`);
}

export interface RefRange {
  /** Only refs that start with it. */
  refPrefix?: string;
  /** Only refs after it (exclusive). */
  after?: string;
  limit?: number;
}

// The roles' search index. IAM's ListRoles filters by path prefix only, never by name, so a search
// for a part of a name has to read every role: ListRoles gives at most 1,000 a call, and 10,000
// roles take more than a second. The console reads them once for the tab, in the background from the first time the
// Roles page is shown — one call at a time, each when the page has no other request on its way, so
// the user's clicks go first — keeps them in memory (never in storage: they go with the tab, or at
// sign-out), and searches them there. It is still only the public API: what is indexed is what
// ListRoles gave this user, and a user who may not list roles gets ListRoles' own refusal.
//
// Freshness: a search answers at once from the index, then checks it — the index is read again when
// it is older than a minute, when the console itself created or deleted a role since, or when IAM's
// account summary counts another number of roles than just before the reading (GetAccountSummary,
// when the user may call it; a role made and another deleted between two searches is missed until
// the index is a minute old) — and the page shows the new answer when the new reading is done.

import { currentAccessKeyId, whenIdle } from './client.ts';
import { accountSummary, listRoles, type Role } from './iam.ts';

/** Roles per ListRoles call: small enough that a click arriving during one waits little for it. */
const BATCH = 250;
const MAX_AGE_MS = 60_000;

export interface RoleIndex {
  roles: Role[];
  /** When its reading finished (Date.now()). */
  readAt: number;
  /** How long the reading took, in ms. */
  tookMs: number;
  /** IAM's count of the account's roles (GetAccountSummary) just before the reading, when the user may read it. */
  counted?: number;
}

/** The account summary's count of roles, or undefined when the user may not read it. */
async function countedRoles(): Promise<number | undefined> {
  try {
    return Number((await accountSummary()).Roles);
  } catch {
    return undefined;
  }
}

let held: { key: string; index?: RoleIndex; reading?: Promise<RoleIndex>; changed: boolean } | undefined;

async function readAll(): Promise<RoleIndex> {
  const started = performance.now();
  const counted = await countedRoles();
  const roles: Role[] = [];
  let marker: string | undefined;
  do {
    // Behind whatever the user is doing: each call waits until the page has no request on its way.
    await whenIdle();
    const page = await listRoles({ Marker: marker, MaxItems: BATCH });
    roles.push(...page.items);
    marker = page.marker;
  } while (marker);
  return { roles, readAt: Date.now(), tookMs: performance.now() - started, ...(counted !== undefined ? { counted } : {}) };
}

/** The held entry for whoever is signed in now; another user's index is dropped, never shown. */
function entry(): NonNullable<typeof held> {
  const key = currentAccessKeyId() ?? '';
  if (held?.key !== key) held = { key, changed: false };
  return held;
}

function read(e: NonNullable<typeof held>): Promise<RoleIndex> {
  if (e.reading) return e.reading;
  e.changed = false;
  const reading = readAll().then(
    (index) => {
      if (held === e) e.index = index;
      e.reading = undefined;
      return index;
    },
    (error: unknown) => {
      e.reading = undefined;
      throw error;
    },
  );
  e.reading = reading;
  return reading;
}

/** The index as held, reading it first if there is none (or waiting for the reading under way). */
export function roleIndex(): Promise<RoleIndex> {
  const e = entry();
  return e.index ? Promise.resolve(e.index) : read(e);
}

/** The index if it is already read, else undefined (and nothing started). */
export function heldRoleIndex(): RoleIndex | undefined {
  return entry().index;
}

/**
 * Checks the held index; resolves to a newly read one when it was out of date, or undefined when it
 * still stands (or there is none to check).
 */
export async function revalidateRoleIndex(): Promise<RoleIndex | undefined> {
  const e = entry();
  const index = e.index;
  if (!index) return undefined;
  // A reading under way answers when it ends.
  if (e.reading) return e.reading;
  let outdated = e.changed || Date.now() - index.readAt > MAX_AGE_MS;
  // Not allowed GetAccountSummary: the age and the console's own changes decide.
  if (!outdated && index.counted !== undefined) outdated = (await countedRoles()) !== index.counted;
  return outdated ? read(e) : undefined;
}

/** The console created or deleted a role: the next search reads the roles again. */
export function rolesChanged(): void {
  if (held) held.changed = true;
}

/** Sign-out: nothing of the session stays in memory. */
export function forgetRoleIndex(): void {
  held = undefined;
}

/** Roles whose name or path contains `text`, without regard to case, in ListRoles' order. */
export function searchIndex(index: RoleIndex, text: string): Role[] {
  const needle = text.toLowerCase();
  return index.roles.filter((r) => r.RoleName.toLowerCase().includes(needle) || r.Path.toLowerCase().includes(needle));
}

// The account password policy and what it asks of every password set (CreateLoginProfile,
// UpdateLoginProfile, ChangePassword): length, character classes, no reuse of the last N passwords,
// and expiry (MaxPasswordAge; with HardExpiry a user cannot renew an expired password). An account
// without a policy of its own gets AWS's default one: eight characters, three of the four classes.

import type { Tx } from '../store/types.ts';
import { passwordPolicyViolation } from './errors.ts';
import { KIND } from './model.ts';
import { verifyPassword } from '../secrets/index.ts';

/** As UpdateAccountPasswordPolicy sets it and GetAccountPasswordPolicy shows it (unset members absent). */
export interface PasswordPolicyDoc {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

export const POLICY_KEY = 'policy';
const DAY_MS = 86_400_000;

export const findPasswordPolicy = async (tx: Tx, account: string): Promise<PasswordPolicyDoc | undefined> =>
  (await tx.get<PasswordPolicyDoc>(account, KIND.passwordPolicy, POLICY_KEY))?.doc;

/** IAM's documented symbols; a policy requiring symbols wants one of these. */
const SYMBOLS = new Set("!@#$%^&*()_+-=[]{}|'");
const CLASSES = [
  { has: (p: string) => /[A-Z]/.test(p), wanted: (d: PasswordPolicyDoc) => d.RequireUppercaseCharacters, text: 'Password should have at least one uppercase letter' },
  { has: (p: string) => /[a-z]/.test(p), wanted: (d: PasswordPolicyDoc) => d.RequireLowercaseCharacters, text: 'Password should have at least one lowercase letter' },
  { has: (p: string) => /[0-9]/.test(p), wanted: (d: PasswordPolicyDoc) => d.RequireNumbers, text: 'Password should have at least one number' },
  { has: (p: string) => [...p].some((c) => SYMBOLS.has(c)), wanted: (d: PasswordPolicyDoc) => d.RequireSymbols, text: 'Password should have at least one symbol' },
];

const DEFAULT_MINIMUM = 8;

/** Throws PasswordPolicyViolation for the first rule `password` breaks (length, then classes). */
export function checkComposition(policy: PasswordPolicyDoc | undefined, password: string): void {
  const minimum = policy?.MinimumPasswordLength ?? DEFAULT_MINIMUM;
  if (password.length < minimum) throw passwordPolicyViolation(`Password should have a minimum length of ${minimum}`);
  if (policy) {
    for (const c of CLASSES) if (c.wanted(policy) && !c.has(password)) throw passwordPolicyViolation(c.text);
  } else if (CLASSES.filter((c) => c.has(password)).length < 3) {
    throw passwordPolicyViolation('Password should have at least three of the following: uppercase letters, lowercase letters, numbers, symbols');
  }
}

/** Throws when `password` is one of the last `PasswordReusePrevention` passwords (`history`: hashes, newest first). */
export async function checkReuse(policy: PasswordPolicyDoc | undefined, password: string, history: readonly string[]): Promise<void> {
  const n = policy?.PasswordReusePrevention;
  if (!n) return;
  for (const hash of history.slice(0, n)) {
    if (await verifyPassword(password, hash)) throw passwordPolicyViolation(`Password should not be one of your previous ${n} passwords`);
  }
}

/** When a password changed at `changedAt` must be changed again, under `policy`; undefined when never. */
export function nextRotation(policy: PasswordPolicyDoc | undefined, changedAt: string): Date | undefined {
  return policy?.MaxPasswordAge ? new Date(Date.parse(changedAt) + policy.MaxPasswordAge * DAY_MS) : undefined;
}

/** How many hashes a login profile keeps: the most PasswordReusePrevention can ask for. */
export const HISTORY_KEPT = 24;

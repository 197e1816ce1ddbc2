// Virtual MFA devices as the store holds them, and the rules for accepting their codes: which time
// steps a code may match, that no step is ever accepted twice (a code read over a shoulder is spent),
// and the drift ResyncMFADevice learns for a device whose clock has wandered.
//
// A device is keyed by its lower-cased name (unique in the account whatever its path, like IAM's other
// names); its ref names its owner while it is enabled — `user/<UserId>` or `root` — so a rename of the
// user moves nothing, and a user made again under the same name owns none of the old one's devices.

import type { Caller } from '../../common/call.ts';
import type { Entity, Tx } from '../../store/types.ts';
import { noSuchMfaDevice } from '../errors.ts';
import { KIND, nameKey, PARTITION, type Tag } from '../model.ts';
import type { Secrets } from '../../secrets/index.ts';
import { openSeed } from './seed.ts';
import { matchConsecutive, matchStep, range, stepAt } from './totp.ts';

export type MfaOwner = { type: 'user'; id: string } | { type: 'root' };

export interface MfaDeviceDoc {
  SerialNumber: string;
  Path: string;
  name: string;
  CreateDate: string;
  Tags: Tag[];
  owner?: MfaOwner;
  EnableDate?: string;
  /** The last time step whose code was accepted: later codes must come from later steps. */
  lastStep?: number;
  /** Steps the device's clock runs ahead of ours (negative: behind), as ResyncMFADevice found it. */
  drift?: number;
}

export const mfaSerial = (account: string, path: string, name: string): string => `arn:${PARTITION}:iam::${account}:mfa${path}${name}`;
export const mfaOwnerRef = (owner: MfaOwner): string => (owner.type === 'root' ? 'root' : `user/${owner.id}`);
export const sameOwner = (a: MfaOwner | undefined, b: MfaOwner): boolean => a !== undefined && mfaOwnerRef(a) === mfaOwnerRef(b);

/** Whose devices a caller's own MFA codes are checked against: an IAM user's or the root's; nobody else has devices. */
export function mfaOwnerOf(caller: Caller): MfaOwner | undefined {
  if (caller.principal.kind === 'root') return { type: 'root' };
  if (caller.principal.kind === 'user') return { type: 'user', id: caller.userId };
  return undefined;
}

const SERIAL = /^arn:aws:iam::(\d{12}):mfa(\/|\/.*\/)([\w+=,.@-]+)$/;

/** The device a serial number names in `account`, if it is one. */
export async function findDevice(tx: Tx, account: string, serial: string): Promise<Entity<MfaDeviceDoc> | undefined> {
  const m = SERIAL.exec(serial);
  if (!m || m[1] !== account) return undefined;
  const e = await tx.get<MfaDeviceDoc>(account, KIND.mfaDevice, nameKey(m[3]!));
  return e && e.doc.SerialNumber.toLowerCase() === serial.toLowerCase() ? e : undefined;
}

export async function requireDevice(tx: Tx, account: string, serial: string): Promise<Entity<MfaDeviceDoc>> {
  const e = await findDevice(tx, account, serial);
  if (!e) throw noSuchMfaDevice(serial);
  return e;
}

/** The device, if enabled for `owner`; one enabled for someone else is answered as absent, revealing nothing. */
export async function requireOwnedDevice(tx: Tx, account: string, owner: MfaOwner, serial: string): Promise<Entity<MfaDeviceDoc>> {
  const e = await findDevice(tx, account, serial);
  if (!e || !sameOwner(e.doc.owner, owner)) throw noSuchMfaDevice(serial);
  return e;
}

export const devicesOf = (tx: Tx, account: string, owner: MfaOwner): Promise<Entity<MfaDeviceDoc>[]> =>
  tx.listByRef<MfaDeviceDoc>(account, KIND.mfaDevice, mfaOwnerRef(owner));

/** One code (sign-in, GetSessionToken, AssumeRole): the device's current step, or one either side for clock skew. */
const SKEW = 1;
/** Enabling: the two codes may have been read up to two steps ago (typing them takes time), not ahead. */
const ENABLE_BACK = 2;
/** Resynchronizing: a device up to 20 minutes off either way is found again. */
const RESYNC_REACH = 40;

const deviceStep = (doc: MfaDeviceDoc, now: Date): number => stepAt(now.getTime()) + (doc.drift ?? 0);
const unused = (doc: MfaDeviceDoc) => (step: number): boolean => doc.lastStep === undefined || step > doc.lastStep;
const filtered = (steps: Iterable<number>, keep: (s: number) => boolean): number[] => [...steps].filter(keep);

/** The device with `code` spent, or undefined when the code is not one it shows now (or was used already). */
export function acceptCode(doc: MfaDeviceDoc, seed: string, code: string, now: Date): MfaDeviceDoc | undefined {
  const current = deviceStep(doc, now);
  const step = matchStep(seed, code, filtered(range(current - SKEW, current + SKEW), unused(doc)));
  return step === undefined ? undefined : { ...doc, lastStep: step };
}

/**
 * Two consecutive codes, as EnableMFADevice and ResyncMFADevice take them: the device with both spent
 * (and, on resync, the drift they show), or undefined when no two consecutive steps in reach show them.
 */
export function acceptConsecutive(doc: MfaDeviceDoc, seed: string, first: string, second: string, now: Date, purpose: 'enable' | 'resync'): MfaDeviceDoc | undefined {
  if (purpose === 'enable') {
    const current = deviceStep(doc, now);
    const step = matchConsecutive(seed, first, second, filtered(range(current - ENABLE_BACK, current), unused(doc)));
    return step === undefined ? undefined : { ...doc, lastStep: step + 1 };
  }
  const ours = stepAt(now.getTime());
  // Nearest first, so a device that is merely on time is not taken for one far off.
  const near = [...range(ours - RESYNC_REACH, ours + RESYNC_REACH)].sort((a, b) => Math.abs(a - ours) - Math.abs(b - ours));
  const step = matchConsecutive(seed, first, second, near.filter(unused(doc)));
  return step === undefined ? undefined : { ...doc, lastStep: step + 1, drift: step + 1 - ours };
}

export type MfaVerdict = 'ok' | 'no-device' | 'bad-code';

/**
 * STS's question (GetSessionToken, AssumeRole with SerialNumber and TokenCode): is `code` the current
 * code of the device `serial`, enabled for the caller? Spends the code when it is.
 */
export async function verifyMfaToken(tx: Tx, secrets: Secrets, caller: Caller, serial: string, code: string, now: Date): Promise<MfaVerdict> {
  const owner = mfaOwnerOf(caller);
  const e = owner && (await findDevice(tx, caller.account, serial));
  if (!owner || !e || !sameOwner(e.doc.owner, owner)) return 'no-device';
  const spent = acceptCode(e.doc, await openSeed(tx, secrets, caller.account, e.doc.name), code, now);
  if (!spent) return 'bad-code';
  await tx.update(caller.account, KIND.mfaDevice, e.key, spent);
  return 'ok';
}

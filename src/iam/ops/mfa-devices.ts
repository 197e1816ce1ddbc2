// Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice, DeactivateMFADevice,
// DeleteVirtualMFADevice, GetMFADevice, ListMFADevices, ListVirtualMFADevices and
// Tag/Untag/ListMFADeviceTags. Codes are checked as devices/ says; the seed leaves iamd once, in
// CreateVirtualMFADevice's answer.
//
// Devices are made for the account and then enabled for a user — or for the root, which names itself
// by its account id (AWS enables the root's device only in the console; iamd has no console).

import type { AuthzCheck, CallContext } from '../../common/call.ts';
import type { Tx } from '../../store/types.ts';
import { check, userCheck } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { ApiError } from '../../common/errors.ts';
import { invalidAuthenticationCode, mfaDeviceEnabled, mfaDeviceExists, mfaDeviceInUse, noSuchMfaDevice, quotaExceeded } from '../errors.ts';
import { requireUser } from '../lookups.ts';
import { GLOBAL, KIND, nameKey, rootArn, type AccountDoc, type Tag, type UserDoc } from '../model.ts';
import { bootstrap } from '../mfa/bootstrap.ts';
import {
  acceptConsecutive,
  devicesOf,
  findDevice,
  mfaOwnerRef,
  mfaSerial,
  requireDevice,
  requireOwnedDevice,
  type MfaDeviceDoc,
  type MfaOwner,
} from '../mfa/devices.ts';
import { newSeed } from '../mfa/totp.ts';
import { forgetSeed, keepSeed, openSeed } from '../mfa/seed.ts';
import { userOut } from '../output.ts';
import { paginate, pageMembers, type PageInput } from '../pagination.ts';
import { mergeTags, requestTagContext, resourceTagContext } from '../tags.ts';
import { defineOp, insertNew, nowIso, type Output } from './define.ts';
import { tagOperationsFor, type Taggable } from './tagging.ts';
import { implicitUserName } from './users.ts';

/** Who an MFA call is about: a user, or the root (its own calls without a name, or naming its account id). */
type Target = { owner: Extract<MfaOwner, { type: 'root' }> } | { owner: Extract<MfaOwner, { type: 'user' }>; user: UserDoc };

const meansRoot = (ctx: CallContext, userName: string | undefined): boolean =>
  ctx.caller.principal.kind === 'root' && (userName === undefined || userName === ctx.account);

async function resolveTarget(tx: Tx, ctx: CallContext, userName: string | undefined): Promise<Target> {
  if (meansRoot(ctx, userName)) return { owner: { type: 'root' } };
  const name = userName ?? implicitUserName(ctx)!;
  const { doc } = await requireUser(tx, ctx.account, name);
  return { owner: { type: 'user', id: doc.UserId }, user: doc };
}

/** The user's ARN (with its tags and boundary as condition keys), or the root's. */
async function targetCheck(tx: Tx, ctx: CallContext, action: string, userName: string | undefined): Promise<AuthzCheck> {
  if (meansRoot(ctx, userName)) return check(action, rootArn(ctx.account));
  return userCheck(tx, ctx, action, userName ?? implicitUserName(ctx)!);
}

/** A device's own ARN — its serial number — with its tags. */
async function deviceCheck(tx: Tx, ctx: CallContext, action: string, serial: string, extra: Record<string, string | string[]> = {}): Promise<AuthzCheck> {
  const e = await findDevice(tx, ctx.account, serial);
  return check(action, serial, { ...resourceTagContext(e?.doc.Tags ?? [], false), ...extra });
}

/** GetUser's answer for the root, which is how AWS shows the root as a device's user. */
async function rootAsUser(tx: Tx, account: string): Promise<Output> {
  const acct = await tx.get<AccountDoc>(GLOBAL, KIND.account, account);
  return { Path: '/', UserId: account, Arn: rootArn(account), CreateDate: new Date(acct?.doc.CreateDate ?? 0) };
}

const enabledOut = (doc: MfaDeviceDoc, userName: string | undefined): Output => {
  const out: Output = {};
  if (userName !== undefined) out.UserName = userName;
  out.SerialNumber = doc.SerialNumber;
  if (doc.EnableDate) out.EnableDate = new Date(doc.EnableDate);
  return out;
};

const userNameOf = (target: Target): string | undefined => ('user' in target ? target.user.UserName : undefined);

const MAX_DEVICE_NAME = 226;
const nameTooLong = () =>
  new ApiError(
    'ValidationError',
    `1 validation error detected: Value at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEVICE_NAME}`,
    400,
  );

export function mfaDeviceOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const create = defineOp<{ Path?: string; VirtualMFADeviceName: string; Tags?: Tag[] }>('CreateVirtualMFADevice', {
    authorize(input, ctx) {
      const serial = mfaSerial(ctx.account, input.Path ?? '/', input.VirtualMFADeviceName);
      const checks = [check('CreateVirtualMFADevice', serial, requestTagContext(input.Tags))];
      if (input.Tags?.length) checks.push(check('TagMFADevice', serial, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      // AWS's documented bound (its model leaves it out): the serial number, at most 256 characters,
      // holds the name after `arn:aws:iam::<account>:mfa/`; it is also what the QR code must carry.
      if (input.VirtualMFADeviceName.length > MAX_DEVICE_NAME) throw nameTooLong();
      const Tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
      const path = input.Path ?? '/';
      const seed = newSeed();
      const doc: MfaDeviceDoc = {
        SerialNumber: mfaSerial(ctx.account, path, input.VirtualMFADeviceName),
        Path: path,
        name: input.VirtualMFADeviceName,
        CreateDate: nowIso(ctx),
        Tags,
      };
      await insertNew(tx, ctx.account, KIND.mfaDevice, nameKey(doc.name), doc, null, mfaDeviceExists);
      await keepSeed(tx, deps.secrets, ctx.account, doc.name, seed);
      const device: Output = { SerialNumber: doc.SerialNumber, ...(await bootstrap(seed, doc.name, ctx.account)) };
      if (Tags.length > 0) device.Tags = Tags;
      return { VirtualMFADevice: device };
    },
  });

  type CodesInput = { UserName: string; SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string };

  const enable = defineOp<CodesInput>('EnableMFADevice', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'EnableMFADevice', input.UserName)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, ctx, input.UserName);
      const e = await requireDevice(tx, ctx.account, input.SerialNumber);
      if (e.doc.owner) throw mfaDeviceInUse();
      if (target.owner.type === 'user' && (await devicesOf(tx, ctx.account, target.owner)).length >= quotas.mfaDevicesPerUser) {
        throw quotaExceeded('MFADevicesPerUser', quotas.mfaDevicesPerUser);
      }
      const seed = await openSeed(tx, deps.secrets, ctx.account, e.doc.name);
      const spent = acceptConsecutive(e.doc, seed, input.AuthenticationCode1, input.AuthenticationCode2, ctx.now, 'enable');
      if (!spent) throw invalidAuthenticationCode();
      await tx.update(ctx.account, KIND.mfaDevice, e.key, { ...spent, owner: target.owner, EnableDate: nowIso(ctx) }, mfaOwnerRef(target.owner));
      return {};
    },
  });

  const resync = defineOp<CodesInput>('ResyncMFADevice', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'ResyncMFADevice', input.UserName)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, ctx, input.UserName);
      const e = await requireOwnedDevice(tx, ctx.account, target.owner, input.SerialNumber);
      const seed = await openSeed(tx, deps.secrets, ctx.account, e.doc.name);
      const spent = acceptConsecutive(e.doc, seed, input.AuthenticationCode1, input.AuthenticationCode2, ctx.now, 'resync');
      if (!spent) throw invalidAuthenticationCode();
      await tx.update(ctx.account, KIND.mfaDevice, e.key, spent);
      return {};
    },
  });

  const deactivate = defineOp<{ UserName?: string; SerialNumber: string }>('DeactivateMFADevice', {
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'DeactivateMFADevice', input.UserName)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, ctx, input.UserName);
      const e = await requireOwnedDevice(tx, ctx.account, target.owner, input.SerialNumber);
      // The device stays, unassigned, with its spent steps: a code once used is never good again.
      const { owner: _owner, EnableDate: _enabled, ...rest } = e.doc;
      await tx.update(ctx.account, KIND.mfaDevice, e.key, rest, null);
      return {};
    },
  });

  const del = defineOp<{ SerialNumber: string }>('DeleteVirtualMFADevice', {
    authorize: async (input, ctx, tx) => [await deviceCheck(tx, ctx, 'DeleteVirtualMFADevice', input.SerialNumber)],
    async handle(input, ctx, tx) {
      const e = await requireDevice(tx, ctx.account, input.SerialNumber);
      if (e.doc.owner) throw mfaDeviceEnabled();
      await tx.delete(ctx.account, KIND.mfaDevice, e.key);
      await forgetSeed(tx, ctx.account, e.doc.name);
      return {};
    },
  });

  const get = defineOp<{ SerialNumber: string; UserName?: string }>('GetMFADevice', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'GetMFADevice', input.UserName)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, ctx, input.UserName);
      const e = await requireOwnedDevice(tx, ctx.account, target.owner, input.SerialNumber);
      return enabledOut(e.doc, userNameOf(target));
    },
  });

  const list = defineOp<{ UserName?: string } & PageInput>('ListMFADevices', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await targetCheck(tx, ctx, 'ListMFADevices', input.UserName)],
    async handle(input, ctx, tx) {
      const target = await resolveTarget(tx, ctx, input.UserName);
      const page = paginate(await devicesOf(tx, ctx.account, target.owner), (e) => e.key, input);
      return { MFADevices: page.items.map((e) => enabledOut(e.doc, userNameOf(target))), ...pageMembers(page) };
    },
  });

  const listVirtual = defineOp<{ AssignmentStatus?: 'Assigned' | 'Unassigned' | 'Any' } & PageInput>('ListVirtualMFADevices', {
    readOnly: true,
    authorize: () => [check('ListVirtualMFADevices', '*')],
    async handle(input, ctx, tx) {
      const status = input.AssignmentStatus ?? 'Any';
      const all = (await tx.list<MfaDeviceDoc>(ctx.account, KIND.mfaDevice)).filter(
        (e) => status === 'Any' || (status === 'Assigned') === (e.doc.owner !== undefined),
      );
      const page = paginate(all, (e) => e.key, input);
      const usersById = new Map<string, UserDoc>();
      if (page.items.some((e) => e.doc.owner?.type === 'user')) {
        for (const u of await tx.list<UserDoc>(ctx.account, KIND.user)) usersById.set(u.doc.UserId, u.doc);
      }
      const devices: Output[] = [];
      for (const { doc } of page.items) {
        const out: Output = { SerialNumber: doc.SerialNumber };
        if (doc.owner?.type === 'root') out.User = await rootAsUser(tx, ctx.account);
        if (doc.owner?.type === 'user') {
          const user = usersById.get(doc.owner.id);
          if (user) out.User = userOut(user, 'brief');
        }
        if (doc.EnableDate) out.EnableDate = new Date(doc.EnableDate);
        devices.push(out);
      }
      return { VirtualMFADevices: devices, ...pageMembers(page) };
    },
  });

  const taggable: Taggable = {
    label: 'MFADevice',
    member: 'SerialNumber',
    caseInsensitive: true,
    check: (tx, ctx, action, serial, extra) => deviceCheck(tx, ctx, action, serial, extra),
    async load(tx, account, serial) {
      const e = await findDevice(tx, account, serial);
      if (!e) throw noSuchMfaDevice(serial);
      return { kind: KIND.mfaDevice, key: e.key, doc: e.doc };
    },
  };

  return [create, enable, resync, deactivate, del, get, list, listVirtual, ...tagOperationsFor(taggable, deps)];
}

/** GetAccountSummary's MFA members: devices made, devices enabled, and whether the root has one. */
export async function mfaSummary(tx: Tx, account: string): Promise<{ MFADevices: number; MFADevicesInUse: number; AccountMFAEnabled: number }> {
  // Counters, not a listing: the summary costs the same however many devices the account holds. A
  // device holds its owner as ref exactly while it is enabled.
  return {
    MFADevices: await tx.count(account, KIND.mfaDevice),
    MFADevicesInUse: await tx.count(account, KIND.mfaDevice, { withRef: true }),
    AccountMFAEnabled: (await tx.count(account, KIND.mfaDevice, { ref: mfaOwnerRef({ type: 'root' }) })) > 0 ? 1 : 0,
  };
}

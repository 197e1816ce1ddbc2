// Virtual MFA devices through the real IAM and STS clients: the device's life (create, enable with two
// codes computed here from its seed, resync, deactivate, delete), its QR code decoded back to the URI,
// listings and tags, AWS's recorded texts, each call's authorization, and what MFA changes for STS:
// GetSessionToken and AssumeRole check the code, and the session then carries
// aws:MultiFactorAuthPresent / aws:MultiFactorAuthAge, which policies can demand.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteUserCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetAccountSummaryCommand,
  GetMFADeviceCommand,
  ListMFADevicesCommand,
  ListMFADeviceTagsCommand,
  ListUsersCommand,
  ListVirtualMFADevicesCommand,
  ResyncMFADeviceCommand,
  TagMFADeviceCommand,
  UntagMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, freshAccount, policy, sessionCredentials, userWithKey } from '../helpers/iam.ts';
import { createDevice, enabledDevice } from '../helpers/mfa.ts';
import { currentCodes, stepAt, totp } from '../helpers/totp.ts';
import { readQr } from '../helpers/qr.ts';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startServer();
  iam = server.iam();
});
after(() => server.close());

const serialOf = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:mfa${path}${name}`;
const notFound = (serial: string) => `MFA Device with serial number ${serial} does not exist.`;
const virtualDevices = async (AssignmentStatus?: 'Assigned' | 'Unassigned' | 'Any', client = iam) =>
  (await client.send(new ListVirtualMFADevicesCommand(AssignmentStatus ? { AssignmentStatus } : {}))).VirtualMFADevices!;
const serials = (devices: { SerialNumber?: string }[]) => devices.map((d) => d.SerialNumber);

describe('virtual MFA devices', () => {
  test('a new device: its serial, its seed, and a QR code that decodes to the otpauth URI', async () => {
    const { VirtualMFADevice: d } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'qr-device' }));
    assert.equal(d!.SerialNumber, serialOf('qr-device'));
    const seed = Buffer.from(d!.Base32StringSeed!).toString('ascii');
    assert.match(seed, /^[A-Z2-7]{64}$/);
    const text = readQr(Buffer.from(d!.QRCodePNG!));
    assert.ok(text, 'the PNG holds a QR code');
    const uri = new URL(text);
    assert.equal(`${uri.protocol}//${uri.host}`, 'otpauth://totp');
    assert.equal(decodeURIComponent(uri.pathname), `/Amazon Web Services:qr-device@${ACCOUNT}`);
    assert.equal(uri.searchParams.get('secret'), seed);
    assert.equal(uri.searchParams.get('issuer'), 'Amazon Web Services');
    // Listing never hands the seed out again.
    const listed = (await virtualDevices()).find((v) => v.SerialNumber === d!.SerialNumber)!;
    assert.deepEqual(listed, { SerialNumber: d!.SerialNumber });
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: d!.SerialNumber }));
  });

  test('paths, duplicates and invalid input (recorded texts)', async () => {
    for (const path of ['/', '/test-path/', '/test//double/']) {
      const device = await createDevice(iam, `path-device-${path.length}`, path);
      assert.equal(device.serial, serialOf(`path-device-${path.length}`, path));
      assert.ok(serials(await virtualDevices()).includes(device.serial));
      await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial }));
      assert.ok(!serials(await virtualDevices()).includes(device.serial));
    }
    await createDevice(iam, 'dup-device');
    await rejects(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'dup-device' })), 'EntityAlreadyExistsException', 'MFA device already exists.', 409);
    // Names are unique in the account whatever the path.
    await rejects(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'DUP-device', Path: '/other/' })), 'EntityAlreadyExistsException', 'MFA device already exists.', 409);
    await rejects(
      iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'long-path', Path: `/${'a'.repeat(512)}/` })),
      'ValidationError',
      "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512",
      400,
    );
    for (const Path of ['invalid-path/', '/invalid-path']) {
      await rejects(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'bad-path', Path })), 'ValidationError', undefined, 400);
    }
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialOf('nonexistent-device') })), 'NoSuchEntityException', notFound(serialOf('nonexistent-device')), 404);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serialOf('dup-device') }));
  });

  test("a name longer than AWS's 226 characters is a ValidationError, not a QR code that cannot be drawn (found by the million-case fuzz)", async () => {
    await rejects(
      iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'x'.repeat(227) })),
      'ValidationError',
      "1 validation error detected: Value at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to 226",
      400,
    );
    const longest = await createDevice(iam, 'y'.repeat(226));
    assert.equal(longest.serial, serialOf('y'.repeat(226)));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: longest.serial }));
  });

  test('ListVirtualMFADevices: assignment filter (Any by default), pages, invalid marker', async () => {
    const { iam: own } = await freshAccount(server);
    const made = [];
    for (const i of [0, 1, 2]) made.push(await createDevice(own, `list-${i}`));
    await own.send(new CreateUserCommand({ UserName: 'lister' }));
    const codes = currentCodes(made[1]!.seed);
    await own.send(new EnableMFADeviceCommand({ UserName: 'lister', SerialNumber: made[1]!.serial, AuthenticationCode1: codes.previous, AuthenticationCode2: codes.current }));
    const all = made.map((d) => d.serial);
    assert.deepEqual(serials(await virtualDevices(undefined, own)), all);
    assert.deepEqual(serials(await virtualDevices('Any', own)), all);
    assert.deepEqual(serials(await virtualDevices('Unassigned', own)), [all[0], all[2]]);
    const assigned = await virtualDevices('Assigned', own);
    assert.deepEqual(serials(assigned), [all[1]]);
    assert.deepEqual(Object.keys(assigned[0]!.User!).sort(), ['Arn', 'CreateDate', 'Path', 'UserId', 'UserName']);
    assert.equal(assigned[0]!.User!.UserName, 'lister');
    assert.ok(assigned[0]!.EnableDate instanceof Date);
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await own.send(new ListVirtualMFADevicesCommand({ MaxItems: 1, ...(Marker ? { Marker } : {}) }));
      assert.equal(page.VirtualMFADevices!.length, 1);
      seen.push(page.VirtualMFADevices![0]!.SerialNumber!);
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    assert.deepEqual(seen, all);
    await rejects(own.send(new ListVirtualMFADevicesCommand({ Marker: 'invalid-marker-value' })), 'ValidationError', 'Invalid Marker.', 400);
    await rejects(own.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Some' as 'Any' })), 'ValidationError', undefined, 400);
  });

  test('enable with two consecutive codes, then get, list, deactivate and delete (recorded errors)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'mfa-user' }));
    const device = await createDevice(iam, 'mfa-user-phone');
    const enable = (UserName: string, AuthenticationCode1: string, AuthenticationCode2: string, SerialNumber = device.serial) =>
      iam.send(new EnableMFADeviceCommand({ UserName, SerialNumber, AuthenticationCode1, AuthenticationCode2 }));
    // The user is looked up before the codes are (recorded).
    await rejects(enable('nonexistent-user', '123456', '654321'), 'NoSuchEntityException', 'The user with name nonexistent-user cannot be found.', 404);
    await rejects(iam.send(new DeactivateMFADeviceCommand({ UserName: 'nonexistent-user', SerialNumber: device.serial })), 'NoSuchEntityException', 'The user with name nonexistent-user cannot be found.', 404);
    await rejects(iam.send(new DeactivateMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: serialOf('nonexistent-mfa') })), 'NoSuchEntityException', notFound(serialOf('nonexistent-mfa')), 404);
    await rejects(enable('mfa-user', '123456', '654321', serialOf('nonexistent-mfa')), 'NoSuchEntityException', notFound(serialOf('nonexistent-mfa')), 404);
    const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    let codes = currentCodes(device.seed);
    for (const [one, two] of [
      [wrong(codes.previous), codes.current],
      [codes.previous, wrong(codes.current)],
      [codes.current, codes.current],
      [codes.current, codes.previous],
      [totp(device.seed, codes.step - 5), totp(device.seed, codes.step - 4)],
    ]) {
      await rejects(enable('mfa-user', one!, two!), 'InvalidAuthenticationCodeException', 'Authentication code for device is not valid.', 403);
    }
    assert.deepEqual((await iam.send(new ListMFADevicesCommand({ UserName: 'mfa-user' }))).MFADevices, []);
    codes = currentCodes(device.seed);
    await enable('mfa-user', codes.previous, codes.current);

    const listed = (await iam.send(new ListMFADevicesCommand({ UserName: 'mfa-user' }))).MFADevices!;
    assert.equal(listed.length, 1);
    assert.deepEqual({ ...listed[0], EnableDate: undefined }, { UserName: 'mfa-user', SerialNumber: device.serial, EnableDate: undefined });
    assert.ok(listed[0]!.EnableDate instanceof Date);
    const got = await iam.send(new GetMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: device.serial }));
    assert.equal(got.UserName, 'mfa-user');
    assert.equal(got.SerialNumber, device.serial);
    assert.equal(got.EnableDate?.getTime(), listed[0]!.EnableDate!.getTime());
    assert.ok(serials(await virtualDevices('Assigned')).includes(device.serial));
    assert.ok(!serials(await virtualDevices('Unassigned')).includes(device.serial));

    // In use: not enabled twice, not deleted, and its user cannot be deleted.
    await iam.send(new CreateUserCommand({ UserName: 'mfa-other' }));
    codes = currentCodes(device.seed);
    await rejects(enable('mfa-other', codes.current, codes.next), 'EntityAlreadyExistsException', 'MFA Device is already in use.', 409);
    await rejects(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial })), 'DeleteConflictException', 'MFA VirtualDevice in use. Must deactivate first.', 409);
    await rejects(iam.send(new DeleteUserCommand({ UserName: 'mfa-user' })), 'DeleteConflictException', 'Cannot delete entity, must delete MFA device first.', 409);
    // Another user's device is no device of this one's.
    await rejects(iam.send(new GetMFADeviceCommand({ UserName: 'mfa-other', SerialNumber: device.serial })), 'NoSuchEntityException', notFound(device.serial), 404);
    await rejects(iam.send(new DeactivateMFADeviceCommand({ UserName: 'mfa-other', SerialNumber: device.serial })), 'NoSuchEntityException', notFound(device.serial), 404);

    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'mfa-user', SerialNumber: device.serial }));
    assert.deepEqual((await iam.send(new ListMFADevicesCommand({ UserName: 'mfa-user' }))).MFADevices, []);
    assert.ok(serials(await virtualDevices('Unassigned')).includes(device.serial));
    await iam.send(new DeleteUserCommand({ UserName: 'mfa-user' }));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial }));
    assert.ok(!serials(await virtualDevices()).includes(device.serial));
  });

  test('GetAccountSummary counts devices made and enabled; the root enables one for itself', async () => {
    const { iam: own, credentials, account } = await freshAccount(server);
    const summary = async () => (await own.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    assert.deepEqual([(await summary()).MFADevices, (await summary()).MFADevicesInUse, (await summary()).AccountMFAEnabled], [0, 0, 0]);
    await createDevice(own, 'spare');
    await own.send(new CreateUserCommand({ UserName: 'u' }));
    await enabledDevice(own, 'u');
    let s = await summary();
    assert.deepEqual([s.MFADevices, s.MFADevicesInUse, s.AccountMFAEnabled], [2, 1, 0]);
    // The root names itself by its account id (AWS does this only in its console).
    const root = await enabledDevice(own, account, 'root-account-mfa-device');
    assert.equal(root.serial, `arn:aws:iam::${account}:mfa/root-account-mfa-device`);
    s = await summary();
    assert.deepEqual([s.MFADevices, s.MFADevicesInUse, s.AccountMFAEnabled], [3, 2, 1]);
    const mine = (await own.send(new ListMFADevicesCommand({}))).MFADevices!;
    assert.deepEqual(serials(mine), [root.serial]);
    const shown = (await virtualDevices('Assigned', own)).find((d) => d.SerialNumber === root.serial)!;
    assert.equal(shown.User!.Arn, `arn:aws:iam::${account}:root`);
    assert.equal(shown.User!.UserId, account);
    // The root's MFA session.
    const session = await server.sts(credentials).send(new GetSessionTokenCommand({ SerialNumber: root.serial, TokenCode: currentCodes(root.seed).next }));
    const who = await server.sts(sessionCredentials(session.Credentials)).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${account}:root`);
  });

  test('ResyncMFADevice finds a device whose clock has wandered', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'drifting' }));
    await iam.send(new CreateUserCommand({ UserName: 'drifting-other' }));
    const device = await enabledDevice(iam, 'drifting');
    const ahead = stepAt(Date.now()) + 10;
    const credentials = await userWithKeyFor('drifting');
    const sts = server.sts(credentials);
    // The device runs five minutes ahead: its codes are not good now.
    await rejects(sts.send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: totp(device.seed, ahead + 2) })), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
    await rejects(
      iam.send(new ResyncMFADeviceCommand({ UserName: 'drifting', SerialNumber: device.serial, AuthenticationCode1: '000000', AuthenticationCode2: '000001' })),
      'InvalidAuthenticationCodeException',
      'Authentication code for device is not valid.',
      403,
    );
    await iam.send(new ResyncMFADeviceCommand({ UserName: 'drifting', SerialNumber: device.serial, AuthenticationCode1: totp(device.seed, ahead), AuthenticationCode2: totp(device.seed, ahead + 1) }));
    const session = await sts.send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: totp(device.seed, ahead + 2) }));
    assert.ok(session.Credentials?.SessionToken);
    await rejects(
      iam.send(new ResyncMFADeviceCommand({ UserName: 'drifting-other', SerialNumber: device.serial, AuthenticationCode1: '000000', AuthenticationCode2: '000001' })),
      'NoSuchEntityException',
      notFound(device.serial),
      404,
    );
  });

  test('a user has at most eight enabled devices, listed in pages', async () => {
    const { iam: own } = await freshAccount(server);
    await own.send(new CreateUserCommand({ UserName: 'collector' }));
    const made = [];
    for (let i = 0; i < 8; i++) made.push(await enabledDevice(own, 'collector', `device-${i}`));
    const ninth = await createDevice(own, 'device-8');
    const codes = currentCodes(ninth.seed);
    await rejects(
      own.send(new EnableMFADeviceCommand({ UserName: 'collector', SerialNumber: ninth.serial, AuthenticationCode1: codes.previous, AuthenticationCode2: codes.current })),
      'LimitExceededException',
      'Cannot exceed quota for MFADevicesPerUser: 8',
      409,
    );
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await own.send(new ListMFADevicesCommand({ UserName: 'collector', MaxItems: 3, ...(Marker ? { Marker } : {}) }));
      assert.ok(page.MFADevices!.length <= 3);
      seen.push(...serials(page.MFADevices!).map(String));
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    assert.deepEqual(seen, made.map((d) => d.serial));
    await rejects(own.send(new ListMFADevicesCommand({ UserName: 'collector', Marker: 'nope' })), 'ValidationError', 'Invalid Marker.', 400);
  });

  test('tags: on create, Tag/Untag/ListMFADeviceTags with pages, limits and errors', async () => {
    const { VirtualMFADevice: d } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.deepEqual(d!.Tags, [{ Key: 'team', Value: 'a' }]);
    const SerialNumber = d!.SerialNumber!;
    await iam.send(new TagMFADeviceCommand({ SerialNumber, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'TEAM', Value: 'b' }] }));
    assert.deepEqual((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber }))).Tags, [{ Key: 'TEAM', Value: 'b' }, { Key: 'env', Value: 'prod' }]);
    const first = await iam.send(new ListMFADeviceTagsCommand({ SerialNumber, MaxItems: 1 }));
    assert.equal(first.IsTruncated, true);
    const rest = await iam.send(new ListMFADeviceTagsCommand({ SerialNumber, Marker: first.Marker }));
    assert.deepEqual([...first.Tags!, ...rest.Tags!].map((t) => t.Key), ['TEAM', 'env']);
    await iam.send(new UntagMFADeviceCommand({ SerialNumber, TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new ListMFADeviceTagsCommand({ SerialNumber }))).Tags, [{ Key: 'env', Value: 'prod' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(iam.send(new TagMFADeviceCommand({ SerialNumber, Tags: many })), 'LimitExceededException', 'The number of tags has reached the maximum limit.', 409);
    await rejects(iam.send(new TagMFADeviceCommand({ SerialNumber, Tags: [{ Key: 'aws:x', Value: 'v' }] })), 'InvalidInputException', undefined, 400);
    await rejects(iam.send(new ListMFADeviceTagsCommand({ SerialNumber: serialOf('untagged-nothing') })), 'NoSuchEntityException', notFound(serialOf('untagged-nothing')), 404);
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber }));
  });
});

/** A key for an existing user, made by the root. */
async function userWithKeyFor(name: string): Promise<Credentials> {
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

describe('authorization of the MFA calls', () => {
  test('each asks its action on the user, the device or *, with the device tags as condition keys', async () => {
    const self = await userWithKey(
      iam,
      'self-service',
      policy(
        allow(['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], `arn:aws:iam::${ACCOUNT}:mfa/\${aws:username}`),
        allow(['iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:DeactivateMFADevice'], `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`),
        allow('iam:TagMFADevice', '*', { Condition: { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } } }),
      ),
    );
    const client = server.iam(self);
    const denied = (action: string, resource: string) =>
      `User: arn:aws:iam::${ACCOUNT}:user/self-service is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
    const own = await createDevice(client, 'self-service');
    await rejects(client.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'not-mine' })), 'AccessDenied', denied('iam:CreateVirtualMFADevice', serialOf('not-mine')), 403);
    const codes = currentCodes(own.seed);
    await client.send(new EnableMFADeviceCommand({ UserName: 'self-service', SerialNumber: own.serial, AuthenticationCode1: codes.previous, AuthenticationCode2: codes.current }));
    assert.deepEqual(serials((await client.send(new ListMFADevicesCommand({}))).MFADevices!), [own.serial]);
    await iam.send(new CreateUserCommand({ UserName: 'someone-else' }));
    await rejects(client.send(new ListMFADevicesCommand({ UserName: 'someone-else' })), 'AccessDenied', denied('iam:ListMFADevices', `arn:aws:iam::${ACCOUNT}:user/someone-else`), 403);
    await rejects(client.send(new ListVirtualMFADevicesCommand({})), 'AccessDenied', denied('iam:ListVirtualMFADevices', '*'), 403);
    const other = `arn:aws:iam::${ACCOUNT}:user/someone-else`;
    await rejects(client.send(new GetMFADeviceCommand({ UserName: 'someone-else', SerialNumber: own.serial })), 'AccessDenied', denied('iam:GetMFADevice', other), 403);
    await rejects(
      client.send(new ResyncMFADeviceCommand({ UserName: 'someone-else', SerialNumber: own.serial, AuthenticationCode1: '000000', AuthenticationCode2: '000001' })),
      'AccessDenied',
      denied('iam:ResyncMFADevice', other),
      403,
    );
    await rejects(client.send(new EnableMFADeviceCommand({ UserName: 'someone-else', SerialNumber: own.serial, AuthenticationCode1: '000000', AuthenticationCode2: '000001' })), 'AccessDenied', denied('iam:EnableMFADevice', other), 403);
    await rejects(client.send(new ListMFADeviceTagsCommand({ SerialNumber: own.serial })), 'AccessDenied', denied('iam:ListMFADeviceTags', own.serial), 403);
    await rejects(client.send(new TagMFADeviceCommand({ SerialNumber: own.serial, Tags: [{ Key: 'owner', Value: 'x' }] })), 'AccessDenied', denied('iam:TagMFADevice', own.serial), 403);
    await iam.send(new TagMFADeviceCommand({ SerialNumber: own.serial, Tags: [{ Key: 'owner', Value: 'self-service' }] }));
    await client.send(new TagMFADeviceCommand({ SerialNumber: own.serial, Tags: [{ Key: 'kind', Value: 'phone' }] }));
    await client.send(new DeactivateMFADeviceCommand({ SerialNumber: own.serial }));
    await client.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: own.serial }));
  });
});

describe('MFA on STS and in policies', () => {
  const needsMfa = policy(
    allow('iam:ListUsers', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }),
    allow('iam:GetAccountSummary', '*', { Condition: { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '86400' } } }),
  );

  test('GetSessionToken checks the code; only its MFA session may call IAM, and meets policies demanding MFA', async () => {
    const keys = await userWithKey(iam, 'mfa-admin', needsMfa);
    const device = await enabledDevice(iam, 'mfa-admin');
    const sts = server.sts(keys);
    const unable = 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.';
    await rejects(sts.send(new GetSessionTokenCommand({ SerialNumber: serialOf('not-a-device'), TokenCode: '123456' })), 'AccessDenied', unable, 403);
    const spare = await createDevice(iam, 'mfa-admin-unassigned');
    await rejects(sts.send(new GetSessionTokenCommand({ SerialNumber: spare.serial, TokenCode: currentCodes(spare.seed).current })), 'AccessDenied', unable, 403);
    const code = currentCodes(device.seed).next;
    const wrongCode = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    await rejects(sts.send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: wrongCode })), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);

    // Long-term keys: no MFA information, so the policy's condition fails.
    await rejects(server.iam(keys).send(new ListUsersCommand({})), 'AccessDenied', undefined, 403);
    // A session without MFA cannot call IAM at all.
    const plain = sessionCredentials((await sts.send(new GetSessionTokenCommand({}))).Credentials);
    await rejects(server.iam(plain).send(new ListUsersCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.', 403);

    const mfa = sessionCredentials((await sts.send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code }))).Credentials);
    const users = await server.iam(mfa).send(new ListUsersCommand({}));
    assert.ok(users.Users!.some((u) => u.UserName === 'mfa-admin'));
    // aws:MultiFactorAuthAge is the seconds since the code was proved: far below a day.
    await rejects(server.iam(mfa).send(new GetAccountSummaryCommand({})), 'AccessDenied', undefined, 403);
    // The same code never works twice.
    await rejects(sts.send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: code })), 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
  });

  test('AssumeRole: a trust policy demanding MFA refuses a caller without it and lets in one with a code or an MFA session', async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/needs-mfa`;
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'needs-mfa',
        AssumeRolePolicyDocument: policy({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        }),
      }),
    );
    const assume = (credentials: Credentials, extra: { SerialNumber?: string; TokenCode?: string } = {}) =>
      server.sts(credentials).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'mfa-session', ...extra }));
    const denied = (user: string) => `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;

    const direct = await userWithKey(iam, 'assumer-direct', policy(allow('sts:AssumeRole', roleArn)));
    const directDevice = await enabledDevice(iam, 'assumer-direct');
    await rejects(assume(direct), 'AccessDenied', denied('assumer-direct'), 403);
    const assumed = await assume(direct, { SerialNumber: directDevice.serial, TokenCode: currentCodes(directDevice.seed).next });
    assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/needs-mfa/mfa-session`);

    // Role chaining from an MFA GetSessionToken session carries its MFA on.
    const chained = await userWithKey(iam, 'assumer-chained', policy(allow('sts:AssumeRole', roleArn)));
    const chainedDevice = await enabledDevice(iam, 'assumer-chained');
    const mfaSession = sessionCredentials(
      (await server.sts(chained).send(new GetSessionTokenCommand({ SerialNumber: chainedDevice.serial, TokenCode: currentCodes(chainedDevice.seed).next }))).Credentials,
    );
    const plainSession = sessionCredentials((await server.sts(chained).send(new GetSessionTokenCommand({}))).Credentials);
    await rejects(assume(plainSession), 'AccessDenied', denied('assumer-chained'), 403);
    const viaSession = await assume(mfaSession);
    assert.ok(viaSession.Credentials?.SessionToken);
  });
});

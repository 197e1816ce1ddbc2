// Virtual MFA devices through the real IAM client, for the suites that need a user with MFA: a device
// made and enabled with codes computed here from the seed it returned (RFC 6238, helpers/totp.ts).

import { CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, type IAMClient } from '@aws-sdk/client-iam';
import { currentCodes } from './totp.ts';

export interface TestDevice {
  serial: string;
  seed: string;
}

export async function createDevice(iam: IAMClient, name: string, path?: string): Promise<TestDevice> {
  const { VirtualMFADevice: d } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name, ...(path ? { Path: path } : {}) }));
  return { serial: d!.SerialNumber!, seed: Buffer.from(d!.Base32StringSeed!).toString('ascii') };
}

/**
 * A device made and enabled for `userName` with the previous and current steps' codes. Those two
 * steps are spent: the device's next good code is the next step's (`currentCodes(seed).next`).
 */
export async function enabledDevice(iam: IAMClient, userName: string, deviceName = `${userName}-mfa`): Promise<TestDevice> {
  const device = await createDevice(iam, deviceName);
  const codes = currentCodes(device.seed);
  await iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: device.serial, AuthenticationCode1: codes.previous, AuthenticationCode2: codes.current }));
  return device;
}

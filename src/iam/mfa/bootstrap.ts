// What CreateVirtualMFADevice hands over once: the seed as base32 text, and a QR code (a real PNG) of
// the `otpauth://` URI an authenticator app scans. AWS labels the URI `<device name>@<account>`.

import QRCode from 'qrcode';
import { provisioningUri } from './totp.ts';

export interface Bootstrap {
  /** The base32 text itself (the wire's blob is its base64). */
  Base32StringSeed: Buffer;
  QRCodePNG: Buffer;
}

export async function bootstrap(seed: string, deviceName: string, account: string): Promise<Bootstrap> {
  const uri = provisioningUri(seed, `${deviceName}@${account}`);
  return { Base32StringSeed: Buffer.from(seed, 'ascii'), QRCodePNG: await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M' }) };
}

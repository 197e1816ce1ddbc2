// Reads a QR code back from PNG bytes (pngjs decodes the image, jsQR finds and reads the code), so
// the tests check that iamd's QRCodePNG is a real image an authenticator app can scan.

import jsqr from 'jsqr';
import { PNG } from 'pngjs';

// jsQR is CommonJS with an ES default export: under Node's interop the function is at `.default`.
const decodeQr = ((jsqr as unknown as { default?: typeof jsqr }).default ?? jsqr) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/** The text of the QR code in `png`, or undefined when it holds none. */
export function readQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return decodeQr(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}

// The wire protocols, as the server uses them:
//
//   const target = resolveService(req);               // which service, which protocol
//   const { operation, input } = decode(target, req); // or throws ApiError (encode it with encodeError)
//   … authenticate, authorize, run the operation …
//   const res = encodeResult(target, operation, output, requestId);  // or encodeError(target, err, requestId)
//
// Everything is driven by the generated tables in ./models (scripts/generate-models.ts).

import type { Readable } from 'node:stream';
import { serviceModel } from './model.ts';
import type { ServiceName } from './wire.ts';
export { sensitiveMemberNames } from './model.ts';
import { bodyTooLarge, MAX_BODY_BYTES } from './errors.ts';

export { resolveService, signingNameOf, scopeService } from './services.ts';
export type { ServiceTarget, WireRequest } from './services.ts';
export { actionPrefixOf, auditTitleOf, serviceNames, serviceWire, type ServiceWire, type ValidationStyle, type WireProtocol } from './wire.ts';
export { decode, operationOfRefusedInput } from './decode.ts';
export { asksUnsignedOperation, decodedAsksUnsigned } from './unsigned.ts';
export type { DecodedRequest } from './decode.ts';
export { encodeResult, encodeError } from './encode.ts';
export { modelError, bodyTooLarge, throttled } from './errors.ts';
export type { ServiceName };

/** Whether an operation is called without a signature (STS AssumeRoleWithWebIdentity / WithSAML). */
export function isUnsignedOperation(service: ServiceName, operation: string): boolean {
  return serviceModel(service).operations.get(operation)?.unsigned === true;
}

/**
 * Reads a request body, refusing (with `bodyTooLarge`) one whose Content-Length or actual size is
 * over `limit` — before buffering it all. On refusal the caller should answer and close the
 * connection rather than drain the rest.
 */
export async function readBody(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  limit: number = MAX_BODY_BYTES,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw bodyTooLarge(limit);
    chunks.push(b);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

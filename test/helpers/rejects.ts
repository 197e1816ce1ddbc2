// Asserts that a call fails as AWS would: through an SDK client, the error's name (the SDK's exception
// name); called in-process, iamd's own ApiError with its code. Either with the message exactly or by
// pattern, and the HTTP status.

import assert from 'node:assert/strict';
import { ApiError } from '../../src/common/errors.ts';

export type SdkError = Error & { $metadata?: { httpStatusCode?: number } };

export async function rejects(promise: Promise<unknown>, name: string, message?: string | RegExp, status?: number): Promise<SdkError> {
  let caught: SdkError | undefined;
  await assert.rejects(promise, (error: SdkError) => {
    caught = error;
    assert.equal(error.name, name, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    if (status !== undefined) assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
  return caught!;
}

/** The same for a call made in-process (an operation, a linked service): iamd's ApiError with this code. */
export async function rejectsApiError(promise: Promise<unknown>, code: string, message?: string | RegExp, status?: number): Promise<ApiError> {
  let caught: ApiError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    caught = error;
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    if (status !== undefined) assert.equal(error.status, status);
    return true;
  });
  return caught!;
}

// Asserts that an SDK call fails as AWS would: the error's name (the SDK's exception name), its
// message exactly or by pattern, and the HTTP status.

import assert from 'node:assert/strict';

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

// The caller of a request AWS serves without a signature (STS AssumeRoleWithWebIdentity): nobody.
// It holds no keys, no policies and no tags; the operation decides from what the request carries.

import type { Caller } from '../common/call.ts';

export const anonymousCaller = (account: string): Caller => ({
  account,
  principal: { kind: 'anonymous', arn: '*' },
  userId: 'anonymous',
  tags: {},
});

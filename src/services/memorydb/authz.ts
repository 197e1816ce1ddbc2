// MemoryDB's authorization: `memorydb:<Action>` on the resource's ARN, with the request's tags
// (aws:RequestTag/…, aws:TagKeys) where the action sets tags and the resource's own
// (aws:ResourceTag/…) where it acts on an existing resource.

import type { AuthzCheck } from '../../common/call.ts';
import type { ContextValues } from '../../policy/types.ts';

export const memoryDbCheck = (action: string, resource: string, context: ContextValues = {}): AuthzCheck => ({
  action: `memorydb:${action}`,
  resource,
  context,
});

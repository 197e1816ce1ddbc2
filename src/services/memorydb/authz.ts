// MemoryDB's authorization: `memorydb:<Action>` on the resource's ARN, with the request's tags
// (aws:RequestTag/…, aws:TagKeys) where the action sets tags and the resource's own
// (aws:ResourceTag/…) where it acts on an existing resource.

import type { AuthzCheck } from '../../common/call.ts';
import type { ContextValues } from '../../policy/types.ts';
import type { Tag } from './model.ts';

export function requestTagContext(tags: readonly Tag[] | undefined): ContextValues {
  if (!tags || tags.length === 0) return {};
  const context: ContextValues = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const t of tags) context[`aws:RequestTag/${t.Key}`] = t.Value;
  return context;
}

export function resourceTagContext(tags: readonly Tag[] | undefined): ContextValues {
  const context: ContextValues = {};
  for (const t of tags ?? []) context[`aws:ResourceTag/${t.Key}`] = t.Value;
  return context;
}

export const memoryDbCheck = (action: string, resource: string, context: ContextValues = {}): AuthzCheck => ({
  action: `memorydb:${action}`,
  resource,
  context,
});

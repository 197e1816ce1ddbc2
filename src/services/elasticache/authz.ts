// How ElastiCache authorizes (Service Authorization Reference, "Actions defined by Amazon
// ElastiCache"): `elasticache:<Action>` on the resource's ARN; a create action also on each existing
// resource it names (subnet group, source cluster or replication group); the request's tags as
// `aws:RequestTag/…` and `aws:TagKeys`, and tags given at creation need `elasticache:AddTagsToResource`
// too; an existing resource's tags are `aws:ResourceTag/…`. Describe calls without a name are checked
// against every resource of the type (`…:cluster:*`), which a policy's `"Resource": "*"` matches.

import type { AuthzCheck, CallContext } from '../../common/call.ts';
import type { ContextValues } from '../../policy/types.ts';
import { elastiCacheArn, type ElastiCacheResourceType } from './arn.ts';
import type { Tag } from './model.ts';
import { requestTagContext, resourceTagContext } from '../../authz/tag-context.ts';

/** `elasticache:<action>` on one resource (`name` `*` for all of the type), with extra context. */
export function on(ctx: CallContext, action: string, type: ElastiCacheResourceType, name = '*', context: ContextValues = {}): AuthzCheck {
  return { action: `elasticache:${action}`, resource: elastiCacheArn(ctx.region, ctx.account, type, name), context };
}

/** An existing resource: its tags are in the context. */
export function onExisting(ctx: CallContext, action: string, type: ElastiCacheResourceType, name: string, tags: readonly Tag[]): AuthzCheck {
  return on(ctx, action, type, name, resourceTagContext(tags));
}

/** A resource about to be created, with the request's tags, plus AddTagsToResource when there are tags. */
export function onNew(ctx: CallContext, action: string, type: ElastiCacheResourceType, name: string, tags: readonly Tag[], context: ContextValues = {}): AuthzCheck[] {
  const tagContext = requestTagContext(tags);
  const checks = [on(ctx, action, type, name, { ...tagContext, ...context })];
  if (tags.length > 0) checks.push(on(ctx, 'AddTagsToResource', type, name, tagContext));
  return checks;
}

/** The condition keys ElastiCache defines for what a request asks for (only those it sets). */
export function requestKeys(values: Record<string, string | number | boolean | undefined>): ContextValues {
  const context: ContextValues = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) context[`elasticache:${k}`] = String(v);
  return context;
}

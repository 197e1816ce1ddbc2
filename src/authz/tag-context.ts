// The condition keys a request's tags and a resource's tags put into the request context. Every service
// that takes or keeps tags supplies them the same way, so they are built here once.

import type { ContextValues } from '../policy/types.ts';

/** Tags as the APIs carry them: a list of `{Key, Value}` (IAM, EC2, MemoryDB, ElastiCache) or a map (MQ, Logs). */
export type Tags = readonly { Key: string; Value: string }[] | Readonly<Record<string, string>>;

function entries(tags: Tags | undefined): [string, string][] {
  if (!tags) return [];
  return Array.isArray(tags) ? tags.map((t) => [t.Key, t.Value]) : Object.entries(tags);
}

/** `aws:RequestTag/<key>` for each tag the request sets, and `aws:TagKeys` with their keys. */
export function requestTagContext(tags: Tags | undefined): ContextValues {
  const pairs = entries(tags);
  if (pairs.length === 0) return {};
  const context: ContextValues = { 'aws:TagKeys': pairs.map(([k]) => k) };
  for (const [k, v] of pairs) context[`aws:RequestTag/${k}`] = v;
  return context;
}

/**
 * `aws:ResourceTag/<key>` for each tag the resource has, plus the same under each service-specific
 * prefix the service documents (`iam:ResourceTag`, `ec2:ResourceTag`).
 */
export function resourceTagContext(tags: Tags | undefined, servicePrefixes: readonly string[] = []): ContextValues {
  const context: ContextValues = {};
  for (const [k, v] of entries(tags)) {
    context[`aws:ResourceTag/${k}`] = v;
    for (const prefix of servicePrefixes) context[`${prefix}:ResourceTag/${k}`] = v;
  }
  return context;
}

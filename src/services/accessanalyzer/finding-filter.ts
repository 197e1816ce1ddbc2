// ListFindingsV2's `filter` and `sort` (and an archive rule's filter) over finding summaries: the
// filter keys AWS documents for unused-access findings (IAM User Guide, "IAM Access Analyzer filter
// keys"), each with `eq`, `neq`, `contains` and `exists`; every criterion must hold. A key AWS does not
// know for these findings is a ValidationException rather than a filter that silently matches nothing.

import { validation } from './errors.ts';

export interface Criterion {
  eq?: string[];
  neq?: string[];
  contains?: string[];
  exists?: boolean;
}

export type FilterCriteria = Record<string, Criterion>;

/** The summary members a filter or a sort may name, as strings. */
export type FindingFields = Record<'id' | 'status' | 'resource' | 'resourceType' | 'resourceOwnerAccount' | 'findingType', string | undefined>;

const FILTER_KEYS = new Set(['id', 'status', 'resource', 'resourceType', 'resourceOwnerAccount', 'findingType']);
const SORT_KEYS = new Set([...FILTER_KEYS, 'createdAt', 'updatedAt', 'analyzedAt']);

export function checkFilter(filter: FilterCriteria | undefined): void {
  for (const key of Object.keys(filter ?? {})) {
    if (!FILTER_KEYS.has(key)) throw validation(`Invalid filter key: ${key}.`, 'fieldValidationFailed');
  }
}

function holds(value: string | undefined, c: Criterion): boolean {
  if (c.exists !== undefined && (value !== undefined) !== c.exists) return false;
  if (c.eq && (value === undefined || !c.eq.includes(value))) return false;
  if (c.neq && value !== undefined && c.neq.includes(value)) return false;
  if (c.contains && (value === undefined || !c.contains.some((part) => value.includes(part)))) return false;
  return true;
}

export function matchesFilter(fields: FindingFields, filter: FilterCriteria | undefined): boolean {
  return Object.entries(filter ?? {}).every(([key, c]) => holds(fields[key as keyof FindingFields], c));
}

export interface SortCriteria {
  attributeName?: string;
  orderBy?: 'ASC' | 'DESC';
}

/** Sorted by `sort.attributeName` (stable: ties keep the default order); ascending unless DESC. */
export function sortFindings<T extends FindingFields & { createdAt: Date; updatedAt: Date; analyzedAt: Date }>(items: T[], sort: SortCriteria | undefined): T[] {
  if (!sort?.attributeName) return sort?.orderBy === 'DESC' ? [...items].reverse() : items;
  const name = sort.attributeName;
  if (!SORT_KEYS.has(name)) throw validation(`Invalid sort attribute: ${name}.`, 'fieldValidationFailed');
  const value = (item: T): string | number => {
    const v = item[name as keyof T];
    return v instanceof Date ? v.getTime() : ((v as string | undefined) ?? '');
  };
  const sign = sort.orderBy === 'DESC' ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return x < y ? -sign : x > y ? sign : 0;
  });
}

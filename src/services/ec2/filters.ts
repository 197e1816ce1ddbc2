// Describe* filters: `Filters=[{Name, Values}]`, every filter must match (AND), any of its values
// may (OR); values take EC2's wildcards `*` and `?`. Each resource type declares the filter names it
// knows; `tag:<key>`, `tag-key` and `tag-value` work on all of them. An unknown name is refused, as
// EC2 refuses it.

import { invalidFilter, invalidNextToken, invalidParameterValue } from './errors.ts';
import type { Tag } from './model.ts';

export interface Filter {
  Name?: string;
  Values?: string[];
}

type FieldValue = string | number | boolean | undefined;
/** How a filter name reads a resource: one value or several (any may match). */
export type FilterFields<D> = Record<string, (doc: D) => FieldValue | FieldValue[]>;

const patterns = new Map<string, RegExp>();

function wildcard(value: string): RegExp {
  let re = patterns.get(value);
  if (!re) {
    let source = '';
    for (const ch of value) source += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    re = new RegExp(`^${source}$`, 's');
    if (patterns.size > 1000) patterns.clear();
    patterns.set(value, re);
  }
  return re;
}

function valuesOf<D>(name: string, doc: D, fields: FilterFields<D>, tags: Tag[]): string[] {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return tags.filter((t) => t.Key === key).map((t) => t.Value);
  }
  if (name === 'tag-key') return tags.map((t) => t.Key);
  if (name === 'tag-value') return tags.map((t) => t.Value);
  const read = fields[name];
  const raw = read(doc);
  return (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined).map(String);
}

function known<D>(name: string, fields: FilterFields<D>): boolean {
  return name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value' || Object.hasOwn(fields, name);
}

/** The documents every filter matches; throws InvalidParameterValue for a name `fields` does not know. */
export function applyFilters<D>(docs: D[], filters: Filter[] | undefined, fields: FilterFields<D>, tagsOf: (doc: D) => Tag[]): D[] {
  const active = (filters ?? []).filter((f) => f.Values && f.Values.length > 0);
  for (const f of filters ?? []) if (!known(f.Name ?? '', fields)) throw invalidFilter(f.Name ?? '');
  if (active.length === 0) return docs;
  return docs.filter((doc) =>
    active.every((f) => {
      const have = valuesOf(f.Name!, doc, fields, tagsOf(doc));
      return f.Values!.some((want) => {
        const re = wildcard(want);
        return have.some((v) => re.test(v));
      });
    }),
  );
}

/** EC2's page sizes: 5 to 1000; fewer is refused, more gives pages of 1000. */
const MIN_RESULTS = 5;
const MAX_RESULTS = 1000;

/** One page of `docs` (already in a stable order) after the item named by `NextToken`. */
export function paginate<D>(docs: D[], idOf: (doc: D) => string, requested: number | undefined, nextToken: string | undefined): { page: D[]; NextToken?: string } {
  if (requested !== undefined && requested < MIN_RESULTS) {
    throw invalidParameterValue(`Value ( ${requested} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_RESULTS}.`);
  }
  const maxResults = requested === undefined ? undefined : Math.min(requested, MAX_RESULTS);
  let start = 0;
  if (nextToken !== undefined) {
    const after = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (after.length === 0) throw invalidNextToken(nextToken);
    const at = docs.findIndex((d) => idOf(d) > after);
    start = at < 0 ? docs.length : at;
  }
  if (maxResults === undefined) return { page: docs.slice(start) };
  const page = docs.slice(start, start + maxResults);
  const more = start + maxResults < docs.length;
  return { page, NextToken: more ? Buffer.from(idOf(page[page.length - 1])).toString('base64url') : undefined };
}

// Describe* paging: MaxResults (MemoryDB's default 100) and an opaque NextToken naming the last
// item of the page before.

import { invalidParameterValue } from './errors.ts';

export function page<T extends { Name: string }>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; NextToken?: string } {
  const size = maxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidParameterValue('MaxResults must be between 1 and 100.');
  let start = 0;
  if (nextToken !== undefined) {
    const after = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (!after) throw invalidParameterValue('Invalid NextToken.');
    start = items.findIndex((i) => i.Name > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return more ? { items: slice, NextToken: Buffer.from(slice[slice.length - 1].Name, 'utf8').toString('base64url') } : { items: slice };
}

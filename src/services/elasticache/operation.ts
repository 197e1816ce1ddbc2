// The shape every ElastiCache operation shares, and the paging every Describe call offers
// (`MaxRecords` + an opaque `Marker`).

import { defineOperationFor } from '../../common/call.ts';
import { invalidParameterValue } from './errors.ts';

export const operation = defineOperationFor('elasticache');

export interface PageInput {
  MaxRecords?: number;
  Marker?: string;
}

/** One page of `items` (already in order) after `Marker`, with the marker of the next page. */
export function page<T>(items: T[], nameOf: (item: T) => string, input: PageInput, limits: { min: number; max: number }): { items: T[]; Marker?: string } {
  const max = input.MaxRecords ?? limits.max;
  if (max < limits.min || max > limits.max) {
    throw invalidParameterValue(`The parameter MaxRecords must be between ${limits.min} and ${limits.max}.`);
  }
  let start = 0;
  if (input.Marker !== undefined) {
    const after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    start = items.findIndex((item) => nameOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: slice, Marker: more ? Buffer.from(nameOf(slice[slice.length - 1])).toString('base64url') : undefined };
}

// What every ElastiCache operation shares: the operation helper (`elasticache:<Name>` checks and a
// handler, over plain objects named as in the model) and the paging every Describe call offers —
// `MaxRecords` (between the call's bounds, its maximum by default) and an opaque `Marker` naming the
// last item of the page before.

import { defineOperationFor } from '../../common/call.ts';
import { base64urlKeys, pageAfterKey, type Page } from '../../common/paging.ts';
import { invalidParameterValue } from './errors.ts';

export const operation = defineOperationFor('elasticache');

export interface PageInput {
  MaxRecords?: number;
  Marker?: string;
}

/** One page of `items` (in order of their unique `keyOf`) after `Marker`, and the next page's marker. */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, input: PageInput, limits: { min: number; max: number }): Page<T> {
  const refuse = () => invalidParameterValue(`The parameter MaxRecords must be between ${limits.min} and ${limits.max}.`);
  return pageAfterKey(items, keyOf, { token: input.Marker, size: input.MaxRecords }, {
    tokens: base64urlKeys,
    size: { default: limits.max, bounds: { ...limits, refuse } },
  });
}

// What every MemoryDB operation shares: the operation helper (`memorydb:<Name>` checks and a handler,
// over plain objects named as in the model) and Describe*'s paging — MaxResults (default 100) and an
// opaque NextToken naming the last item of the page before.

import { defineOperationFor } from '../../common/call.ts';
import { nonEmptyBase64urlKeys, pageAfterKey, type Page, type PageSize } from '../../common/paging.ts';
import { invalidNextToken, invalidParameterValue } from './errors.ts';

export const operation = defineOperationFor('memorydb');

export const PAGE_SIZE: PageSize = {
  default: 100,
  bounds: { min: 1, max: 100, refuse: () => invalidParameterValue('MaxResults must be between 1 and 100.') },
};

const KEYS = nonEmptyBase64urlKeys(invalidNextToken);

/** One page of `items`, in order of their unique names. */
export function page<T extends { Name: string }>(items: readonly T[], input: { MaxResults?: number; NextToken?: string }): Page<T> {
  return pageAfterKey(items, (item) => item.Name, { token: input.NextToken, size: input.MaxResults }, { tokens: KEYS, size: PAGE_SIZE });
}

// What every Amazon MQ operation shares: the operation helper (`mq:<Name>` checks and a handler, over
// plain objects named as in the model) and ListBrokers' paging — `maxResults` (default 100) and an
// opaque `nextToken`. Brokers are listed oldest first, an order with no unique key of its own, so a
// token is an offset.

import { defineOperationFor } from '../../common/call.ts';
import { decimalOffsets, pageAtOffset, type OffsetPaging, type Page } from '../../common/paging.ts';
import { badRequest } from './errors.ts';

export const operation = defineOperationFor('mq');

const PAGING: OffsetPaging = {
  tokens: decimalOffsets(() => badRequest('nextToken', 'The nextToken is not valid.')),
  // maxResults' bounds (1–100) are the model's.
  size: { default: 100 },
};

/** One page of `items`, in their order. */
export function page<T>(items: readonly T[], input: { MaxResults?: number; NextToken?: string }): Page<T> {
  return pageAtOffset(items, { token: input.NextToken, size: input.MaxResults }, PAGING);
}

// What every Access Analyzer operation shares: the operation helper (`access-analyzer:<Name>` checks
// over plain objects named as in the model), the analyzer ARN, and paging — `maxResults` and an
// opaque `nextToken` holding an offset.

import { defineOperationFor } from '../../common/call.ts';
import { decimalOffsets, pageAtOffset, type OffsetPaging, type Page } from '../../common/paging.ts';
import { validation } from './errors.ts';

export const operation = defineOperationFor('accessanalyzer');

/** The IAM service prefix of Access Analyzer's actions. */
export const ACTION_PREFIX = 'access-analyzer';

export const analyzerArn = (region: string, account: string, name: string): string =>
  `arn:aws:access-analyzer:${region}:${account}:analyzer/${name}`;

const PAGING: OffsetPaging = {
  tokens: decimalOffsets(() => validation('Invalid pagination token.', 'other')),
  size: { default: 100 },
};

export function page<T>(items: readonly T[], input: { maxResults?: number; nextToken?: string }): Page<T> {
  return pageAtOffset(items, { token: input.nextToken, size: input.maxResults }, PAGING);
}

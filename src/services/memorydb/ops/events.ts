// DescribeEvents: what happened to the account's MemoryDB resources in the region — in particular why
// a cluster failed (a call through the service-linked role that was refused). Newest first; by default
// the last hour, at most 14 days back, as MemoryDB keeps them.

import type { Operation } from '../../../common/call.ts';
import { decimalOffsets, pageAtOffset, type OffsetPaging } from '../../../common/paging.ts';
import { invalidNextToken, invalidParameterCombination, invalidParameterValue } from '../errors.ts';
import { listEvents } from '../model.ts';
import { operation, PAGE_SIZE } from '../operation.ts';

const SOURCE_TYPES = ['node', 'parameter-group', 'subnet-group', 'cluster', 'user', 'acl'];
const MAX_DURATION_MINUTES = 14 * 24 * 60;

/**
 * Events have no unique key, so a NextToken is an offset into the newest-first list: the base64url of
 * its digits, read as a Number. An index past the end (events that left the time window since) is an
 * empty page, not a refusal.
 */
const EVENT_PAGING: OffsetPaging = {
  tokens: decimalOffsets(invalidNextToken, { parse: Number, beyondTheEnd: 'empty' }),
  size: PAGE_SIZE,
};

interface Input {
  SourceName?: string;
  SourceType?: string;
  StartTime?: Date;
  EndTime?: Date;
  Duration?: number;
  MaxResults?: number;
  NextToken?: string;
}

export function eventOperations(): Operation[] {
  return [
    operation<Input>('DescribeEvents', {
      readOnly: true,
      authorize: () => [{ action: 'memorydb:DescribeEvents', resource: '*' }],
      async handle(input, ctx, tx) {
        if (input.SourceType !== undefined && !SOURCE_TYPES.includes(input.SourceType)) throw invalidParameterValue(`Invalid source type: ${input.SourceType}`);
        if (input.SourceName !== undefined && input.SourceType === undefined) {
          throw invalidParameterCombination('SourceType must be specified when SourceName is specified.');
        }
        if (input.Duration !== undefined && (input.Duration < 0 || input.Duration > MAX_DURATION_MINUTES)) {
          throw invalidParameterValue(`Duration must be between 0 and ${MAX_DURATION_MINUTES} minutes.`);
        }
        const end = input.EndTime?.getTime() ?? ctx.now.getTime();
        const start = input.StartTime?.getTime() ?? end - (input.Duration ?? 60) * 60_000;
        const events = (await listEvents(tx, ctx.account, ctx.region))
          .filter((e) => (input.SourceType === undefined || e.SourceType === input.SourceType) && (input.SourceName === undefined || e.SourceName === input.SourceName))
          .filter((e) => Date.parse(e.Date) >= start && Date.parse(e.Date) <= end)
          .reverse();
        const { items, next } = pageAtOffset(events, { token: input.NextToken, size: input.MaxResults }, EVENT_PAGING);
        return {
          Events: items.map((e) => ({ SourceName: e.SourceName, SourceType: e.SourceType, Message: e.Message, Date: new Date(e.Date) })),
          NextToken: next,
        };
      },
    }),
  ];
}

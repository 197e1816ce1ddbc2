// DescribeEvents: what happened to the account's MemoryDB resources in the region — in particular why
// a cluster failed (a call through the service-linked role that was refused). Newest first; by default
// the last hour, at most 14 days back, as MemoryDB keeps them.

import type { Operation } from '../../../common/call.ts';
import { invalidParameterCombination, invalidParameterValue } from '../errors.ts';
import { listEvents } from '../model.ts';
import { operation } from '../operation.ts';

const SOURCE_TYPES = ['node', 'parameter-group', 'subnet-group', 'cluster', 'user', 'acl'];
const MAX_DURATION_MINUTES = 14 * 24 * 60;

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
        const size = input.MaxResults ?? 100;
        if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidParameterValue('MaxResults must be between 1 and 100.');
        const events = (await listEvents(tx, ctx.account, ctx.region))
          .filter((e) => (input.SourceType === undefined || e.SourceType === input.SourceType) && (input.SourceName === undefined || e.SourceName === input.SourceName))
          .filter((e) => Date.parse(e.Date) >= start && Date.parse(e.Date) <= end)
          .reverse();
        const offset = input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
        if (!Number.isInteger(offset) || offset < 0) throw invalidParameterValue('Invalid NextToken.');
        const slice = events.slice(offset, offset + size);
        const more = offset + size < events.length;
        return {
          Events: slice.map((e) => ({ SourceName: e.SourceName, SourceType: e.SourceType, Message: e.Message, Date: new Date(e.Date) })),
          NextToken: more ? Buffer.from(String(offset + size), 'utf8').toString('base64url') : undefined,
        };
      },
    }),
  ];
}

// DescribeEvents: what happened to the account's clusters, replication groups and subnet groups in the
// region — including why a creation failed (the refusal its service-linked role met), which is where
// ElastiCache tells its users such things.

import type { Operation } from '../../../common/call.ts';
import { invalidParameterCombination, invalidParameterValue } from '../errors.ts';
import { listEvents, type EventDoc } from '../model.ts';
import { operation, page, type PageInput } from '../operation.ts';

interface DescribeInput extends PageInput {
  SourceIdentifier?: string;
  SourceType?: EventDoc['SourceType'] | string;
  StartTime?: Date;
  EndTime?: Date;
  /** Minutes. */
  Duration?: number;
}

const DEFAULT_MINUTES = 60;
/** ElastiCache keeps events for 14 days. */
const MAX_MINUTES = 14 * 24 * 60;

const describeEvents = operation<DescribeInput>('DescribeEvents', {
  readOnly: true,
  // DescribeEvents takes no resource in the Service Authorization Reference.
  authorize: () => [{ action: 'elasticache:DescribeEvents', resource: '*' }],
  async handle(input, ctx, tx) {
    if (input.SourceIdentifier !== undefined && input.SourceType === undefined) {
      throw invalidParameterCombination('The parameter SourceType must be specified when SourceIdentifier is specified.');
    }
    if (input.Duration !== undefined && (input.Duration < 0 || input.Duration > MAX_MINUTES)) {
      throw invalidParameterValue(`The parameter Duration must be between 0 and ${MAX_MINUTES}.`);
    }
    const end = input.EndTime?.getTime() ?? ctx.now.getTime();
    const start = input.StartTime?.getTime() ?? end - (input.Duration ?? DEFAULT_MINUTES) * 60_000;
    const events = (await listEvents(tx, ctx.account, ctx.region)).filter((e) => {
      const at = Date.parse(e.Date);
      return at >= start && at <= end &&
        (input.SourceType === undefined || e.SourceType === input.SourceType) &&
        (input.SourceIdentifier === undefined || e.SourceIdentifier === input.SourceIdentifier.toLowerCase());
    });
    // Markers name a position in this (time-ordered) list.
    const numbered = events.map((e, i) => ({ e, key: String(i).padStart(10, '0') }));
    const { items, next } = page(numbered, (n) => n.key, input, { min: 20, max: 100 });
    return { Events: items.map((n) => n.e), Marker: next };
  },
});

export function eventOperations(): Operation[] {
  return [describeEvents];
}

// CloudTrail's LookupEvents over iamd's event log (src/audit/): an account's own events, newest first,
// narrowed by at most one lookup attribute and a time range, 50 to a page at most.
//
// A page is read from the newest matching end of the account's key range: a key-after cursor
// (src/common/paging.ts) over the store rather than over a list, since the history is not read whole.
// A filter that matches few events could make one request scan the whole history, so a request reads
// at most SCAN_BUDGET events and, when it stops early, answers with what it found and a NextToken
// (possibly with no events — CloudTrail's own pages may be empty too).

import { createHash } from 'node:crypto';
import type { CallContext } from '../../common/call.ts';
import { defineOperation } from '../../common/call.ts';
import { pageSize, type KeyTokens } from '../../common/paging.ts';
import {
  atOrBefore, eventSourceOf, listEvents, lookupResources, timeOfKey, toCloudTrailRecord, usernameOf, type StoredEvent,
} from '../../audit/index.ts';
import type { Tx } from '../../store/types.ts';
import type { ServiceDescriptor } from '../descriptor.ts';
import { cloudTrailAccessDenied, invalidNextToken, invalidTimeRange, tooManyLookupAttributes } from './errors.ts';

type AttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

interface LookupEventsInput {
  LookupAttributes?: { AttributeKey: AttributeKey; AttributeValue: string }[];
  StartTime?: Date;
  EndTime?: Date;
  EventCategory?: 'insight';
  MaxResults?: number;
  NextToken?: string;
}

const DEFAULT_PAGE = 50;
const CHUNK = 200;
const SCAN_BUDGET = 5_000;
const DAY_MS = 24 * 3600_000;

const MATCHERS: Record<AttributeKey, (e: StoredEvent, value: string) => boolean> = {
  EventId: (e, v) => e.id === v,
  EventName: (e, v) => e.op === v,
  ReadOnly: (e, v) => String(e.ro) === v,
  Username: (e, v) => usernameOf(e) === v,
  ResourceType: (e, v) => lookupResources(e).some((r) => r.ResourceType === v),
  ResourceName: (e, v) => (e.res ?? []).includes(v) || lookupResources(e).some((r) => r.ResourceName === v),
  EventSource: (e, v) => eventSourceOf(e.s) === v,
  AccessKeyId: (e, v) => e.who.key === v,
};

/**
 * A NextToken is the key of the last event read, tied to the request's filter and time range so that a
 * token cannot be replayed against other parameters (InvalidNextTokenException, as on AWS).
 */
const fingerprint = (input: LookupEventsInput): string =>
  createHash('sha256')
    .update(JSON.stringify([input.LookupAttributes ?? null, input.StartTime?.getTime() ?? null, input.EndTime?.getTime() ?? null, input.EventCategory ?? null]))
    .digest('base64url')
    .slice(0, 16);

function lookupTokens(input: LookupEventsInput): KeyTokens {
  const bound = fingerprint(input);
  return {
    write: (key) => Buffer.from(JSON.stringify({ k: key, f: bound })).toString('base64url'),
    read(token) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        throw invalidNextToken();
      }
      const { k, f } = (parsed ?? {}) as { k?: unknown; f?: unknown };
      if (typeof k !== 'string' || f !== bound || Number.isNaN(timeOfKey(k))) throw invalidNextToken();
      return k;
    },
  };
}

function view(e: StoredEvent, account: string): Record<string, unknown> {
  const record = toCloudTrailRecord(e, account);
  return {
    EventId: e.id,
    EventName: e.op,
    ReadOnly: String(e.ro),
    AccessKeyId: e.who.key,
    EventTime: new Date(record.eventTime),
    EventSource: record.eventSource,
    Username: usernameOf(e),
    Resources: lookupResources(e),
    CloudTrailEvent: JSON.stringify(record),
  };
}

async function lookupEvents(input: LookupEventsInput, ctx: CallContext, tx: Tx, retentionMs: number): Promise<Record<string, unknown>> {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1) throw tooManyLookupAttributes();
  const start = input.StartTime?.getTime();
  const end = input.EndTime?.getTime();
  if (start !== undefined && end !== undefined && start > end) throw invalidTimeRange();
  // Event times are recorded to the second, so the bounds are too: EndTime 12:00:05 includes an event
  // at 12:00:05.300, whose eventTime reads 12:00:05.
  const tokens = lookupTokens(input);
  let after = input.NextToken !== undefined ? tokens.read(input.NextToken) : end !== undefined ? atOrBefore(Math.floor(end / 1000) * 1000 + 999) : '';
  // iamd records management events only; there are no Insights events to find.
  if (input.EventCategory === 'insight') return { Events: [] };

  // MaxResults' bounds (1–50) are the model's.
  const max = pageSize(input.MaxResults, { default: DEFAULT_PAGE });
  const oldest = Math.max(start !== undefined ? Math.ceil(start / 1000) * 1000 : -Infinity, ctx.now.getTime() - retentionMs);
  const attribute = attributes[0];
  const matches = attribute ? (e: StoredEvent) => MATCHERS[attribute.AttributeKey](e, attribute.AttributeValue) : () => true;

  const found: StoredEvent[] = [];
  let scanned = 0;
  let exhausted = false;
  scan: while (found.length < max && scanned < SCAN_BUDGET) {
    const chunk = await listEvents(tx, ctx.account, after, CHUNK);
    for (const e of chunk) {
      if (timeOfKey(e.key) < oldest) {
        exhausted = true;
        break scan;
      }
      // `e` is left unread: the next page starts with it.
      if (found.length === max || scanned === SCAN_BUDGET) break scan;
      scanned++;
      after = e.key;
      if (matches(e.doc)) found.push(e.doc);
    }
    if (chunk.length < CHUNK) {
      exhausted = true;
      break;
    }
  }
  return { Events: found.map((e) => view(e, ctx.account)), ...(exhausted ? {} : { NextToken: tokens.write(after) }) };
}

export const service: ServiceDescriptor = {
  name: 'cloudtrail',
  wire: {
    source: { file: 'cloudtrail-2013-11-01', operations: ['LookupEvents'] },
    protocol: 'json',
    validation: {
      code: 'InvalidParameterException',
      quoteValue: true,
      listEnumValues: true,
      ec2: false,
      codeByShape: {
        MaxResults: 'InvalidMaxResultsException',
        LookupAttributeKey: 'InvalidLookupAttributesException',
        LookupAttributeValue: 'InvalidLookupAttributesException',
        EventCategory: 'InvalidEventCategoryException',
      },
    },
    auditTitle: 'CloudTrail',
  },
  operations({ settings, events }) {
    const retentionMs = settings.auditRetentionDays * DAY_MS;
    return [
      defineOperation<LookupEventsInput>('cloudtrail', 'LookupEvents', {
        readOnly: true,
        authorize: () => [{ action: 'cloudtrail:LookupEvents', resource: '*' }],
        // The event log has a store of its own (a file of its own on SQLite): one snapshot of it per page.
        handle: (input, ctx) => events.read((tx) => lookupEvents(input, ctx, tx, retentionMs)),
      }),
    ];
  },
  accessDenied: cloudTrailAccessDenied,
};

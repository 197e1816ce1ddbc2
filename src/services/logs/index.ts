// A minimal CloudWatch Logs (awsJson 1.1): log groups, log streams, putting and reading events.
//
// Authorization (Service Authorization Reference, CloudWatch Logs): group actions on
// `…:log-group:NAME:log-stream:`, stream actions on `…:log-group:NAME:log-stream:STREAM`,
// DescribeLogGroups on `…:log-group::log-stream:`; CreateLogGroup carries its tags as
// `aws:RequestTag/…` and `aws:TagKeys`.

import { randomBytes } from 'node:crypto';
import type { AuthzCheck, CallContext, Operation } from '../../common/call.ts';
import { decimalOffsets, pageAtOffset, type OffsetPaging } from '../../common/paging.ts';
import type { ContextValues } from '../../policy/types.ts';
import type { Tx } from '../../store/types.ts';
import { groupNameOf, logGroupArn, logStreamArn } from './arn.ts';
import type { ServiceDescriptor } from '../descriptor.ts';
import { groupExists, groupNotFound, invalidParameter, logsAccessDenied, streamExists, streamNotFound } from './errors.ts';
import {
  deleteGroup, getGroup, getStream, insertGroup, insertStream, listGroups, listStreams, MAX_EVENTS_PER_STREAM, updateStream,
  type LogEvent, type LogGroupDoc, type LogStreamDoc,
} from './model.ts';
import { requestTagContext } from '../../authz/tag-context.ts';


const DAY_MS = 24 * 60 * 60 * 1000;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 60 * 60 * 1000;
const DEFAULT_EVENTS = 10_000;

type Input = Record<string, unknown>;

function operation<I>(name: string, spec: {
  readOnly?: boolean;
  resource(input: I, ctx: CallContext): string;
  context?(input: I): ContextValues;
  handle(input: I, ctx: CallContext, tx: Tx): Promise<Record<string, unknown> | void>;
}): Operation {
  return {
    service: 'logs',
    name,
    readOnly: spec.readOnly,
    authorize(input: Input, ctx: CallContext): AuthzCheck[] {
      return [{ action: `logs:${name}`, resource: spec.resource(input as I, ctx), context: spec.context?.(input as I) }];
    },
    handle: (input, ctx, tx) => spec.handle(input as I, ctx, tx),
  };
}


/** The group a request names by `logGroupName` or `logGroupIdentifier` (exactly one of them). */
function groupOf(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const name = input.logGroupName ?? (input.logGroupIdentifier !== undefined ? groupNameOf(input.logGroupIdentifier) : undefined);
  if (name === undefined) throw invalidParameter('Should provide either name or ARN of the log group.');
  return name;
}

async function requireGroup(tx: Tx, ctx: CallContext, group: string): Promise<LogGroupDoc> {
  const doc = await getGroup(tx, ctx.account, ctx.region, group);
  if (!doc) throw groupNotFound();
  return doc;
}

async function requireStream(tx: Tx, ctx: CallContext, group: string, stream: string): Promise<LogStreamDoc> {
  await requireGroup(tx, ctx, group);
  const doc = await getStream(tx, ctx.account, ctx.region, group, stream);
  if (!doc) throw streamNotFound();
  return doc;
}

/**
 * A nextToken is an offset — opaque to clients, the base64url of the next index — since streams may be
 * ordered by their last event's time, which no key makes unique; groups use the same tokens. `limit`
 * (default 50) is bounded by the model.
 */
const PAGING: OffsetPaging = {
  tokens: decimalOffsets(() => invalidParameter('The specified nextToken is invalid.')),
  size: { default: 50 },
};

const newSequenceToken = () => BigInt(`0x${randomBytes(24).toString('hex')}`).toString().padStart(56, '0').slice(0, 56);

interface CreateGroupInput {
  logGroupName: string;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  logGroupClass?: string;
}

const createLogGroup = operation<CreateGroupInput>('CreateLogGroup', {
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, i.logGroupName),
  context: (i) => requestTagContext(i.tags),
  async handle(input, ctx, tx) {
    if (await getGroup(tx, ctx.account, ctx.region, input.logGroupName)) throw groupExists();
    await insertGroup(tx, ctx.account, ctx.region, {
      logGroupName: input.logGroupName,
      creationTime: ctx.now.getTime(),
      kmsKeyId: input.kmsKeyId,
      logGroupClass: input.logGroupClass ?? 'STANDARD',
      tags: input.tags ?? {},
    });
  },
});

const deleteLogGroup = operation<{ logGroupName: string }>('DeleteLogGroup', {
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, i.logGroupName),
  async handle(input, ctx, tx) {
    if (!(await deleteGroup(tx, ctx.account, ctx.region, input.logGroupName))) throw groupNotFound();
  },
});

interface DescribeGroupsInput {
  logGroupNamePrefix?: string;
  logGroupNamePattern?: string;
  logGroupClass?: string;
  nextToken?: string;
  limit?: number;
}

const describeLogGroups = operation<DescribeGroupsInput>('DescribeLogGroups', {
  readOnly: true,
  resource: (_i, ctx) => logStreamArn(ctx.region, ctx.account, ''),
  async handle(input, ctx, tx) {
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
    }
    const pattern = input.logGroupNamePattern?.toLowerCase();
    const groups = (await listGroups(tx, ctx.account, ctx.region, input.logGroupNamePrefix)).filter((g) =>
      (pattern === undefined || g.logGroupName.toLowerCase().includes(pattern)) &&
      (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass));
    const { items, next } = pageAtOffset(groups, { token: input.nextToken, size: input.limit }, PAGING);
    return {
      logGroups: items.map((g) => ({
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `${logGroupArn(ctx.region, ctx.account, g.logGroupName)}:*`,
        storedBytes: 0,
        kmsKeyId: g.kmsKeyId,
        logGroupClass: g.logGroupClass,
        logGroupArn: logGroupArn(ctx.region, ctx.account, g.logGroupName),
        deletionProtectionEnabled: false,
      })),
      nextToken: next,
    };
  },
});

const createLogStream = operation<{ logGroupName: string; logStreamName: string }>('CreateLogStream', {
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, i.logGroupName, i.logStreamName),
  async handle(input, ctx, tx) {
    await requireGroup(tx, ctx, input.logGroupName);
    if (await getStream(tx, ctx.account, ctx.region, input.logGroupName, input.logStreamName)) throw streamExists();
    await insertStream(tx, ctx.account, ctx.region, input.logGroupName, {
      logStreamName: input.logStreamName,
      creationTime: ctx.now.getTime(),
      uploadSequenceToken: newSequenceToken(),
      events: [],
    });
  },
});

interface DescribeStreamsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNamePrefix?: string;
  orderBy?: 'LogStreamName' | 'LastEventTime';
  descending?: boolean;
  nextToken?: string;
  limit?: number;
}

const describeLogStreams = operation<DescribeStreamsInput>('DescribeLogStreams', {
  readOnly: true,
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, groupOf(i)),
  async handle(input, ctx, tx) {
    const group = groupOf(input);
    if (input.orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    await requireGroup(tx, ctx, group);
    const streams = await listStreams(tx, ctx.account, ctx.region, group, input.logStreamNamePrefix);
    if (input.orderBy === 'LastEventTime') streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0));
    if (input.descending) streams.reverse();
    const { items, next } = pageAtOffset(streams, { token: input.nextToken, size: input.limit }, PAGING);
    return {
      logStreams: items.map((s) => ({
        logStreamName: s.logStreamName,
        creationTime: s.creationTime,
        firstEventTimestamp: s.firstEventTimestamp,
        lastEventTimestamp: s.lastEventTimestamp,
        lastIngestionTime: s.lastIngestionTime,
        uploadSequenceToken: s.uploadSequenceToken,
        arn: logStreamArn(ctx.region, ctx.account, group, s.logStreamName),
        storedBytes: 0,
      })),
      nextToken: next,
    };
  },
});

interface PutEventsInput {
  logGroupName: string;
  logStreamName: string;
  logEvents: { timestamp: number; message: string }[];
  sequenceToken?: string;
}

const putLogEvents = operation<PutEventsInput>('PutLogEvents', {
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, i.logGroupName, i.logStreamName),
  async handle(input, ctx, tx) {
    const stream = await requireStream(tx, ctx, input.logGroupName, input.logStreamName);
    const events = input.logEvents;
    for (let i = 1; i < events.length; i++) {
      if (events[i].timestamp < events[i - 1].timestamp) {
        throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    if (events.length > 0 && events[events.length - 1].timestamp - events[0].timestamp > DAY_MS) {
      throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    }
    // Events too old or too far in the future are dropped and reported, not refused.
    const now = ctx.now.getTime();
    const rejected: Record<string, number> = {};
    const accepted: LogEvent[] = [];
    events.forEach((e, i) => {
      if (e.timestamp < now - TOO_OLD_MS) rejected.tooOldLogEventEndIndex = i;
      else if (e.timestamp > now + TOO_NEW_MS) rejected.tooNewLogEventStartIndex ??= i;
      else accepted.push({ timestamp: e.timestamp, message: e.message, ingestionTime: now });
    });
    if (accepted.length > 0) {
      const all = [...stream.events, ...accepted];
      stream.events = all.length > MAX_EVENTS_PER_STREAM ? all.slice(all.length - MAX_EVENTS_PER_STREAM) : all;
      stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? Infinity, accepted[0].timestamp);
      stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? -Infinity, accepted[accepted.length - 1].timestamp);
      stream.lastIngestionTime = now;
    }
    stream.uploadSequenceToken = newSequenceToken();
    await updateStream(tx, ctx.account, ctx.region, input.logGroupName, stream);
    return {
      nextSequenceToken: stream.uploadSequenceToken,
      rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
    };
  },
});

interface GetEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

/** `f/<index>` reads forward from index, `b/<index>` backward up to it (AWS's tokens look the same, with 56 digits). */
function parseEventToken(token: string, length: number): { forward: boolean; index: number } {
  const m = /^([fb])\/(\d{1,56})$/.exec(token);
  const index = m ? Number(m[2]) : NaN;
  if (!m || index > length) throw invalidParameter('The specified nextToken is invalid.');
  return { forward: m[1] === 'f', index };
}

const getLogEvents = operation<GetEventsInput>('GetLogEvents', {
  readOnly: true,
  resource: (i, ctx) => logStreamArn(ctx.region, ctx.account, groupOf(i), i.logStreamName),
  async handle(input, ctx, tx) {
    const stream = await requireStream(tx, ctx, groupOf(input), input.logStreamName);
    const events = stream.events.filter((e) =>
      (input.startTime === undefined || e.timestamp >= input.startTime) && (input.endTime === undefined || e.timestamp < input.endTime));
    const limit = input.limit ?? DEFAULT_EVENTS;
    let from: number;
    let to: number;
    if (input.nextToken !== undefined) {
      const t = parseEventToken(input.nextToken, events.length);
      [from, to] = t.forward ? [t.index, Math.min(events.length, t.index + limit)] : [Math.max(0, t.index - limit), t.index];
    } else if (input.startFromHead) {
      [from, to] = [0, Math.min(events.length, limit)];
    } else {
      [from, to] = [Math.max(0, events.length - limit), events.length];
    }
    return {
      events: events.slice(from, to),
      nextForwardToken: `f/${String(to).padStart(56, '0')}`,
      nextBackwardToken: `b/${String(from).padStart(56, '0')}`,
    };
  },
});

export const service: ServiceDescriptor = {
  name: 'logs',
  wire: {
    source: {
      file: 'logs-2014-03-28',
      operations: ['CreateLogGroup', 'DeleteLogGroup', 'DescribeLogGroups', 'CreateLogStream', 'DescribeLogStreams', 'PutLogEvents', 'GetLogEvents'],
    },
    protocol: 'json',
    validation: { code: 'InvalidParameterException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'Logs',
  },
  operations: () => [createLogGroup, deleteLogGroup, describeLogGroups, createLogStream, describeLogStreams, putLogEvents, getLogEvents],
  accessDenied: logsAccessDenied,
};
export { logGroupArn, logStreamArn } from './arn.ts';

// Log groups and streams in the store, per (account, region). A stream's events live in the stream's
// document, in the order they were put.

import type { Tx } from '../../store/types.ts';

export const GROUP_KIND = 'logs-group';
export const STREAM_KIND = 'logs-stream';

/** Events kept per stream; the oldest go first. */
export const MAX_EVENTS_PER_STREAM = 10_000;

export interface LogGroupDoc {
  logGroupName: string;
  creationTime: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
}

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface LogStreamDoc {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  uploadSequenceToken: string;
  events: LogEvent[];
}

const groupKey = (region: string, group: string) => `${region}/${group}`;
const streamPrefix = (region: string, group: string) => `${region}/${group}\u001f`;

export async function getGroup(tx: Tx, account: string, region: string, group: string): Promise<LogGroupDoc | undefined> {
  return (await tx.get<LogGroupDoc>(account, GROUP_KIND, groupKey(region, group)))?.doc;
}

export async function insertGroup(tx: Tx, account: string, region: string, doc: LogGroupDoc): Promise<void> {
  await tx.insert(account, GROUP_KIND, groupKey(region, doc.logGroupName), doc);
}

/** Deletes a group and all its streams; false when there was no such group. */
export async function deleteGroup(tx: Tx, account: string, region: string, group: string): Promise<boolean> {
  if (!(await tx.delete(account, GROUP_KIND, groupKey(region, group)))) return false;
  for (const s of await tx.list(account, STREAM_KIND, { keyPrefix: streamPrefix(region, group) })) await tx.delete(account, STREAM_KIND, s.key);
  return true;
}

/** Groups whose names start with `prefix`, in name order. */
export async function listGroups(tx: Tx, account: string, region: string, prefix = ''): Promise<LogGroupDoc[]> {
  return (await tx.list<LogGroupDoc>(account, GROUP_KIND, { keyPrefix: groupKey(region, prefix) })).map((e) => e.doc);
}

export async function getStream(tx: Tx, account: string, region: string, group: string, stream: string): Promise<LogStreamDoc | undefined> {
  return (await tx.get<LogStreamDoc>(account, STREAM_KIND, streamPrefix(region, group) + stream))?.doc;
}

export async function insertStream(tx: Tx, account: string, region: string, group: string, doc: LogStreamDoc): Promise<void> {
  await tx.insert(account, STREAM_KIND, streamPrefix(region, group) + doc.logStreamName, doc);
}

export async function updateStream(tx: Tx, account: string, region: string, group: string, doc: LogStreamDoc): Promise<void> {
  await tx.update(account, STREAM_KIND, streamPrefix(region, group) + doc.logStreamName, doc);
}

export async function listStreams(tx: Tx, account: string, region: string, group: string, prefix = ''): Promise<LogStreamDoc[]> {
  return (await tx.list<LogStreamDoc>(account, STREAM_KIND, { keyPrefix: streamPrefix(region, group) + prefix })).map((e) => e.doc);
}

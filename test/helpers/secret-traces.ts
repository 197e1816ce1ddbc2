// Where a secret handed to iamd could leak to: the SQLite files (entities, event log) and their WALs (as raw bytes, after a
// checkpoint and before it) and the audit events read back through the real CloudTrail client.
// A test makes its calls, then asks that none of its secrets is in any of them — and that a witness
// (a string that must be there) is, so an empty file or event list cannot pass.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import { EVENTS_FOLDER } from '../../src/store/index.ts';
import { eventually } from './eventually.ts';
import type { TestServer } from './server.ts';

async function allEvents(server: TestServer): Promise<Event[]> {
  const cloudtrail = server.client(CloudTrailClient);
  const events: Event[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudtrail.send(new LookupEventsCommand({ NextToken }));
    events.push(...(page.Events ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

/** The events and their CloudTrail records as one text, once an event named `lastEvent` is there (events are flushed off the request path). */
export async function eventsText(server: TestServer, lastEvent: string): Promise<string> {
  const events = await eventually(`the ${lastEvent} event is recorded`, () => allEvents(server), (es) => es.some((e) => e.EventName === lastEvent));
  return JSON.stringify(events) + JSON.stringify(events.map((e) => JSON.parse(e.CloudTrailEvent!) as unknown));
}

const readIfExists = (file: string): Buffer => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));

/**
 * The SQLite files (the entities' and the event log's, each with its WAL) of a server whose iamd has
 * been closed, before and after a checkpoint.
 */
export function storeBytes(dataDir: string): Buffer[] {
  const files = [join(dataDir, 'iamd.sqlite'), join(dataDir, EVENTS_FOLDER, 'iamd.sqlite')].filter((file) => existsSync(file));
  const bytes = () => Buffer.concat(files.flatMap((file) => [readFileSync(file), readIfExists(`${file}-wal`)]));
  const before = bytes();
  for (const file of files) {
    const db = new Database(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
  return [before, bytes()];
}

export function assertNoSecret(what: string, haystack: Buffer | string, secrets: readonly string[], witness: string): void {
  assert.ok(haystack.includes(witness), `${what} should hold ${witness}`);
  for (const secret of secrets) assert.equal(haystack.includes(secret), false, `a secret is in ${what}`);
}

// What recording one call costs the process, in CPU µs, measured in-process and so hardly moved by
// other work on the machine: AuditLog.record of a realistic signed GetRole (an IAM user, the SDK's
// User-Agent, one resource) — built, kept pending, and flushed once per "second" of calls into a real
// SQLite event store (the event log's own settings: no fsync), on top of a history already holding
// blocks. Beside it, the same calls handed to an AuditLog that leaves successful reads out (what the
// dispatcher pays when reads are not recorded). The server-level figure is `npm run bench -- server
// --only audit`; this one isolates the event log's share of it.
//
// `npm run bench -- audit [--quick] [--calls N]` (calls per flush, 4,000 by default: about a second of
// GetRole at 32 connections on one core).

import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { AuditLog, type CallRecord } from '../src/audit/index.ts';
import type { Caller } from '../src/common/call.ts';
import { eventStoreConfigOf, openStore } from '../src/store/index.ts';
import { tempDir } from '../test/helpers/server.ts';
import { flagValue, table, type BenchOptions } from './harness.ts';

export const title = 'CPU µs per call recorded by the event log (record + flush into SQLite), GetRole by an IAM user';

const ACCOUNT = '123456789012';
const USER_AGENT =
  'aws-sdk-js/3.700.0 ua/2.1 os/linux#6.8.0 lang/js md/nodejs#20.18.0 api/iam#3.700.0 m/E,N';

const caller: Caller = {
  account: ACCOUNT,
  principal: { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/bench`, account: ACCOUNT },
  userId: 'AIDAEXAMPLEBENCHUSER1',
  userName: 'bench',
  identity: { type: 'user', name: 'bench' },
  tags: {},
  accessKeyId: 'AKIAEXAMPLEBENCHKEY1',
};

/** A GetRole as the dispatcher reports it: its input, its output (not recorded: a read), its resource. */
function getRole(i: number): CallRecord {
  const roleName = `role-${i % 1000}`;
  const arn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
  return {
    service: 'iam',
    operation: 'GetRole',
    readOnly: true,
    input: { RoleName: roleName },
    output: { Role: { Path: '/', RoleName: roleName, RoleId: 'AROAEXAMPLEROLEID0001', Arn: arn, CreateDate: new Date(1_700_000_000_000), MaxSessionDuration: 3600 } },
    resources: [arn],
    ctx: { requestId: randomUUID(), caller, account: ACCOUNT, region: 'us-east-1', now: new Date(), sourceIp: '127.0.0.1', secureTransport: false, userAgent: USER_AGENT },
  };
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

interface Round {
  record: number;
  flush: number;
}

/** `flushes` rounds of `calls` records then one flush; CPU µs per call for each part. */
async function measure(log: AuditLog, calls: number, flushes: number): Promise<Round> {
  let record = 0;
  let flush = 0;
  for (let f = 0; f < flushes; f++) {
    // The records built outside the timing: the dispatcher builds them whether or not reads are recorded.
    const records = Array.from({ length: calls }, (_, i) => getRole(i));
    const t0 = cpuMicros();
    for (const r of records) log.record(r);
    const t1 = cpuMicros();
    await log.flush();
    const t2 = cpuMicros();
    record += t1 - t0;
    flush += t2 - t1;
  }
  return { record: record / (calls * flushes), flush: flush / (calls * flushes) };
}

export async function run(options: BenchOptions): Promise<void> {
  const calls = Number(flagValue(options.args, 'calls') ?? 4000);
  const flushes = options.quick ? 5 : 20;
  const dir = tempDir();
  const store = await openStore(eventStoreConfigOf({ dataDir: dir }));
  try {
    const accounts = async (after: string | undefined) => (after === undefined || after < ACCOUNT ? [ACCOUNT] : []);
    const recorded = new AuditLog(store, { accounts, readEvents: true, intervalMs: 3_600_000 });
    const notRecorded = new AuditLog(store, { accounts, readEvents: false, intervalMs: 3_600_000 });
    // Warm-up, which also leaves a history of blocks for the flushes to write after.
    await measure(recorded, calls, 3);
    await measure(notRecorded, calls, 1);
    const rows: string[][] = [];
    const means = { recorded: [] as number[], notRecorded: [] as number[] };
    for (let round = 0; round < 3; round++) {
      const r = await measure(recorded, calls, flushes);
      const n = await measure(notRecorded, calls, flushes);
      means.recorded.push(r.record + r.flush);
      means.notRecorded.push(n.record + n.flush);
      rows.push([String(round + 1), r.record.toFixed(2), r.flush.toFixed(2), (r.record + r.flush).toFixed(2), (n.record + n.flush).toFixed(2)]);
    }
    console.log(table(['round', 'record µs/call', 'flush µs/call', 'recorded µs/call', 'not recorded µs/call'], rows));
    const min = (xs: number[]) => Math.min(...xs);
    console.log(`\n${calls} calls a flush, ${flushes} flushes a round; recording a read costs ${(min(means.recorded) - min(means.notRecorded)).toFixed(2)} CPU µs (best rounds)`);
    await recorded.close();
    await notRecorded.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

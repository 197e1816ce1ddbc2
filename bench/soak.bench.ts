// The soak: a child iamd under mixed traffic (bench/soak/mix.ts) at about half of its capacity for
// `--minutes` (default 10), watching what a long run shows and a short benchmark does not — its
// resident memory (sampled every 5 s), p99 latency minute by minute, and the event log's retention
// purging on time (bench/soak/events.ts). Capacity is measured first with a short closed-loop ramp of
// the same mix, through the same client, unless `--rate N` (requests/s) is given.
// `npm run bench -- soak [--minutes N] [--rate N] [--store sqlite|postgres]`. Not a timed test: it reports.

import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { eventStoreConfigOf, openStore, type StoreConfig } from '../src/store/index.ts';
import { spawnServer, tempDir } from '../test/helpers/server.ts';
import { flagValue, table, type BenchOptions } from './harness.ts';
import { Prng } from './policy/prng.ts';
import { seedBatches, sampleBatches, type Batch } from './soak/events.ts';
import { prepareMix, type Mix } from './soak/mix.ts';
import { rssMiB } from './soak/rss.ts';

export const title = 'soak: mixed traffic at half of capacity — RSS, p99 per minute, audit retention purge';

const ACCOUNT = '123456789012';
const SAMPLE_MS = 5000;
/** Requests in flight beyond this are not sent (counted as shed): the load generator must not pile up. */
const MAX_IN_FLIGHT = 256;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Closed loop at `concurrency` for `seconds`: completed calls per second. */
async function closedLoop(mix: Mix, concurrency: number, seconds: number, rng: Prng): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      await mix.next(rng).call().catch(() => undefined);
      done++;
    }
  }));
  return done / seconds;
}

interface Minute {
  calls: number;
  errors: number;
  latencies: number[];
  rss?: number;
}

export async function run(options: BenchOptions): Promise<void> {
  const minutes = Number(flagValue(options.args, 'minutes') ?? (options.quick ? 1 : 10));
  const rateFlag = flagValue(options.args, 'rate');
  const kind = flagValue(options.args, 'store') ?? 'sqlite';
  const dataDir = tempDir('iamd-soak-');
  const databaseUrl = process.env.IAMD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `iamd_soak_${randomBytes(6).toString('hex')}`;
  const storeConfig: StoreConfig = kind === 'postgres' ? { kind: 'postgres', url: databaseUrl, schema } : { kind: 'sqlite', dir: dataDir };
  const storeArgs = kind === 'postgres' ? ['--database-url', databaseUrl, '--database-schema', schema] : ['--data-dir', dataDir];
  const server = await spawnServer([...storeArgs, '--audit-retention-days', '1']);
  const observer = await openStore(kind === 'postgres' ? storeConfig : eventStoreConfigOf({ dataDir }));
  const rng = new Prng(42);
  try {
    const mix = await prepareMix(server.url);
    let rate: number;
    if (rateFlag !== undefined) rate = Number(rateFlag);
    else {
      const ramp: string[][] = [];
      let capacity = 0;
      for (const concurrency of [4, 16, 32]) {
        const perSecond = await closedLoop(mix, concurrency, options.quick ? 3 : 8, rng);
        capacity = Math.max(capacity, perSecond);
        ramp.push([String(concurrency), perSecond.toFixed(0)]);
      }
      console.log(`capacity ramp (closed loop, same mix and client):\n${table(['concurrency', 'requests/s'], ramp)}\n`);
      rate = Math.round(capacity / 2);
    }
    const durationMs = minutes * 60_000;
    // One batch already expired, the others expiring at 10 %, 30 %, 50 % and 70 % of the run.
    const plan = [{ expiresAfterMs: -3600_000, size: 5000 }, ...[0.1, 0.3, 0.5, 0.7].map((f) => ({ expiresAfterMs: Math.round(f * durationMs), size: 2000 }))];
    const start = Date.now() + 2000;
    const batches: Batch[] = await seedBatches(observer, ACCOUNT, start, 1, plan);
    await sleep(Math.max(0, start - Date.now()));
    console.log(`soak: ${minutes} min at ${rate} requests/s on ${kind}, iamd pid ${server.process.pid}, audit retention 1 day`);

    const rssAtStart = rssMiB(server.process.pid!)!;
    const perMinute: Minute[] = Array.from({ length: minutes }, () => ({ calls: 0, errors: 0, latencies: [] }));
    const errorsByName = new Map<string, number>();
    const rss: [number, number][] = [];
    let launched = 0;
    let inFlight = 0;
    let shed = 0;
    const t0 = performance.now();
    const interval = 1000 / rate;
    const launch = () => {
      const { call } = mix.next(rng);
      const began = performance.now();
      inFlight++;
      call()
        .then(
          () => undefined,
          (error: Error) => {
            // The SDK names socket failures TimeoutError; the message says which (ECONNRESET, …).
            const what = `${error.name} (${error.message})`;
            errorsByName.set(what, (errorsByName.get(what) ?? 0) + 1);
            return error;
          },
        )
        .then((error) => {
          inFlight--;
          const at = performance.now();
          const minute = perMinute[Math.floor((at - t0) / 60_000)];
          if (!minute) return;
          minute.calls++;
          if (error) minute.errors++;
          minute.latencies.push(at - began);
        });
    };
    const ticker = setInterval(() => {
      const due = Math.min(Math.floor((performance.now() - t0) / interval), Math.floor(durationMs / interval));
      for (; launched < due; launched++) {
        if (inFlight >= MAX_IN_FLIGHT) shed++;
        else launch();
      }
    }, 5);
    while (performance.now() - t0 < durationMs) {
      await sleep(SAMPLE_MS);
      const elapsed = Date.now() - start;
      const now = rssMiB(server.process.pid!);
      if (now !== undefined) {
        rss.push([elapsed, now]);
        const minute = perMinute[Math.min(minutes - 1, Math.floor(elapsed / 60_000))];
        minute.rss = now;
      }
      await sampleBatches(observer, ACCOUNT, batches, elapsed);
    }
    clearInterval(ticker);
    while (inFlight > 0) await sleep(50);

    console.log(`\n${table(['minute', 'requests', 'errors', 'p50 ms', 'p99 ms', 'RSS MiB (end)'], perMinute.map((m, i) => {
      const sorted = m.latencies.sort((a, b) => a - b);
      return [String(i + 1), String(m.calls), String(m.errors), percentile(sorted, 0.5).toFixed(1), percentile(sorted, 0.99).toFixed(1), m.rss?.toFixed(1) ?? '—'];
    }))}`);
    const warm = rss.find(([at]) => at >= 60_000)?.[1] ?? rss[0]?.[1] ?? rssAtStart;
    const last = rss.at(-1)?.[1] ?? rssAtStart;
    const peak = Math.max(...rss.map(([, m]) => m));
    console.log(`\nRSS: ${rssAtStart.toFixed(1)} MiB before the load, ${warm.toFixed(1)} MiB after the first minute, ${last.toFixed(1)} MiB at the end ` +
      `(peak ${peak.toFixed(1)}): growth after warm-up ${(((last - warm) / warm) * 100).toFixed(1)} %`);
    console.log(`requests: ${launched - shed} sent, ${shed} shed (more than ${MAX_IN_FLIGHT} in flight)` +
      `${errorsByName.size ? `; errors ${[...errorsByName].map(([n, c]) => `${n} ${c}`).join(', ')}` : '; no errors'}`);

    console.log(`\naudit retention (1 day), back-dated batches counted every ${SAMPLE_MS / 1000} s:\n${table(
      ['batch expires at', 'events', 'left just before expiry', 'left at the end', 'gone by', 'after expiry'],
      batches.map((b) => [
        b.expiresAfterMs < 0 ? 'before the start' : `${(b.expiresAfterMs / 1000).toFixed(0)} s`,
        String(b.size),
        b.leftBeforeExpiry === undefined ? '—' : String(b.leftBeforeExpiry),
        String(b.left),
        b.goneAfterMs === undefined ? 'not gone' : `${(b.goneAfterMs / 1000).toFixed(0)} s`,
        b.goneAfterMs === undefined ? '—' : `≤ ${Math.max(0, (b.goneAfterMs - Math.max(0, b.expiresAfterMs)) / 1000).toFixed(0)} s`,
      ]),
    )}`);
    if (kind === 'sqlite') {
      const size = (name: string) => { try { return statSync(join(dataDir, name)).size; } catch { return 0; } };
      console.log(`\nSQLite file at the end: ${((size('iamd.sqlite') + size('iamd.sqlite-wal')) / 2 ** 20).toFixed(1)} MiB (with its WAL)`);
    }
  } finally {
    await server.kill();
    await observer.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
}

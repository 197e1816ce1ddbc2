// What the benchmarks share: the module contract `run.ts` relies on, a throughput meter and a
// Markdown table printer (so results paste into BENCHMARKS.md as they are).

export interface BenchOptions {
  /** Shorter measuring windows, for a smoke run; numbers are noisier. */
  quick: boolean;
  /** Check every request against every peer, however slow the peer (`--full`). */
  full: boolean;
  /** The command line, for a benchmark's own flags (`--minutes 10`). */
  args?: readonly string[];
}

/** The value of `--name VALUE` or `--name=VALUE` among `args`. */
export function flagValue(args: readonly string[] | undefined, name: string): string | undefined {
  const inline = args?.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const i = args?.indexOf(`--${name}`) ?? -1;
  return i >= 0 ? args![i + 1] : undefined;
}

export interface BenchModule {
  title: string;
  run(options: BenchOptions): Promise<void>;
}

export interface Throughput {
  /** Calls made in the measured window. */
  calls: number;
  seconds: number;
  perSecond: number;
}

/**
 * Calls `step(i)` with i = 0, 1, 2, … (the caller maps i onto its inputs) first for a warm-up, then
 * for at least `minSeconds` and at least `minCalls` calls, and reports the rate. The clock is read
 * every `batch` calls so reading it costs nothing measurable.
 */
export function measure(step: (i: number) => unknown, opts: { minSeconds: number; minCalls?: number; warmupCalls?: number }): Throughput {
  const warmup = opts.warmupCalls ?? 200;
  let sink = 0;
  for (let i = 0; i < warmup; i++) if (step(i)) sink++;
  let calls = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < opts.minSeconds * 1000 || calls < (opts.minCalls ?? 1)) {
    const batchStart = performance.now();
    for (let j = 0; j < batch; j++) if (step(calls + j)) sink++;
    calls += batch;
    const now = performance.now();
    elapsed = now - start;
    // Grow the batch until one takes ~10 ms.
    if (now - batchStart < 10) batch = Math.min(batch * 2, 1 << 16);
  }
  if (sink < 0) console.log(sink); // keeps the results observable, so no call can be optimised away
  return { calls, seconds: elapsed / 1000, perSecond: calls / (elapsed / 1000) };
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}

/** A GitHub Markdown table, columns padded so it also reads well in a terminal. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

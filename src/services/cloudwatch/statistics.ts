// GetMetricStatistics: the samples in [StartTime, EndTime) grouped into Period-long buckets aligned
// on the epoch, each summarised into the statistics asked for.

import type { Sample } from './model.ts';

export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';

export interface Datapoint {
  Timestamp: Date;
  Unit: string;
  SampleCount?: number;
  Average?: number;
  Sum?: number;
  Minimum?: number;
  Maximum?: number;
}

export function datapoints(samples: readonly Sample[], start: Date, end: Date, periodSeconds: number, statistics: readonly Statistic[], unit?: string): Datapoint[] {
  const periodMs = periodSeconds * 1000;
  const buckets = new Map<number, { count: number; sum: number; min: number; max: number; unit: string }>();
  for (const s of samples) {
    if (s.t < start.getTime() || s.t >= end.getTime()) continue;
    if (unit !== undefined && s.unit !== unit) continue;
    const bucket = Math.floor(s.t / periodMs) * periodMs;
    const b = buckets.get(bucket);
    if (!b) buckets.set(bucket, { count: s.count, sum: s.sum, min: s.min, max: s.max, unit: s.unit });
    else {
      b.count += s.count;
      b.sum += s.sum;
      b.min = Math.min(b.min, s.min);
      b.max = Math.max(b.max, s.max);
    }
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, b]) => {
      const point: Datapoint = { Timestamp: new Date(t), Unit: b.unit };
      for (const stat of statistics) {
        if (stat === 'SampleCount') point.SampleCount = b.count;
        if (stat === 'Sum') point.Sum = b.sum;
        if (stat === 'Minimum') point.Minimum = b.min;
        if (stat === 'Maximum') point.Maximum = b.max;
        if (stat === 'Average') point.Average = b.sum / b.count;
      }
      return point;
    });
}

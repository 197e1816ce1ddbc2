// PutMetricData's data → samples: each datum gives one value, a statistic set, or values with counts,
// checked the way CloudWatch checks them (messages name parameters in their Query form,
// `MetricData.member.N.Value`, in either protocol).

import { invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.ts';
import type { Dimension, Sample } from './model.ts';

export interface MetricDatum {
  MetricName: string;
  Dimensions?: Dimension[];
  Timestamp?: Date;
  Value?: number;
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

function finite(value: number, parameter: string): number {
  if (!Number.isFinite(value)) throw invalidParameterValue(`The value ${value} for parameter ${parameter} is invalid.`);
  return value;
}

export function sampleOf(datum: MetricDatum, index: number, now: Date): Sample {
  const at = `MetricData.member.${index + 1}`;
  const t = (datum.Timestamp ?? now).getTime();
  const unit = datum.Unit ?? 'None';
  if (datum.StorageResolution !== undefined && datum.StorageResolution !== 1 && datum.StorageResolution !== 60) {
    throw invalidParameterValue(`The value ${datum.StorageResolution} for parameter ${at}.StorageResolution is invalid.`);
  }
  const names = new Set<string>();
  for (const d of datum.Dimensions ?? []) {
    if (names.has(d.Name)) throw invalidParameterValue(`No Metric may specify the same dimension name twice.`);
    names.add(d.Name);
  }
  if (datum.Value !== undefined && datum.StatisticValues !== undefined) {
    throw invalidParameterCombination(`The parameters ${at}.Value and ${at}.StatisticValues are mutually exclusive and you have specified both.`);
  }
  if (datum.Values !== undefined && (datum.Value !== undefined || datum.StatisticValues !== undefined)) {
    throw invalidParameterCombination(`The parameters ${at}.Values and ${at}.${datum.Value !== undefined ? 'Value' : 'StatisticValues'} are mutually exclusive and you have specified both.`);
  }
  if (datum.Value !== undefined) {
    const v = finite(datum.Value, `${at}.Value`);
    return { t, count: 1, sum: v, min: v, max: v, unit };
  }
  if (datum.StatisticValues !== undefined) {
    const s = datum.StatisticValues;
    finite(s.Sum, `${at}.StatisticValues.Sum`);
    finite(s.Minimum, `${at}.StatisticValues.Minimum`);
    finite(s.Maximum, `${at}.StatisticValues.Maximum`);
    if (!(s.SampleCount > 0)) throw invalidParameterValue(`The value ${s.SampleCount} for parameter ${at}.StatisticValues.SampleCount is invalid.`);
    if (s.Maximum < s.Minimum) {
      throw invalidParameterValue(`The parameter ${at}.StatisticValues.Maximum must be greater than ${at}.StatisticValues.Minimum.`);
    }
    return { t, count: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum, unit };
  }
  if (datum.Values !== undefined && datum.Values.length > 0) {
    const counts = datum.Counts ?? datum.Values.map(() => 1);
    if (counts.length !== datum.Values.length) {
      throw invalidParameterValue(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
    }
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    datum.Values.forEach((raw, i) => {
      const v = finite(raw, `${at}.Values.member.${i + 1}`);
      const c = counts[i];
      if (!(c > 0) || !Number.isFinite(c)) throw invalidParameterValue(`The value ${c} for parameter ${at}.Counts.member.${i + 1} is invalid.`);
      count += c;
      sum += v * c;
      min = Math.min(min, v);
      max = Math.max(max, v);
    });
    return { t, count, sum, min, max, unit };
  }
  throw missingParameter(`The parameter ${at}.Value is required.`);
}

// Metrics in the store: one document per metric (namespace, name and dimension set) per region, with
// its samples. A sample is what one datum of PutMetricData contributed (a value, a statistic set, or
// values with counts, already summarised), so statistics over any period are sums of samples.

import type { Tx } from '../../store/types.ts';

export const METRIC_KIND = 'cw-metric';

/** Samples kept per metric; the oldest go first (AWS keeps 15 months, iamd keeps this many). */
export const MAX_SAMPLES_PER_METRIC = 10_000;

export interface Dimension {
  Name: string;
  Value: string;
}

export interface Sample {
  /** Epoch milliseconds. */
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  unit: string;
}

export interface MetricDoc {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  samples: Sample[];
}

/** Dimension order does not make a different metric. */
export function sortedDimensions(dimensions: readonly Dimension[] | undefined): Dimension[] {
  return [...(dimensions ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

function metricKey(region: string, namespace: string, name: string, dimensions: readonly Dimension[]): string {
  const dims = dimensions.map((d) => `${d.Name}=${d.Value}`).join('\u001e');
  return `${region}/${namespace}\u001f${name}\u001f${dims}`;
}

export async function getMetric(tx: Tx, account: string, region: string, namespace: string, name: string, dimensions: readonly Dimension[]): Promise<MetricDoc | undefined> {
  return (await tx.get<MetricDoc>(account, METRIC_KIND, metricKey(region, namespace, name, sortedDimensions(dimensions))))?.doc;
}

export async function addSamples(tx: Tx, account: string, region: string, metric: Omit<MetricDoc, 'samples'>, samples: Sample[]): Promise<void> {
  const dimensions = sortedDimensions(metric.Dimensions);
  const key = metricKey(region, metric.Namespace, metric.MetricName, dimensions);
  const existing = await tx.get<MetricDoc>(account, METRIC_KIND, key);
  if (existing) {
    const all = [...existing.doc.samples, ...samples];
    const kept = all.length > MAX_SAMPLES_PER_METRIC ? all.sort((a, b) => a.t - b.t).slice(all.length - MAX_SAMPLES_PER_METRIC) : all;
    await tx.update(account, METRIC_KIND, key, { ...existing.doc, samples: kept });
  } else {
    await tx.insert(account, METRIC_KIND, key, { Namespace: metric.Namespace, MetricName: metric.MetricName, Dimensions: dimensions, samples });
  }
}

/** Every metric of the region, optionally only those of one namespace. */
export async function listMetrics(tx: Tx, account: string, region: string, namespace?: string): Promise<MetricDoc[]> {
  const keyPrefix = namespace === undefined ? `${region}/` : `${region}/${namespace}\u001f`;
  return (await tx.list<MetricDoc>(account, METRIC_KIND, { keyPrefix })).map((e) => e.doc);
}

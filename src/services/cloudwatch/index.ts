// A minimal CloudWatch: PutMetricData, ListMetrics and GetMetricStatistics, per account and region,
// over awsJson 1.0 (query-compatible) and awsQuery — the protocol layer serves both.
//
// Authorization: none of these actions takes a resource (`*`); PutMetricData carries the namespace as
// `cloudwatch:namespace`, which is how service roles are limited to their own (`AWS/MemoryDB`).

import type { CallContext, Operation } from '../../common/call.ts';
import { decimalOffsets, pageAtOffset, type OffsetPaging } from '../../common/paging.ts';
import type { Tx } from '../../store/types.ts';
import type { ServiceDescriptor } from '../descriptor.ts';
import { cloudWatchAccessDenied, invalidNextToken, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.ts';
import { addSamples, getMetric, listMetrics, type Dimension, type MetricDoc } from './model.ts';
import { sampleOf, type MetricDatum } from './samples.ts';
import { datapoints, type Statistic } from './statistics.ts';

const MAX_DATAPOINTS = 1440;
/** ListMetrics answers 500 metrics a page; its NextToken is an offset (the base64url of the next index). */
const LIST_PAGING: OffsetPaging = { tokens: decimalOffsets(invalidNextToken), size: { default: 500 } };
const RECENTLY_ACTIVE_MS = 3 * 60 * 60 * 1000;

function operation<I>(name: string, spec: { readOnly?: boolean; authorize(input: I): Record<string, string>; handle(input: I, ctx: CallContext, tx: Tx): Promise<Record<string, unknown> | void> }): Operation {
  return {
    service: 'cloudwatch',
    name,
    readOnly: spec.readOnly,
    authorize: (input) => [{ action: `cloudwatch:${name}`, resource: '*', context: spec.authorize(input as I) }],
    handle: (input, ctx, tx) => spec.handle(input as I, ctx, tx),
  };
}

/** AWS/ namespaces belong to AWS services: only a service acting through its role may write there. */
function checkNamespace(namespace: string, ctx: CallContext): void {
  if (namespace.startsWith('AWS/') && !ctx.caller.session?.viaService) {
    throw invalidParameterValue('The value AWS/ for parameter Namespace is invalid.');
  }
}

const putMetricData = operation<{ Namespace: string; MetricData?: MetricDatum[]; EntityMetricData?: { MetricData?: MetricDatum[] }[] }>('PutMetricData', {
  authorize: (input) => ({ 'cloudwatch:namespace': input.Namespace }),
  async handle(input, ctx, tx) {
    checkNamespace(input.Namespace, ctx);
    const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
    if (data.length === 0) throw missingParameter('The parameter MetricData is required.');
    if (data.length > 1000) throw invalidParameterValue('The collection MetricData must not contain more than 1000 items.');
    const samples = data.map((datum, i) => ({ datum, sample: sampleOf(datum, i, ctx.now) }));
    for (const { datum, sample } of samples) {
      await addSamples(tx, ctx.account, ctx.region, { Namespace: input.Namespace, MetricName: datum.MetricName, Dimensions: datum.Dimensions ?? [] }, [sample]);
    }
  },
});

interface ListInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value?: string }[];
  NextToken?: string;
  RecentlyActive?: string;
}

function hasDimensions(metric: MetricDoc, filters: ListInput['Dimensions']): boolean {
  return (filters ?? []).every((f) => metric.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)));
}

const listMetricsOp = operation<ListInput>('ListMetrics', {
  readOnly: true,
  authorize: () => ({}),
  async handle(input, ctx, tx) {
    const activeSince = input.RecentlyActive === 'PT3H' ? ctx.now.getTime() - RECENTLY_ACTIVE_MS : undefined;
    const metrics = (await listMetrics(tx, ctx.account, ctx.region, input.Namespace)).filter((m) =>
      (input.MetricName === undefined || m.MetricName === input.MetricName) &&
      hasDimensions(m, input.Dimensions) &&
      (activeSince === undefined || m.samples.some((s) => s.t >= activeSince)));
    const { items, next } = pageAtOffset(metrics, { token: input.NextToken }, LIST_PAGING);
    return {
      Metrics: items.map((m) => ({ Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: m.Dimensions })),
      NextToken: next,
    };
  },
});

interface StatisticsInput {
  Namespace: string;
  MetricName: string;
  Dimensions?: Dimension[];
  StartTime: Date;
  EndTime: Date;
  Period: number;
  Statistics?: Statistic[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

const getMetricStatistics = operation<StatisticsInput>('GetMetricStatistics', {
  readOnly: true,
  authorize: () => ({}),
  async handle(input, ctx, tx) {
    const statistics = input.Statistics ?? [];
    if (statistics.length === 0 && !input.ExtendedStatistics?.length) {
      throw missingParameter('At least one of the parameters Statistics and ExtendedStatistics must be specified.');
    }
    if (statistics.length > 0 && input.ExtendedStatistics?.length) {
      throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
    }
    if (input.ExtendedStatistics?.length) throw invalidParameterValue('iamd does not compute ExtendedStatistics (percentiles).');
    if (input.Period < 60 ? ![1, 5, 10, 30].includes(input.Period) : input.Period % 60 !== 0) {
      throw invalidParameterValue('The parameter Period must be 1, 5, 10, 30, or a multiple of 60.');
    }
    if (input.StartTime.getTime() >= input.EndTime.getTime()) {
      throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
    }
    const requested = Math.ceil((input.EndTime.getTime() - input.StartTime.getTime()) / (input.Period * 1000));
    if (requested > MAX_DATAPOINTS) {
      throw invalidParameterCombination(
        `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_DATAPOINTS.toLocaleString('en-US')}. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      );
    }
    const metric = await getMetric(tx, ctx.account, ctx.region, input.Namespace, input.MetricName, input.Dimensions ?? []);
    return {
      Label: input.MetricName,
      Datapoints: metric ? datapoints(metric.samples, input.StartTime, input.EndTime, input.Period, statistics, input.Unit) : [],
    };
  },
});

export const service: ServiceDescriptor = {
  name: 'cloudwatch',
  wire: {
    source: { file: 'cloudwatch-2010-08-01', operations: ['PutMetricData', 'ListMetrics', 'GetMetricData', 'GetMetricStatistics'] },
    protocol: 'json',
    acceptsQuery: true,
    validation: { code: 'ValidationError', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'CloudWatch',
  },
  operations: () => [putMetricData, listMetricsOp, getMetricStatistics],
  accessDenied: cloudWatchAccessDenied,
};


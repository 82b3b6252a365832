import type { StatusClass, UsageBucket } from '../../../analytics/usage-series.service.ts';
import { barChart, lineChart } from '../../../shared/charts/svg-chart.ts';
import type { AnalyticsPoint, PeriodFigures } from '../../analytics/analytics-report.service.ts';

/*
 * The console's traffic charts (overview and Analytics), drawn on the server as SVG like the
 * portal's usage charts: calls by status class, errors, latency p50/p95/p99, and the calls of two
 * periods over each other. Each says in words what a screen reader cannot see in the drawing (the
 * totals, the bucket that stood out); the page also shows the figures as a table.
 */

const CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const count = (value: number) => value.toLocaleString('en-GB');

/** A bucket's start in words, UTC: "6 Dec" for a day, "6 Dec 14:05" for an hour or a minute. */
export function formatBucket(start: Date, bucket: UsageBucket): string {
  const day = `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]}`;
  if (bucket === 'day') return day;
  return `${day} ${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')}`;
}

function busiest(points: readonly AnalyticsPoint[], measure: (point: AnalyticsPoint) => number): AnalyticsPoint | undefined {
  return points.reduce<AnalyticsPoint | undefined>((top, point) => (measure(point) > (top ? measure(top) : 0) ? point : top), undefined);
}

const labelUnit = (bucket: UsageBucket) => (bucket === 'day' ? 'day' : 'hour');
const per = (bucket: UsageBucket) => `per ${bucket}`;

export interface TrafficCharts {
  calls: string;
  errors: string;
  latency: string;
}

/** Calls by status class, errors, and latency percentiles over the period's buckets. */
export function trafficCharts(series: readonly AnalyticsPoint[], bucket: UsageBucket): TrafficCharts {
  const when = (point: AnalyticsPoint) => `${bucket === 'day' ? 'on' : 'at'} ${formatBucket(point.start, bucket)}${bucket === 'day' ? '' : ' UTC'}`;
  const calls = series.reduce((sum, point) => sum + point.calls, 0);
  const errors = series.reduce((sum, point) => sum + point.errors, 0);
  const topCalls = busiest(series, (point) => point.calls);
  const topErrors = busiest(series, (point) => point.errors);
  const slowest = busiest(series, (point) => point.latencyMs?.p99 ?? 0);
  return {
    calls: barChart({
      title: `Calls ${per(bucket)}, by status class`, unit: 'calls', xLabels: labelUnit(bucket),
      description: topCalls ? `${count(calls)} calls; the most, ${count(topCalls.calls)}, ${when(topCalls)}.` : 'No calls in this period.',
      bars: series.map((point) => ({ x: point.start, segments: CLASSES.map((name) => ({ name, value: point.byStatusClass[name] })) })),
    }),
    errors: barChart({
      title: `Errors ${per(bucket)}, by status class`, unit: 'errors', xLabels: labelUnit(bucket),
      description: topErrors ? `${count(errors)} calls answered 4xx or 5xx; the most, ${count(topErrors.errors)}, ${when(topErrors)}.` : 'No call was answered with an error.',
      bars: series.map((point) => ({ x: point.start, segments: (['4xx', '5xx'] as const).map((name) => ({ name, value: point.byStatusClass[name] })) })),
    }),
    latency: lineChart({
      title: 'Latency, p50, p95 and p99', unit: 'ms', xLabels: labelUnit(bucket),
      description: slowest?.latencyMs ? `Time to answer, as the gateway measured it. The slowest p99, ${Math.round(slowest.latencyMs.p99)} ms, was ${when(slowest)}.` : 'No calls to measure.',
      series: (['p50', 'p95', 'p99'] as const).map((name) => ({ name, points: series.map((point) => ({ x: point.start, y: point.latencyMs?.[name] })) })),
    }),
  };
}

/**
 * The calls of both periods per bucket, the second drawn on the first's time axis (its n-th bucket
 * over the first's n-th), so their shapes compare at a glance.
 */
export function comparisonChart(selected: PeriodFigures, compared: PeriodFigures, bucket: UsageBucket, names: { selected: string; compared: string }): string {
  const shifted = compared.series.slice(0, selected.series.length).map((point, i) => ({ x: selected.series[i]!.start, y: point.calls }));
  return lineChart({
    title: `Calls ${per(bucket)}, both periods`, unit: 'calls', xLabels: labelUnit(bucket),
    description: `${names.selected}: ${count(selected.totals.calls)} calls; ${names.compared}: ${count(compared.totals.calls)} calls. The second period is drawn over the first, bucket by bucket.`,
    series: [
      { name: names.selected, points: selected.series.map((point) => ({ x: point.start, y: point.calls })) },
      { name: names.compared, points: shifted },
    ],
  });
}

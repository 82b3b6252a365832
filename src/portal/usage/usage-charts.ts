import type { StatusClass, UsagePoint } from '../../analytics/usage-series.service.ts';
import { formatDay } from '../format-instant.ts';
import { barChart, lineChart } from '../../shared/charts/svg-chart.ts';

/*
 * The Usage page's three charts from an application's daily usage, each with a description in
 * words (what a screen reader announces of an image): totals, and the day that stood out.
 */

const CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];
const count = (value: number) => value.toLocaleString('en-GB');
const errorsOf = (point: UsagePoint) => point.byStatusClass['4xx'] + point.byStatusClass['5xx'];

function busiest(days: readonly UsagePoint[], measure: (point: UsagePoint) => number): UsagePoint | undefined {
  return days.reduce<UsagePoint | undefined>((top, point) => (measure(point) > (top ? measure(top) : 0) ? point : top), undefined);
}

export function callsChart(days: readonly UsagePoint[]): string {
  const total = days.reduce((sum, point) => sum + point.count, 0);
  const top = busiest(days, (point) => point.count);
  return barChart({
    title: 'Calls per day', unit: 'calls',
    description: top ? `${count(total)} calls in ${days.length} days; the most, ${count(top.count)}, on ${formatDay(top.start)}.` : `No calls in the ${days.length} days.`,
    bars: days.map((point) => ({ x: point.start, segments: CLASSES.map((name) => ({ name, value: point.byStatusClass[name] })) })),
  });
}

export function errorsChart(days: readonly UsagePoint[]): string {
  const total = days.reduce((sum, point) => sum + errorsOf(point), 0);
  const top = busiest(days, errorsOf);
  return barChart({
    title: 'Errors per day, by status', unit: 'errors',
    description: top ? `${count(total)} calls answered 4xx or 5xx; the most, ${count(errorsOf(top))}, on ${formatDay(top.start)}.` : 'No call was answered with an error.',
    bars: days.map((point) => ({ x: point.start, segments: (['4xx', '5xx'] as const).map((name) => ({ name, value: point.byStatusClass[name] })) })),
  });
}

export function latencyChart(days: readonly UsagePoint[]): string {
  const slowest = busiest(days, (point) => point.totalMs?.p95 ?? 0);
  return lineChart({
    title: 'Latency, p50 and p95', unit: 'ms',
    description: slowest?.totalMs ? `Time to answer, as the gateway measured it. The slowest p95, ${Math.round(slowest.totalMs.p95)} ms, was on ${formatDay(slowest.start)}.` : 'No calls to measure.',
    series: (['p50', 'p95'] as const).map((name) => ({ name, points: days.map((point) => ({ x: point.start, y: point.totalMs?.[name] })) })),
  });
}

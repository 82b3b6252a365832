import { drawStack, type StackSegment } from './bar-stack.ts';
import { lineStyle, segmentColours } from './chart-colours.ts';
import { drawChart, maxXLabels, PLOT, plotY, type XLabel } from './chart-frame.ts';
import { formatUtcLabel, labelIndices, niceTicks, type TimeLabelUnit } from './chart-scale.ts';
import { drawLinePath } from './line-path.ts';

/*
 * Charts for the portal's Usage page, drawn on the server as SVG so they show without JavaScript
 * and under a CSP that allows neither inline script nor inline style. Each returns a complete
 * `<svg role="img">` whose `<title>` and `<desc>` are what a screen reader announces; the
 * description should say in words what the chart shows (totals, the worst day), because the
 * drawing inside an image is not read out.
 */

export interface LinePoint {
  x: Date;
  /** Undefined (no calls in that hour or day) leaves a gap in the line, not a drop to zero. */
  y: number | undefined;
}

export interface LineSeries {
  name: string;
  /** In time order. */
  points: readonly LinePoint[];
}

export interface LineChartInput {
  title: string;
  description: string;
  unit: string;
  series: readonly LineSeries[];
  /** How x values are labelled, in UTC: "4 Dec" for days (the default) or "14:00" for hours. */
  xLabels?: TimeLabelUnit;
}

export interface BarSegment {
  name: string;
  value: number;
}

export interface Bar {
  /** The UTC day the bar counts. */
  x: Date;
  segments: readonly BarSegment[];
}

export interface BarChartInput {
  title: string;
  description: string;
  unit: string;
  /** In time order, one per day (or per hour or minute, with `xLabels: 'hour'`). */
  bars: readonly Bar[];
  /** How bars are labelled, in UTC: "4 Dec" for days (the default) or "14:05" for hours and minutes. */
  xLabels?: TimeLabelUnit;
}

// Wider bars (a week's chart) stop looking like bars and start looking like blocks.
const MAX_BAR_WIDTH = 40;

/**
 * A line chart on a time axis, one line per series (latency p50 and p95 in ms, say), each with its
 * own colour and dash. A point without a value splits its line; a value alone between two gaps is
 * drawn as a dot. With no value above 0 the chart says there were no calls.
 * @example
 * lineChart({ title: 'Latency', description: 'p95 peaked at 412 ms on 4 Dec.', unit: 'ms',
 *   series: [{ name: 'p95', points: [{ x: new Date('2026-12-04'), y: 412 }] }] })
 */
export function lineChart(input: LineChartInput): string {
  const labelUnit = input.xLabels ?? 'day';
  const times = [...new Set(input.series.flatMap((s) => s.points.map((p) => p.x.getTime())))].sort((a, b) => a - b);
  const first = times[0] ?? 0;
  const span = (times.at(-1) ?? 0) - first;
  const xOf = (time: number) => span === 0 ? (PLOT.left + PLOT.right) / 2 : PLOT.left + (time - first) / span * (PLOT.right - PLOT.left);
  const max = Math.max(0, ...input.series.flatMap((s) => s.points.map((p) => p.y ?? 0)).filter(Number.isFinite));
  const ticks = niceTicks(max);
  const texts = times.map((time) => formatUtcLabel(new Date(time), labelUnit));
  const xLabels = labelIndices(times.length, maxXLabels(texts)).map((i): XLabel => ({ x: xOf(times[i]!), text: texts[i]! }));
  const position = (x: Date, y: number) => [xOf(x.getTime()), plotY(y, ticks)] as const;
  return drawChart({
    title: input.title, description: input.description, unit: input.unit, ticks, xLabels,
    legend: input.series.map((s, i) => ({ name: s.name, ...lineStyle(i), mark: 'line' })),
    body: max > 0 ? input.series.map((s, i) => drawLinePath(s.points, { ...lineStyle(i), position })).join('') : undefined,
  });
}

/**
 * Stacked bars, one per UTC day (calls, or calls by status class). Segments stack bottom up in the
 * order their names first appear; each name keeps its colour on every chart (`segmentColours`),
 * and a pointer over a segment shows its exact count. With no count above 0 the chart says there
 * were no calls.
 * @example
 * barChart({ title: 'Calls per day', description: '1,204 calls, 3 failed.', unit: 'calls',
 *   bars: [{ x: new Date('2026-12-04'), segments: [{ name: '2xx', value: 1201 }, { name: '5xx', value: 3 }] }] })
 */
export function barChart(input: BarChartInput): string {
  const names = [...new Set(input.bars.flatMap((bar) => bar.segments.map((s) => s.name)))];
  const colours = segmentColours(names);
  const stacks = input.bars.map((bar) => names.map((name): StackSegment => ({ name, value: sumOf(bar.segments.filter((s) => s.name === name)) })));
  const ticks = niceTicks(Math.max(0, ...stacks.map(sumOf)), true);
  const band = (PLOT.right - PLOT.left) / Math.max(1, input.bars.length);
  const width = Math.min(band * 0.7, MAX_BAR_WIDTH);
  const centre = (i: number) => PLOT.left + band * (i + 0.5);
  const days = input.bars.map((bar) => formatUtcLabel(bar.x, input.xLabels ?? 'day'));
  const xLabels = labelIndices(days.length, maxXLabels(days)).map((i): XLabel => ({ x: centre(i), text: days[i]! }));
  const drawBar = (stack: readonly StackSegment[], i: number) => drawStack(stack, {
    left: centre(i) - width / 2, width, ticks, colours,
    hint: (s) => `${days[i]}, ${s.name}: ${s.value.toLocaleString('en-GB')} ${input.unit}`,
  });
  return drawChart({
    title: input.title, description: input.description, unit: input.unit, ticks, xLabels,
    legend: names.map((name) => ({ name, colour: colours.get(name)!, mark: 'square' })),
    body: stacks.some((stack) => sumOf(stack) > 0) ? stacks.map(drawBar).join('') : undefined,
  });
}

/** The total of counts from the analytics rollup, where anything but a positive finite number counts 0. */
function sumOf(segments: readonly BarSegment[]): number {
  return segments.reduce((sum, { value }) => sum + (Number.isFinite(value) && value > 0 ? value : 0), 0);
}

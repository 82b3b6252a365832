import { drawLegend, type LegendItem } from './chart-legend.ts';
import { formatCompact } from './chart-scale.ts';
import { element, escapeXml, estimateTextWidth } from './svg-text.ts';

/*
 * What every usage chart shares: the `<svg>` element with its accessible name and description,
 * the y gridlines and figures, the x labels, the legend and the "no calls" message. The page's CSP
 * allows no inline style, so everything is drawn with presentation attributes.
 *
 * The viewBox is fixed and the image scales to its container: text is 15 units on a 480-unit-wide
 * image, about 11px on a 375px phone. Since labels scale with everything else, a layout that does
 * not overlap at one width does not overlap at any.
 */

const FONT_SIZE = 15;
const WIDTH = 480;
const INK = '#1b1f24';
// 7.6:1 on white, like the portal's muted text.
const MUTED = '#4a5560';
const GRID = '#dde2e7';
const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
const NO_DATA = 'No calls in this period';

/** The plotting area, in viewBox units. */
export const PLOT = { left: 48, right: WIDTH - 24, top: 30, bottom: 230 } as const;

export interface XLabel {
  x: number;
  text: string;
}

export interface ChartParts {
  title: string;
  description: string;
  unit: string;
  ticks: readonly number[];
  xLabels: readonly XLabel[];
  legend: readonly LegendItem[];
  /** Bars or lines, drawn over the gridlines; undefined when there is nothing to draw. */
  body: string | undefined;
}

/** The whole chart as an SVG document, ready to inline in the page or serve as image/svg+xml. */
export function drawChart(parts: ChartParts): string {
  const legend = drawLegend(parts.legend, { left: PLOT.left, right: WIDTH - 8, top: PLOT.bottom + 40, fontSize: FONT_SIZE });
  const height = PLOT.bottom + 30 + legend.height;
  const content = element('title', {}, escapeXml(parts.title))
    + element('desc', {}, escapeXml(parts.description))
    + element('rect', { width: WIDTH, height, fill: '#ffffff' })
    + drawYAxis(parts.ticks, parts.unit)
    + (parts.body ?? drawNoData())
    + element('line', { x1: PLOT.left, y1: PLOT.bottom, x2: PLOT.right, y2: PLOT.bottom, stroke: MUTED })
    + parts.xLabels.map(({ x, text }) => element('text', { x, y: PLOT.bottom + 20, 'text-anchor': 'middle', fill: MUTED }, escapeXml(text))).join('')
    + legend.markup;
  return element('svg', {
    xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${WIDTH} ${height}`, width: '100%', role: 'img',
    'font-family': FONT_FAMILY, 'font-size': FONT_SIZE, fill: INK,
  }, content);
}

/** The y coordinate of a value, with the top tick at the top of the plot. */
export function plotY(value: number, ticks: readonly number[]): number {
  const top = ticks.at(-1) || 1;
  return PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
}

/**
 * How many of these x labels fit side by side, going by the longest. On the 408-unit plot that is
 * 6 days or 7 hours, within the 8 a reader can take in; a week of single-digit days fits 7.
 */
export function maxXLabels(texts: readonly string[]): number {
  const widest = Math.max(0, ...texts.map((text) => estimateTextWidth(text, FONT_SIZE)));
  return Math.floor((PLOT.right - PLOT.left) / (widest + 12));
}

function drawYAxis(ticks: readonly number[], unit: string): string {
  const unitCaption = element('text', { x: 4, y: PLOT.top - 14, fill: MUTED }, escapeXml(unit));
  return unitCaption + ticks.map((tick) => {
    const y = plotY(tick, ticks);
    const gridline = tick === 0 ? '' : element('line', { x1: PLOT.left, y1: y, x2: PLOT.right, y2: y, stroke: GRID });
    return gridline + element('text', { x: PLOT.left - 6, y: y + 5, 'text-anchor': 'end', fill: MUTED }, formatCompact(tick));
  }).join('');
}

function drawNoData(): string {
  const y = (PLOT.top + PLOT.bottom) / 2;
  return element('text', { x: (PLOT.left + PLOT.right) / 2, y, 'text-anchor': 'middle', fill: MUTED, 'font-size': 16 }, NO_DATA);
}

import { plotY } from './chart-frame.ts';
import { element, escapeXml } from './svg-text.ts';

/*
 * One stacked bar. Each segment's height is exactly its share of the y axis; a white line over
 * each joint, rather than a stroke around every segment, tells neighbours apart without paling the
 * 3-unit-wide bars of a 90-day chart.
 */

export interface StackSegment {
  name: string;
  /** Finite and not negative (the caller sees to it); a segment of 0 draws nothing. */
  value: number;
}

export interface StackLayout {
  left: number;
  width: number;
  ticks: readonly number[];
  colours: ReadonlyMap<string, string>;
  /** The text a pointer hovering over a segment shows. */
  hint: (segment: StackSegment) => string;
}

/** The bar's segments bottom up, in the order given. */
export function drawStack(stack: readonly StackSegment[], layout: StackLayout): string {
  let below = 0;
  let markup = '';
  for (const segment of stack.filter((s) => s.value > 0)) {
    const [bottom, top] = [plotY(below, layout.ticks), plotY(below + segment.value, layout.ticks)];
    const hint = element('title', {}, escapeXml(layout.hint(segment)));
    markup += element('rect', { x: layout.left, y: top, width: layout.width, height: bottom - top, fill: layout.colours.get(segment.name) }, hint);
    if (below > 0) markup += element('line', { x1: layout.left, y1: bottom, x2: layout.left + layout.width, y2: bottom, stroke: '#ffffff' });
    below += segment.value;
  }
  return markup;
}

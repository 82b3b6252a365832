import { element, round } from './svg-text.ts';

/*
 * One series of a line chart. A missing value is a gap, not a zero: a quiet night drawn as 0 ms
 * would read as the fastest hour of the day. So the path starts again (a new `M`) after each gap,
 * and a value alone between two gaps, which a path cannot show, becomes a dot.
 */

export interface PathPoint {
  x: Date;
  y: number | undefined;
}

export interface PathStyle {
  colour: string;
  dash: string | undefined;
  /** Where a point with a value is drawn, in viewBox units. */
  position: (x: Date, y: number) => readonly [number, number];
}

/** The series' path and dots; no markup when it has no value at all. */
export function drawLinePath(points: readonly PathPoint[], style: PathStyle): string {
  const runs = splitAtGaps(points).map((run) => run.map(({ x, y }) => style.position(x, y)));
  const d = runs.filter((run) => run.length > 1)
    .map((run) => run.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`).join(''))
    .join('');
  const path = d === '' ? '' : element('path', {
    d, fill: 'none', stroke: style.colour, 'stroke-width': 2.5, 'stroke-dasharray': style.dash, 'stroke-linejoin': 'round',
  });
  const dots = runs.filter((run) => run.length === 1)
    .map(([[cx, cy]]) => element('circle', { cx, cy, r: 3, fill: style.colour }));
  return path + dots.join('');
}

/** Runs of consecutive points that have a finite value. */
function splitAtGaps(points: readonly PathPoint[]): { x: Date; y: number }[][] {
  const runs: { x: Date; y: number }[][] = [[]];
  for (const { x, y } of points) {
    if (y !== undefined && Number.isFinite(y)) runs.at(-1)!.push({ x, y });
    else if (runs.at(-1)!.length > 0) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

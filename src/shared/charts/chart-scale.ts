/*
 * The numbers around a usage chart: y ticks on 1-2-5 steps from 0, so gridlines fall on round
 * values a reader compares at a glance; compact figures (1.2k, 3M) that fit a phone's y axis; and
 * x labels in UTC, because usage is rolled up by UTC day and hour, thinned so they never overlap.
 */

export type TimeLabelUnit = 'day' | 'hour';

const STEP_MANTISSAS = [1, 2, 5] as const;
const MAX_INTERVALS = 5;
const SUFFIXES = [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * Ticks from 0 to the first multiple of a 1-2-5 step at or above `max`: 4 to 6 of them for any
 * positive `max`. With `integer` (counts of calls) the step is at least 1, so a small max gives
 * fewer ticks rather than half a call. No positive max (no data) gives `[0]`.
 * @example niceTicks(37) // [0, 10, 20, 30, 40]
 */
export function niceTicks(max: number, integer = false): number[] {
  if (!(max > 0)) return [0];
  const step = niceStep(max, integer);
  const intervals = Math.ceil(max / step - 1e-9);
  return Array.from({ length: intervals + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

// The smallest 1-2-5 step that covers max in at most 5 intervals. Steps grow by at most 2.5×, so
// the one before it needed more than 5 intervals and this one needs at least 3 (4 ticks).
function niceStep(max: number, integer: boolean): number {
  for (let magnitude = 10 ** Math.floor(Math.log10(max / MAX_INTERVALS)); ; magnitude *= 10) {
    for (const mantissa of STEP_MANTISSAS) {
      const step = mantissa * magnitude;
      if ((!integer || step >= 1) && Math.ceil(max / step - 1e-9) <= MAX_INTERVALS) return step;
    }
  }
}

/**
 * A short figure for an axis, for values of 0 or more: 3 significant digits below 1000, then one
 * decimal at most with k, M or B (short scale).
 * @example formatCompact(1234) // '1.2k'
 */
export function formatCompact(value: number): string {
  const index = SUFFIXES.findIndex(([unit]) => value >= unit);
  if (index === -1) return String(Number(value.toPrecision(3)));
  // 999,960 is 1000.0k once rounded: say 1M instead.
  const bigger = index > 0 && Math.round(value / SUFFIXES[index][0] * 10) >= 10_000 ? index - 1 : index;
  const [unit, suffix] = SUFFIXES[bigger];
  return `${Math.round(value / unit * 10) / 10}${suffix}`;
}

/** A UTC day ("4 Dec") or hour ("14:00") for the x axis. */
export function formatUtcLabel(x: Date, unit: TimeLabelUnit): string {
  if (unit === 'day') return `${x.getUTCDate()} ${MONTHS[x.getUTCMonth()]}`;
  return `${String(x.getUTCHours()).padStart(2, '0')}:${String(x.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * Which of `count` evenly spaced positions get a label: every n-th from the first, with n the
 * smallest step that keeps to `maxLabels`.
 * @example labelIndices(30, 8) // [0, 4, 8, 12, 16, 20, 24, 28]
 */
export function labelIndices(count: number, maxLabels: number): number[] {
  const step = Math.max(1, Math.ceil(count / Math.max(1, maxLabels)));
  return Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step);
}

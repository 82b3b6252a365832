import type { Random } from './random.ts';

const DAY = 86_400_000;

/** The year of history a bank holds: from `start` (included) to `asOf` (excluded), in epoch ms. */
export interface Window {
  start: number;
  asOf: number;
}

/** The year before `asOf` (a UTC date, YYYY-MM-DD): the bank is as it stood at that midnight. */
export function windowOf(asOf: string): Window {
  const end = Date.parse(`${asOf}T00:00:00Z`);
  return { start: end - 365 * DAY, asOf: end };
}

/** Midnight UTC of each month's first day that the window touches, oldest first. */
export function monthsOf(window: Window): number[] {
  const first = new Date(window.start);
  const months: number[] = [];
  for (let month = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1); month < window.asOf; ) {
    months.push(month);
    const date = new Date(month);
    month = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return months;
}

/** The `day` of the month that starts at `month` (clamped to its last day), at `minutes` past midnight. */
export function dayOfMonth(month: number, day: number, minutes: number): number {
  const date = new Date(month);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return month + (Math.min(day, last) - 1) * DAY + minutes * 60_000;
}

/** Each month's `day`, early in the morning (when the bank runs its batch), that falls in the window. */
export function monthlyDates(window: Window, day: number, random: Random): number[] {
  return monthsOf(window).map((month) => dayOfMonth(month, day, random.int(5 * 60, 7 * 60))).filter((at) => at >= window.start && at < window.asOf);
}

/** The next monthly `day` on or after `asOf`: when a standing order or direct debit is next due. */
export function nextMonthly(window: Window, day: number): number {
  const asOf = new Date(window.asOf);
  const thisMonth = dayOfMonth(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1), day, 6 * 60);
  return thisMonth >= window.asOf ? thisMonth : dayOfMonth(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1, 1), day, 6 * 60);
}

/** A moment in the window at a waking hour, uniformly over its days. */
export function anyTime(window: Window, random: Random): number {
  const days = Math.floor((window.asOf - window.start) / DAY);
  return window.start + random.int(0, days - 1) * DAY + random.int(7 * 60, 22 * 60) * 60_000 + random.int(0, 59) * 1000;
}

export function isoOf(at: number): string {
  return new Date(at).toISOString().replace('.000Z', '+00:00');
}

export { DAY };

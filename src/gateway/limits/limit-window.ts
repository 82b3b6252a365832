/*
 * Every limit counts in fixed windows aligned to the calendar in UTC: a second, a minute, a day
 * that starts at 00:00 UTC, a month that starts on the 1st. The window is chosen by the shared
 * clock and named in the counter's key, so a new window is a new counter: nothing has to be reset,
 * rate-limiter-flexible's own idea of time (it starts a window at a key's first call) never
 * decides where a window ends, and a test moves from one window to the next by moving its clock.
 * Aligned windows also nest (every minute ends on a second's end, every day on a minute's end, every
 * month on a day's end), so a longer limit never frees up before a shorter one it refuses with.
 */

export const LIMIT_PERIODS = ['second', 'minute', 'day', 'month'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** One window of a period: the one a given instant falls in. */
export interface LimitWindow {
  /** The window's start in ISO form, as precise as the period (`2026-12-04T21:20`, `2026-12`): part of the counter's key. */
  id: string;
  /** The window's length, seconds: 1, 60, 86400, or the month's own length. */
  seconds: number;
  /** Seconds from the instant to the window's end, rounded up: at least 1. */
  resetSeconds: number;
  /** How long the window's counter is kept, seconds: to the window's end and {@link KEEP_AFTER_WINDOW_SECONDS} more. */
  keepSeconds: number;
}

/**
 * A counter outlives its window by this long, seconds. Instances whose clocks lag a little still
 * count in the window the others have left, and a call refused just before the window's end gives
 * its point back after it; either must find the window's counter, not a fresh one (a recreated
 * counter would start from zero and admit its limit once more). A minute is far beyond the skew
 * of clocks kept by NTP and the time a refund takes; after it, Redis (or the memory store) drops the key.
 */
export const KEEP_AFTER_WINDOW_SECONDS = 60;

// How many characters of an ISO timestamp name a window of each period.
const ID_LENGTH: Readonly<Record<LimitPeriod, number>> = { second: 19, minute: 16, day: 10, month: 7 };

const lastWindows: Partial<Record<LimitPeriod, { second: number; window: Readonly<LimitWindow> }>> = {};

function bounds(period: LimitPeriod, ms: number): { start: number; end: number } {
  switch (period) {
    case 'second':
    case 'minute': {
      const length = period === 'second' ? 1000 : 60_000;
      const start = Math.floor(ms / length) * length;
      return { start, end: start + length };
    }
    case 'day': {
      const at = new Date(ms);
      const start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
      return { start, end: start + 86_400_000 };
    }
    case 'month': {
      const at = new Date(ms);
      return { start: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1), end: Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1) };
    }
  }
}

/**
 * The window of `period` that `at` falls in.
 *
 * @example
 * limitWindow('day', new Date('2026-12-04T23:59:30Z'))
 * // { id: '2026-12-04', seconds: 86400, resetSeconds: 30, keepSeconds: 90 }
 */
export function limitWindow(period: LimitPeriod, at: Date): Readonly<LimitWindow> {
  const ms = at.getTime();
  // Windows end on whole seconds, so every instant of one second has the same window and reset:
  // the calls of a second (thousands, each asking for each of its limits) share one.
  const second = Math.floor(ms / 1000);
  const last = lastWindows[period];
  if (last?.second === second) return last.window;
  const { start, end } = bounds(period, ms);
  const resetSeconds = Math.ceil((end - ms) / 1000);
  const window = Object.freeze({
    id: new Date(start).toISOString().slice(0, ID_LENGTH[period]),
    seconds: (end - start) / 1000,
    resetSeconds,
    keepSeconds: resetSeconds + KEEP_AFTER_WINDOW_SECONDS,
  });
  lastWindows[period] = { second, window };
  return window;
}

import type { SliceResult } from '../gateway/drive-load.ts';
import { sideFigures } from '../gateway/side-figures.ts';

/** One minute of paced load, and the gateway process as it stood at the end of it. */
export interface SoakMinute {
  result: SliceResult;
  /** The slice's length, ms (a minute). */
  sliceMs: number;
  rssBytes: number;
  /** The gateway's CPU over the minute, as a share of one core. */
  cpuShare: number;
  /** The load generator's own event-loop delay, p99 over the minute, ms: its stalls, which the latency includes. */
  generatorDelayP99Ms: number;
}

/**
 * What "flat" allows. A leak or a store that grows with every call shows as RSS that keeps
 * climbing and a p99 that follows it (longer collections, bigger indexes); the heap settling after
 * start-up is what the first window is there to absorb. Noise on a shared machine moves p99 by
 * tens of percent, hence the wider margin there.
 */
export const TOLERANCE = {
  /** Mean RSS of the last window over the first, minus one. */
  rssGrowth: 0.1,
  /** p99 over the last window's calls over the p99 over the first window's. */
  p99Ratio: 1.5,
};

const WINDOW_MINUTES = 5;

export interface SoakVerdict {
  /** Minutes in each window: 5, or half the run when shorter, so the windows never overlap. */
  window: number;
  minutes: number;
  rss: { first: number; last: number; growth: number };
  p99: { first: number; last: number; ratio: number };
  flat: boolean;
}

function windowFigures(minutes: SoakMinute[]) {
  return {
    rss: minutes.reduce((sum, minute) => sum + minute.rssBytes, 0) / minutes.length,
    p99: sideFigures(minutes.map((minute) => minute.result), minutes[0]!.sliceMs).p99,
  };
}

/** Compares the first window of minutes with the last; `undefined` for fewer than two minutes. */
export function judgeSoak(minutes: SoakMinute[]): SoakVerdict | undefined {
  const window = Math.min(WINDOW_MINUTES, Math.floor(minutes.length / 2));
  if (window === 0) return undefined;
  const first = windowFigures(minutes.slice(0, window));
  const last = windowFigures(minutes.slice(-window));
  const growth = last.rss / first.rss - 1;
  const ratio = last.p99 / first.p99;
  return {
    window,
    minutes: minutes.length,
    rss: { first: first.rss, last: last.rss, growth },
    p99: { first: first.p99, last: last.p99, ratio },
    flat: growth < TOLERANCE.rssGrowth && ratio < TOLERANCE.p99Ratio,
  };
}

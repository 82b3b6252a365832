/*
 * Figures as the console's traffic pages write them: counts with thousands separators, rates as
 * percentages, latency in whole milliseconds (to a tenth below 10 ms), changes with their sign.
 * "–" where there is nothing to say (no calls, nothing to compare with).
 */

const NONE = '–';

const formatCount = (value: number) => value.toLocaleString('en-GB');

function formatPercent(rate: number | null): string {
  if (rate === null) return NONE;
  const percent = rate * 100;
  if (percent > 0 && percent < 0.01) return '< 0.01 %';
  return `${percent < 0.1 ? Number(percent.toFixed(2)) : Number(percent.toFixed(1))} %`;
}

function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return NONE;
  return `${ms < 10 ? Number(ms.toFixed(1)) : Math.round(ms)} ms`;
}

/** A change in words: "+12 (+25 %)", "−0.3 ms (−4 %)", "no change"; `unit` formats the difference. */
function formatChange(change: { difference: number | null; relative: number | null }, unit: 'count' | 'rate' | 'ms'): string {
  if (change.difference === null) return NONE;
  if (change.difference === 0) return 'no change';
  const sign = change.difference > 0 ? '+' : '−';
  const size = Math.abs(change.difference);
  const text = unit === 'count' ? formatCount(size) : unit === 'rate' ? `${Number((size * 100).toFixed(2))} points` : formatMs(size);
  return change.relative === null ? `${sign}${text}` : `${sign}${text} (${sign}${Number(Math.abs(change.relative * 100).toFixed(1))} %)`;
}

/** The helpers, for a view's locals. */
export const ANALYTICS_FORMATS = { formatCount, formatPercent, formatMs, formatChange };

import { sideFigures } from '../gateway/side-figures.ts';
import { TOLERANCE, type SoakMinute, type SoakVerdict } from './soak-verdict.ts';

const MB = 1024 * 1024;
const columns = (cells: Array<string | number>, widths: number[]) => cells.map((cell, index) => String(cell).padStart(widths[index]!)).join('');
const WIDTHS = [6, 8, 8, 7, 9, 9, 9, 7, 13];

export const MINUTE_HEADER = columns(['minute', 'req/s', 'errors', 'late', 'p50 ms', 'p99 ms', 'RSS MB', 'CPU %', 'gen lag p99'], WIDTHS);

/**
 * One line per minute. `late` counts calls that went out more than 1 ms after their turn (every
 * connection busy, or the generator stalled: `gen lag p99`, ms); their latency counts from the turn.
 */
export function formatMinute(index: number, minute: SoakMinute): string {
  const figures = sideFigures([minute.result], minute.sliceMs);
  const errors = Object.values(figures.errors).reduce((sum, count) => sum + count, 0);
  return columns([index, Math.round(figures.perSecond), errors, figures.late, figures.p50.toFixed(2), figures.p99.toFixed(2), (minute.rssBytes / MB).toFixed(1), Math.round(minute.cpuShare * 100), minute.generatorDelayP99Ms.toFixed(1)], WIDTHS);
}

export function formatVerdict(verdict: SoakVerdict): string {
  const last = `${verdict.minutes - verdict.window + 1}–${verdict.minutes}`;
  return [
    `# first ${verdict.window} min (1–${verdict.window}) vs last ${verdict.window} min (${last}):`,
    `#   RSS ${(verdict.rss.first / MB).toFixed(1)} → ${(verdict.rss.last / MB).toFixed(1)} MB (mean of the minutes), growth ${(verdict.rss.growth * 100).toFixed(1)} % (tolerance < ${TOLERANCE.rssGrowth * 100} %)`,
    `#   p99 ${verdict.p99.first.toFixed(2)} → ${verdict.p99.last.toFixed(2)} ms (over each window's calls), ratio ${verdict.p99.ratio.toFixed(2)} (tolerance < ${TOLERANCE.p99Ratio})`,
    `verdict: ${verdict.flat ? 'flat' : 'NOT flat'}`,
  ].join('\n');
}

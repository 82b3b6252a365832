import type { Algorithm } from './bench-options.ts';
import { cpuShares } from './cpu-accounting.ts';
import { errorCount, type SideTotals } from './side-totals.ts';

export interface AlgorithmResult {
  alg: Algorithm;
  ours: SideTotals;
  stock: SideTotals;
}

const TARGET_RATIO = 0.8;

function cell(value: number | string | undefined, width: number, digits = 0): string {
  const text = value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? '-' : typeof value === 'number' ? value.toFixed(digits) : value;
  return text.padStart(width);
}

function quantile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

function grantsPerSecond(totals: SideTotals): number {
  return totals.grants / totals.windowSeconds;
}

/*
 * CPU time per grant, µs: CPU seconds over the measured slices divided by the grants completed in
 * them. Steadier than grants/s on a shared machine: it says what a grant costs, not how much CPU
 * the process managed to get.
 */
function microsPerGrant(seconds: number | undefined, totals: SideTotals): number | undefined {
  return seconds === undefined ? undefined : (seconds * 1e6) / totals.completed;
}

export const DETAIL_HEADER = [
  'alg'.padEnd(6), 'side'.padEnd(6), 'grants/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7),
  'server%'.padStart(9), 'postgres%'.padStart(10), 'generator%'.padStart(11), 'other%'.padStart(8), 'server µs/grant'.padStart(17), 'pg µs/grant'.padStart(13),
].join('');

/** One line per server and algorithm: throughput, latency, errors, and where the CPU went. */
export function formatDetail(alg: Algorithm, totals: SideTotals): string {
  const shares = cpuShares(totals.cpu);
  const latencies = [...totals.latencies].sort((a, b) => a - b);
  return [
    alg.padEnd(6), totals.side.padEnd(6), cell(grantsPerSecond(totals), 9, 1), cell(quantile(latencies, 0.5), 8, 1), cell(quantile(latencies, 0.99), 8, 1), cell(errorCount(totals), 7),
    cell(shares.server, 9), cell(shares.postgres, 10), cell(shares.generator, 11), cell(shares.other, 8),
    cell(microsPerGrant(totals.cpu.server, totals), 17), cell(microsPerGrant(totals.cpu.postgres, totals), 13),
    totals.signedInline ? `  (pool ran dry: ${totals.signedInline} signed inline)` : '',
  ].join('');
}

/**
 * The answer to the issue: grants/s ours, grants/s stock and their ratio, per algorithm, with the
 * spread of the ratio between neighbouring slices (a wide spread means a noisy machine).
 */
export function formatSummary(results: AlgorithmResult[]): string {
  const lines = [`${'alg'.padEnd(6)}${'grants/s ours'.padStart(14)}${'grants/s stock'.padStart(15)}${'ratio'.padStart(7)}  slice ratios p25–p75  target ≥ ${TARGET_RATIO}`];
  for (const { alg, ours, stock } of results) {
    const ratio = grantsPerSecond(ours) / grantsPerSecond(stock);
    const pairs = ours.sliceRates.map((rate, index) => rate / stock.sliceRates[index]!).filter(Number.isFinite).sort((a, b) => a - b);
    const spread = `${cell(quantile(pairs, 0.25), 4, 2)}–${cell(quantile(pairs, 0.75), 4, 2)}`;
    lines.push(`${alg.padEnd(6)}${cell(grantsPerSecond(ours), 14)}${cell(grantsPerSecond(stock), 15)}${cell(ratio, 7, 2)}  ${spread.padEnd(20)} ${ratio >= TARGET_RATIO ? 'met' : 'NOT MET'}`);
  }
  return lines.join('\n');
}

// Both ends of a long statement: the start names the table, the end tells apart statements that share it.
function abbreviate(sql: string): string {
  return sql.length > 170 ? `${sql.slice(0, 100)} … ${sql.slice(-67)}` : sql;
}

/** Statements per grant on our side, from `--count-queries`, over every algorithm. */
export function formatQueries(results: AlgorithmResult[]): string | undefined {
  const ours = results.map((result) => result.ours).filter((totals) => totals.queries);
  if (ours.length === 0) return undefined;
  const completed = ours.reduce((sum, totals) => sum + totals.completed, 0);
  const merged = new Map<string, { count: number; totalMs: number }>();
  for (const totals of ours) {
    for (const [sql, entry] of Object.entries(totals.queries!.statements)) {
      const total = merged.get(sql) ?? { count: 0, totalMs: 0 };
      total.count += entry.count;
      total.totalMs += entry.totalMs;
      merged.set(sql, total);
    }
  }
  const rows = [...merged].filter(([, total]) => total.count > 0).sort((a, b) => b[1].count - a[1].count);
  const perGrant = rows.reduce((sum, [, total]) => sum + total.count, 0) / completed;
  return [
    `SQL on our side: ${perGrant.toFixed(2)} statements per grant (${completed} grants; mean ms is knex 'query' to 'query-response', pool wait included)`,
    `${'per grant'.padStart(9)}${'mean ms'.padStart(9)}  statement`,
    ...rows.map(([sql, total]) => `${cell(total.count / completed, 9, 2)}${cell(total.totalMs / total.count, 9, 2)}  ${abbreviate(sql)}`),
  ].join('\n');
}

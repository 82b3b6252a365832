import { addCpuSpent, NO_CPU_SPENT, type CpuSpent } from './cpu-accounting.ts';
import type { SliceResult } from './drive-load.ts';
import type { QueryTally } from './server-protocol.ts';

export type Side = 'ours' | 'stock';

/** One server's measured slices for one algorithm, added up. */
export interface SideTotals {
  side: Side;
  grants: number;
  windowSeconds: number;
  /** Every 200 response of the measured slices (drains included): what CPU is divided by. */
  completed: number;
  latencies: number[];
  errors: Record<string, number>;
  errorSample: string | undefined;
  signedInline: number;
  cpu: CpuSpent;
  /** grants/s of each slice, in order. */
  sliceRates: number[];
  /** Ours with `--count-queries`: the SQL of the measured slices. */
  queries?: QueryTally;
}

export function emptyTotals(side: Side): SideTotals {
  return { side, grants: 0, windowSeconds: 0, completed: 0, latencies: [], errors: {}, errorSample: undefined, signedInline: 0, cpu: NO_CPU_SPENT, sliceRates: [] };
}

/** Adds one slice to `totals`. */
export function addSlice(totals: SideTotals, slice: SliceResult, seconds: number, cpu: CpuSpent): void {
  totals.grants += slice.grants;
  totals.windowSeconds += seconds;
  totals.completed += slice.completed;
  for (const latency of slice.latencies) totals.latencies.push(latency);
  for (const [key, count] of Object.entries(slice.errors)) totals.errors[key] = (totals.errors[key] ?? 0) + count;
  totals.errorSample ??= slice.errorSample;
  totals.signedInline += slice.signedInline;
  totals.cpu = addCpuSpent(totals.cpu, cpu);
  totals.sliceRates.push(slice.grants / seconds);
}

/** Adds an error-only slice (warm-up): its errors count, its grants and time do not. */
export function addErrors(totals: SideTotals, slice: SliceResult): void {
  for (const [key, count] of Object.entries(slice.errors)) totals.errors[key] = (totals.errors[key] ?? 0) + count;
  totals.errorSample ??= slice.errorSample;
  totals.signedInline += slice.signedInline;
}

export function errorCount(totals: SideTotals): number {
  return Object.values(totals.errors).reduce((sum, count) => sum + count, 0);
}

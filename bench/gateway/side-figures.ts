import type { SliceResult } from './drive-load.ts';

/** One side's measured slices, summed. */
export interface SideFigures {
  perSecond: number;
  p50: number;
  p99: number;
  errors: Record<string, number>;
  errorSample: string | undefined;
  late: number;
  /** Connections opened in the measured slices: 0 when every side kept its connections, as it should. */
  opened: number;
  /** Calls per second in each slice, in the order taken (for the spread of the ratios). */
  slices: number[];
  /** Microseconds of the proxy's CPU per call answered, when it was measured. */
  cpuPerCallUs: number | undefined;
}

function percentile(sorted: number[], fraction: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export function sideFigures(slices: SliceResult[], sliceMs: number, proxyCpuMs?: number): SideFigures {
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const slice of slices) for (const [key, count] of Object.entries(slice.errors)) errors[key] = (errors[key] ?? 0) + count;
  const ok = slices.reduce((sum, slice) => sum + slice.ok, 0);
  return {
    perSecond: ok / (slices.length * sliceMs / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors,
    errorSample: slices.find((slice) => slice.errorSample)?.errorSample,
    late: slices.reduce((sum, slice) => sum + slice.late, 0),
    opened: slices.reduce((sum, slice) => sum + slice.opened, 0),
    slices: slices.map((slice) => slice.ok / (sliceMs / 1000)),
    cpuPerCallUs: proxyCpuMs === undefined || ok === 0 ? undefined : (proxyCpuMs * 1000) / ok,
  };
}

/** The ratio of two sides' throughput, and its spread over neighbouring slices (a wide one means a noisy machine). */
export function ratio(over: SideFigures, under: SideFigures): { value: number; low: number; high: number } {
  const perRound = over.slices.map((value, index) => value / under.slices[index]!).filter(Number.isFinite).sort((a, b) => a - b);
  return { value: over.perSecond / under.perSecond, low: percentile(perRound, 0.1), high: percentile(perRound, 0.9) };
}

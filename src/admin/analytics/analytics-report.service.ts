import type { Knex } from 'knex';

import { usageReport, type LatencyPercentiles, type StatusClass, type UsagePoint, type UsageTotal } from '../../analytics/usage-series.service.ts';
import type { AnalyticsSelection, Period } from './analytics-selection.schema.ts';

/*
 * The figures of an analytics selection, for the console's pages, the admin API and the CSV
 * export alike: calls, errors and latency percentiles per bucket and over the whole period (the
 * percentiles from the period's merged histograms), and, when asked, the same for a second period
 * with the change from it to the first.
 */

export interface AnalyticsTotals {
  calls: number;
  byStatusClass: Record<StatusClass, number>;
  /** Calls answered 4xx or 5xx. */
  errors: number;
  /** `errors / calls`, null without calls. */
  errorRate: number | null;
  /** Calls answered 5xx over all calls, null without calls. */
  serverErrorRate: number | null;
  /** Total time per call, as the gateway measured it, in ms; null without calls. */
  latencyMs: LatencyPercentiles | null;
  requestBytes: number;
  responseBytes: number;
}

export interface AnalyticsPoint extends AnalyticsTotals {
  /** The bucket's first instant (UTC). */
  start: Date;
}

export interface PeriodFigures extends Period {
  totals: AnalyticsTotals;
  /** One per bucket, oldest first, buckets without calls included. */
  series: AnalyticsPoint[];
}

/** How a figure moved from the second period to the first: null where it cannot be said (no calls in one). */
export interface FigureChange {
  difference: number | null;
  /** `difference / before`: 0.25 is 25 % more; null when before is 0 or unknown. */
  relative: number | null;
}

const COMPARED_FIGURES = ['calls', 'errors', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms'] as const;
export type ComparedFigure = (typeof COMPARED_FIGURES)[number];

export interface AnalyticsReport extends PeriodFigures {
  bucket: AnalyticsSelection['bucket'];
  comparison: (PeriodFigures & { kind: 'previous' | 'custom'; change: Record<ComparedFigure, FigureChange> }) | null;
}

function totalsOf(usage: UsageTotal): AnalyticsTotals {
  const errors = usage.byStatusClass['4xx'] + usage.byStatusClass['5xx'];
  return {
    calls: usage.count, byStatusClass: usage.byStatusClass, errors,
    errorRate: usage.count === 0 ? null : errors / usage.count,
    serverErrorRate: usage.count === 0 ? null : usage.byStatusClass['5xx'] / usage.count,
    latencyMs: usage.totalMs ?? null, requestBytes: usage.requestBytes, responseBytes: usage.responseBytes,
  };
}

const pointOf = (point: UsagePoint): AnalyticsPoint => ({ start: point.start, ...totalsOf(point) });

/** A figure of a period's totals, by the name the comparison gives it. */
export function figureOf(totals: AnalyticsTotals, figure: ComparedFigure): number | null {
  switch (figure) {
    case 'calls': return totals.calls;
    case 'errors': return totals.errors;
    case 'errorRate': return totals.errorRate;
    case 'p50Ms': return totals.latencyMs?.p50 ?? null;
    case 'p95Ms': return totals.latencyMs?.p95 ?? null;
    case 'p99Ms': return totals.latencyMs?.p99 ?? null;
  }
}

function changeOf(after: number | null, before: number | null): FigureChange {
  if (after === null || before === null) return { difference: null, relative: null };
  return { difference: after - before, relative: before === 0 ? null : (after - before) / before };
}

async function figuresOf(db: Knex, selection: AnalyticsSelection, period: Period): Promise<PeriodFigures> {
  const { points, total } = await usageReport(db, {
    apiId: selection.apiId, routeId: selection.routeId, applicationId: selection.applicationId, statusClass: selection.statusClass,
    from: period.from, to: period.to, bucket: selection.bucket,
  });
  return { from: period.from, to: period.to, totals: totalsOf(total), series: points.map(pointOf) };
}

/**
 * The selection's figures, with the second period's when it names one (both read at once).
 * @example
 * const report = await analyticsReport(db, selection);
 * report.totals.latencyMs?.p99; report.comparison?.change.calls.relative; // 0.25: a quarter more calls
 */
export async function analyticsReport(db: Knex, selection: AnalyticsSelection): Promise<AnalyticsReport> {
  const [current, second] = await Promise.all([figuresOf(db, selection, selection), selection.compare ? figuresOf(db, selection, selection.compare) : undefined]);
  const comparison = second && selection.compare
    ? { ...second, kind: selection.compare.kind, change: Object.fromEntries(COMPARED_FIGURES.map((figure) => [figure, changeOf(figureOf(current.totals, figure), figureOf(second.totals, figure))])) as Record<ComparedFigure, FigureChange> }
    : null;
  return { ...current, bucket: selection.bucket, comparison };
}

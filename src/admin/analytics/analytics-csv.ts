import { csvText, type CsvCell } from '../../shared/csv-text.ts';
import type { AnalyticsPoint, AnalyticsReport, AnalyticsTotals, PeriodFigures } from './analytics-report.service.ts';
import { ANALYTICS_BUCKET_MS } from './analytics-selection.schema.ts';

/*
 * An analytics selection as CSV, for a spreadsheet: one row per bucket of the period, then its
 * total; then the same for the second period when one is compared. Each row names the filters it
 * was read with (API, route, application, status class: names an operator reads, "all" when none),
 * so the file means the same away from the page. Instants are ISO 8601 UTC; latency in ms.
 */

/** The selection's filters in words: "all" for a filter not set. */
export interface SelectionLabels {
  api: string;
  route: string;
  application: string;
  status: string;
}

const HEADER = [
  'period', 'row', 'start', 'end', 'api', 'route', 'application', 'status_class',
  'calls', 'status_1xx', 'status_2xx', 'status_3xx', 'status_4xx', 'status_5xx', 'errors', 'error_rate',
  'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'request_bytes', 'response_bytes',
] as const;

const rounded = (value: number | undefined, digits: number) => (value === undefined ? null : Number(value.toFixed(digits)));

function figures(totals: AnalyticsTotals): CsvCell[] {
  const { byStatusClass: s, latencyMs } = totals;
  return [
    totals.calls, s['1xx'], s['2xx'], s['3xx'], s['4xx'], s['5xx'], totals.errors, rounded(totals.errorRate ?? undefined, 6),
    rounded(latencyMs?.p50, 3), rounded(latencyMs?.p95, 3), rounded(latencyMs?.p99, 3), totals.requestBytes, totals.responseBytes,
  ];
}

function rowsOf(name: string, period: PeriodFigures, bucketMs: number, filters: readonly CsvCell[]): CsvCell[][] {
  const bucketRow = (point: AnalyticsPoint) => [name, 'bucket', point.start.toISOString(), new Date(Math.min(point.start.getTime() + bucketMs, period.to.getTime())).toISOString(), ...filters, ...figures(point)];
  return [...period.series.map(bucketRow), [name, 'total', period.from.toISOString(), period.to.toISOString(), ...filters, ...figures(period.totals)]];
}

/** The report as CSV text (RFC 4180, a header row first). */
export function analyticsCsv(report: AnalyticsReport, labels: SelectionLabels): string {
  const filters = [labels.api, labels.route, labels.application, labels.status];
  const bucketMs = ANALYTICS_BUCKET_MS[report.bucket];
  return csvText([
    HEADER,
    ...rowsOf('selected', report, bucketMs, filters),
    ...(report.comparison ? rowsOf('compared', report.comparison, bucketMs, filters) : []),
  ]);
}

import type { Context, Middleware } from 'koa';

import { selectionLabels } from '../../analytics/analytics-labels.ts';
import { loadAnalyticsChoices } from '../../analytics/analytics-lookups.store.ts';
import { analyticsReport, figureOf, type ComparedFigure } from '../../analytics/analytics-report.service.ts';
import { ANALYTICS_RANGES, readAnalyticsSelection, type AnalyticsSelection, type SelectionIssue } from '../../analytics/analytics-selection.schema.ts';
import { csvFileName, selectionCsv } from '../../analytics/analytics-export.service.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { comparisonChart, formatBucket, trafficCharts } from './analytics-charts.ts';
import { ANALYTICS_FORMATS } from './analytics-format.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * `GET /console/analytics`: the traffic of a selection (API, route, application, status class, a
 * period ending now or from–to) per minute, hour or day, with a second period compared, as charts
 * with the figures as tables; `format=csv` downloads the same selection. The query is the admin
 * API's `GET /admin/v1/analytics`, read by the same schema into the same report.
 *
 * The page's one form always sends its date fields; they count only when their choice says so
 * (Custom period, Another period), so a period chosen from the list is never refused for dates
 * left in the fields from before. Anything else wrong is a 400 page with the form and the mistakes.
 */

const FIGURE_ROWS: ReadonlyArray<{ figure: ComparedFigure; label: string; unit: 'count' | 'rate' | 'ms' }> = [
  { figure: 'calls', label: 'Calls', unit: 'count' },
  { figure: 'errors', label: 'Errors (4xx and 5xx)', unit: 'count' },
  { figure: 'errorRate', label: 'Error rate', unit: 'rate' },
  { figure: 'p50Ms', label: 'Latency p50', unit: 'ms' },
  { figure: 'p95Ms', label: 'Latency p95', unit: 'ms' },
  { figure: 'p99Ms', label: 'Latency p99', unit: 'ms' },
];

/** The query as the form sent it, without the dates its choices leave unused. */
function formQuery(query: Context['query']): Record<string, unknown> {
  const given: Record<string, unknown> = { ...query };
  const unused = (name: string) => typeof given[name] === 'string' && delete given[name];
  if (typeof given['range'] === 'string' && given['range'] !== '' && given['range'] !== 'custom') ['from', 'to'].forEach(unused);
  if (typeof given['compare'] === 'string' && given['compare'] !== 'custom') ['compareFrom', 'compareTo'].forEach(unused);
  return given;
}

const dateField = (at: Date | undefined) => (at ? at.toISOString().slice(0, 16) : '');
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** What the form shows: the selection read, or what was typed when it could not be read. */
function formValues(query: Context['query'], selection: AnalyticsSelection | undefined): Record<string, string> {
  if (!selection) return Object.fromEntries(['apiId', 'routeId', 'applicationId', 'status', 'range', 'from', 'to', 'compare', 'compareFrom', 'compareTo'].map((name) => [name, text(query[name])]));
  const custom = selection.compare?.kind === 'custom';
  return {
    apiId: selection.apiId ?? '', routeId: selection.routeId ?? '', applicationId: selection.applicationId ?? '', status: selection.statusClass ?? '',
    range: selection.range, from: selection.range === 'custom' ? dateField(selection.from) : '', to: selection.range === 'custom' ? dateField(selection.to) : '',
    compare: selection.compare?.kind ?? '', compareFrom: custom ? dateField(selection.compare!.from) : '', compareTo: custom ? dateField(selection.compare!.to) : '',
  };
}

async function renderAnalytics(ctx: Context, deps: ConsoleDependencies, selection: AnalyticsSelection | undefined, locals: Record<string, unknown>): Promise<void> {
  const choices = await loadAnalyticsChoices(deps.db);
  await renderConsolePage(ctx, deps.csrfSecret, 'analytics', {
    section: 'analytics', choices, ranges: ANALYTICS_RANGES, figureRows: FIGURE_ROWS, figureOf, formatBucket, ...ANALYTICS_FORMATS,
    values: formValues(ctx.query, selection), labels: selection ? selectionLabels(selection, choices) : undefined, selection, ...locals,
  });
}

/** `GET /console/analytics[?apiId&routeId&applicationId&status&range&from&to&compare&compareFrom&compareTo&format]` (read). */
export function showAnalytics(deps: ConsoleDependencies): Middleware {
  return async function showAnalytics(ctx) {
    const reading = readAnalyticsSelection(formQuery(ctx.query), deps.clock.now());
    if (!reading.ok) {
      ctx.status = 400;
      return renderAnalytics(ctx, deps, undefined, { errors: reading.errors satisfies SelectionIssue[], report: undefined });
    }
    const selection = reading.value;
    const report = await analyticsReport(deps.db, selection);
    if (selection.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8; header=present';
      ctx.attachment(csvFileName(selection));
      ctx.body = await selectionCsv(deps.db, selection, report);
      return;
    }
    const names = { selected: 'Selected period', compared: selection.compare?.kind === 'previous' ? 'The period before' : 'Second period' };
    const query = new URLSearchParams(Object.entries(formValues(ctx.query, selection)).filter(([, value]) => value !== ''));
    query.set('format', 'csv');
    return renderAnalytics(ctx, deps, selection, {
      errors: [], report, names, csvHref: `/console/analytics?${query}`,
      charts: trafficCharts(report.series, report.bucket),
      comparisonChart: report.comparison ? comparisonChart(report, report.comparison, report.bucket, names) : undefined,
    });
  };
}

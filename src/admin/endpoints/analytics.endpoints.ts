import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import { Problem } from '../../shared/problem.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { csvFileName, selectionCsv } from '../analytics/analytics-export.service.ts';
import { analyticsReport } from '../analytics/analytics-report.service.ts';
import { readAnalyticsSelection, type AnalyticsSelection, type SelectionIssue } from '../analytics/analytics-selection.schema.ts';
import { OVERVIEW_RANGES, trafficOverview } from '../analytics/traffic-overview.service.ts';

/*
 * `GET /admin/v1/analytics` (calls, errors and latency of a selection over time, with a second
 * period compared; JSON, or CSV by `format=csv` or `Accept: text/csv`) and `GET /admin/v1/overview`
 * (the console's overview). One endpoint per export.
 */

const invalidQuery = (errors: readonly SelectionIssue[]) => new Problem(400, 'validation-failed', 'The query parameters are not valid', { extensions: { errors } });

/** Whether the caller asked for CSV: by name, or (without `format`) preferring `text/csv` to JSON. */
function wantsCsv(ctx: Context, selection: AnalyticsSelection): boolean {
  return selection.format === 'csv' || (selection.format === undefined && ctx.accepts('application/json', 'text/csv') === 'text/csv');
}

export function analyticsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleAnalytics(ctx) {
    const reading = readAnalyticsSelection(ctx.query, deps.catalogue.clock.now());
    if (!reading.ok) throw invalidQuery(reading.errors);
    const selection = reading.value;
    const report = await analyticsReport(deps.catalogue.db, selection);
    ctx.vary('Accept');
    if (wantsCsv(ctx, selection)) {
      ctx.type = 'text/csv; charset=utf-8; header=present';
      ctx.attachment(csvFileName(selection));
      ctx.body = await selectionCsv(deps.catalogue.db, selection, report);
      return;
    }
    const filters = { apiId: selection.apiId ?? null, routeId: selection.routeId ?? null, applicationId: selection.applicationId ?? null, status: selection.statusClass ?? null };
    ctx.body = { range: selection.range, filters, ...report };
  }];
}

const overviewQuery = z.strictObject({ range: z.enum(OVERVIEW_RANGES, `must be one of ${OVERVIEW_RANGES.join(', ')}`).default('day') });

export function overviewEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleOverview(ctx) {
    const parsed = overviewQuery.safeParse(ctx.query);
    if (!parsed.success) throw invalidQuery(parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'query', message: issue.message })));
    ctx.body = await trafficOverview({ db: deps.catalogue.db, clock: deps.catalogue.clock, ...(deps.breakers ? { breakers: deps.breakers } : {}) }, parsed.data.range);
  }];
}

import type { Middleware } from 'koa';

import type { AppPagesDependencies } from '../apps/app-pages.deps.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { appUsage, isUsagePeriod, USAGE_PERIODS } from './app-usage.service.ts';
import { callsChart, errorsChart, latencyChart } from './usage-charts.ts';

/** `GET /apps/{id}/usage[?period=7d|30d]`: charts of the application's calls, with the figures as a table. */
export function showUsage(deps: AppPagesDependencies): Middleware {
  return async function showUsage(ctx) {
    const requested = ctx.query['period'];
    const period = isUsagePeriod(requested) ? requested : '7d';
    const usage = await appUsage(deps, ctx.state.developer!, ctx.params['applicationId']!, period);
    await renderPortalPage(ctx, 'portal/apps/usage', {
      section: 'account', ...usage, period, periods: Object.keys(USAGE_PERIODS),
      charts: { calls: callsChart(usage.days), errors: errorsChart(usage.days), latency: latencyChart(usage.days) },
    });
  };
}

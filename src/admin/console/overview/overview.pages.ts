import type { Middleware } from 'koa';

import { isOverviewRange, trafficOverview } from '../../analytics/traffic-overview.service.ts';
import { mayDo, OPERATOR_ROLE_RIGHTS } from '../../operators/operator-role.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { formatBucket, trafficCharts } from '../analytics/analytics-charts.ts';
import { ANALYTICS_FORMATS } from '../analytics/analytics-format.ts';
import { loadConsoleOverview } from './overview.store.ts';
import { renderConsolePage } from '../render-console-page.ts';

/** The overview's range switch: its links, in order. */
const RANGE_LINKS = [{ range: 'hour', label: 'Last hour' }, { range: 'day', label: 'Last 24 hours' }, { range: '30d', label: 'Last 30 days' }] as const;

/**
 * `GET /console[?range=hour|day|30d]`: the overview. Who is signed in and with which role, the
 * traffic of the range (calls, errors, latency, the busiest APIs and applications, as charts with
 * the figures as a table), active consents, the breakers this process knows open, the programme's
 * figures today, and the sections the role may open. The same figures as `GET /admin/v1/overview`.
 */
export function showConsoleHome(deps: ConsoleDependencies): Middleware {
  return async function showConsoleHome(ctx) {
    const requested = ctx.query['range'] ?? 'day';
    if (!isOverviewRange(requested)) return ctx.throw(400, 'The range must be the last hour, 24 hours or 30 days (range=hour, day or 30d).');
    const operator = ctx.state.operator!;
    const operate = mayDo(operator.role, 'operate');
    const sections = [
      { href: '/console/apis', title: 'APIs', summary: operate ? 'Every version: create, import an OpenAPI document, publish, deprecate, retire; who still calls a deprecated one' : 'Every version, its lifecycle, and who still calls a deprecated one' },
      { href: '/console/plans', title: 'Plans', summary: 'Tiers with rate limits, quotas and prices, and their subscribers' },
      { href: '/console/plan-requests', title: 'Plan requests', summary: operate ? 'Subscriptions developers asked for, to approve or refuse' : 'Subscriptions developers asked for, waiting for an operator' },
      { href: '/console/organisations', title: 'Organisations', summary: 'Organisations and their applications: members, keys, usage, suspension' },
      { href: '/console/open-banking', title: 'Open Banking', summary: 'Registered partners, their certificates, and customers\' consents with their history' },
      { href: '/console/analytics', title: 'Analytics', summary: 'Calls, errors and latency by API, route, application and status; two periods compared; CSV export' },
      { href: '/console/audit', title: 'Audit', summary: 'The hash-chained audit log: search it, verify the chain, export it for an auditor' },
      { href: '/console/billing', title: 'Billing', summary: 'Usage per application, plan and month, priced by the plan; CSV export; the payment provider' },
      ...(mayDo(operator.role, 'administer') ? [{ href: '/console/operators', title: 'Operators', summary: 'Who may use the console, and with which role' }] : []),
    ];
    const [overview, traffic] = await Promise.all([
      loadConsoleOverview(deps.db),
      trafficOverview({ db: deps.db, clock: deps.clock, ...(deps.breakers ? { breakers: deps.breakers } : {}) }, requested),
    ]);
    await renderConsolePage(ctx, deps.csrfSecret, 'home', {
      section: 'home', overview, sections, roleSummary: OPERATOR_ROLE_RIGHTS[operator.role].summary,
      traffic, charts: trafficCharts(traffic.series, traffic.bucket), rangeLinks: RANGE_LINKS, formatBucket, ...ANALYTICS_FORMATS,
    });
  };
}

import type { Knex } from 'knex';

import type { BreakerState } from '../../analytics/gateway-metrics.ts';
import { topUsage, type UsageTotal } from '../../analytics/top-usage.service.ts';
import type { Clock } from '../../shared/clock.ts';
import { apiLabel, applicationLabel } from './analytics-labels.ts';
import { countActiveConsents, loadAnalyticsChoices } from './analytics-lookups.store.ts';
import { analyticsReport, type AnalyticsReport } from './analytics-report.service.ts';
import { readAnalyticsSelection } from './analytics-selection.schema.ts';

/*
 * The programme's traffic at a glance, for the console's overview and `GET /admin/v1/overview`:
 * calls, errors and latency over the last hour, day or 30 days, the busiest APIs and
 * applications, the consents partners may use, and the upstreams whose circuit breaker is not
 * closed.
 *
 * Breakers live in each gateway process (DESIGN.md: every process is stateless but for its pools
 * and breakers), so what is shown is this process's view: when the console runs beside a gateway,
 * the breakers that gateway opened; on its own, none known. The cluster-wide picture is each
 * instance's `portcullis_gateway_upstream_breaker_state` series in Prometheus.
 */

export const OVERVIEW_RANGES = ['hour', 'day', '30d'] as const;
export type OverviewRange = (typeof OVERVIEW_RANGES)[number];

export const isOverviewRange = (value: unknown): value is OverviewRange => typeof value === 'string' && (OVERVIEW_RANGES as readonly string[]).includes(value);

/** How many APIs and applications the overview lists. */
const TOP = 5;

export interface TopEntry extends UsageTotal {
  /** The API's name and version, the application's name and organisation; the id when the catalogue no longer holds it. */
  name: string;
}

export interface BreakerView {
  /** Whether this process runs the gateway role; without it, no breaker is known here. */
  gatewayInThisProcess: boolean;
  /** Upstreams (their URL as configured) whose breaker is open or half-open, as this process saw it last. */
  notClosed: Array<{ upstream: string; state: Exclude<BreakerState, 'closed'> }>;
}

export interface TrafficOverview extends AnalyticsReport {
  range: OverviewRange;
  topApis: TopEntry[];
  topApplications: TopEntry[];
  activeConsents: number;
  breakers: BreakerView;
}

export interface TrafficOverviewDeps {
  db: Knex;
  clock: Clock;
  /** The breakers of the gateway this process runs; absent when it runs none. */
  breakers?: () => ReadonlyMap<string, BreakerState>;
}

// An upstream URL as configured may carry credentials; the page shows where it points only.
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

function breakerView(breakers: TrafficOverviewDeps['breakers']): BreakerView {
  if (!breakers) return { gatewayInThisProcess: false, notClosed: [] };
  const notClosed = [...breakers()].flatMap(([upstream, state]) => (state === 'closed' ? [] : [{ upstream: withoutCredentials(upstream), state }]));
  return { gatewayInThisProcess: true, notClosed: notClosed.sort((a, b) => a.upstream.localeCompare(b.upstream)) };
}

/** The overview of `range`, ending now. */
export async function trafficOverview(deps: TrafficOverviewDeps, range: OverviewRange): Promise<TrafficOverview> {
  const reading = readAnalyticsSelection({ range }, deps.clock.now());
  if (!reading.ok) throw new RangeError(`not an overview range: ${range}`);
  const selection = reading.value;
  const [report, top, activeConsents] = await Promise.all([
    analyticsReport(deps.db, selection),
    topUsage(deps.db, { from: selection.from, to: selection.to, limit: TOP }),
    countActiveConsents(deps.db, deps.clock.now()),
  ]);
  const choices = await loadAnalyticsChoices(deps.db, { apiIds: top.apis.map((entry) => entry.id), routeIds: [], applicationIds: top.applications.map((entry) => entry.id) });
  return {
    ...report, range, activeConsents, breakers: breakerView(deps.breakers),
    topApis: top.apis.map((entry) => ({ ...entry, name: apiLabel(choices, entry.id) })),
    topApplications: top.applications.map((entry) => ({ ...entry, name: applicationLabel(choices, entry.id) })),
  };
}

import { usageSeries, type UsagePoint } from '../../analytics/usage-series.service.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import type { GatewayPlan } from '../../gateway/catalogue/catalogue.types.ts';
import type { ApplicationRow } from '../../gateway/consumers/consumer.store.ts';
import { viewApp } from '../apps/portal-apps.service.ts';
import type { Membership } from '../organisations/membership.store.ts';
import type { SignedInDeveloper } from '../session/portal-sessions.ts';

/*
 * An application's usage as its developers see it: its calls per UTC day from the analytics
 * rollups (counts by status class, latency percentiles), and how much of each active plan's daily
 * and monthly quota the calls so far have used. The console shows an application's usage to
 * operators through `applicationUsage`, with the same charts (`usage-charts.ts`).
 */

export const USAGE_PERIODS = { '7d': 7, '30d': 30 } as const;
export type UsagePeriod = keyof typeof USAGE_PERIODS;

export const isUsagePeriod = (value: unknown): value is UsagePeriod => typeof value === 'string' && Object.hasOwn(USAGE_PERIODS, value);

export interface QuotaUse {
  plan: string;
  period: 'day' | 'month';
  quota: number;
  /** Calls the rollups counted in the current UTC day or month, those the gateway refused included. */
  calls: number;
}

export interface AppUsage {
  application: ApplicationRow;
  membership: Membership;
  /** One per UTC day, oldest first, today (so far) last. */
  days: UsagePoint[];
  quotas: QuotaUse[];
}

const DAY_MS = 86_400_000;

function quotasOf(plans: readonly GatewayPlan[], today: number, month: number): QuotaUse[] {
  return plans.flatMap((plan) => [
    ...(plan.quotaPerDay !== null ? [{ plan: plan.name, period: 'day' as const, quota: plan.quotaPerDay, calls: today }] : []),
    ...(plan.quotaPerMonth !== null ? [{ plan: plan.name, period: 'month' as const, quota: plan.quotaPerMonth, calls: month }] : []),
  ]);
}

/** An application's days and quotas, whoever asks (its developers here, operators in the console): `activePlans` are the plans it holds an active subscription to. */
export async function applicationUsage(deps: Pick<ServiceContext, 'db' | 'clock'>, applicationId: string, period: UsagePeriod, activePlans: readonly GatewayPlan[]): Promise<Pick<AppUsage, 'days' | 'quotas'>> {
  const now = deps.clock.now();
  const startOfToday = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const startOfMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const from = new Date(Math.min(startOfToday - (USAGE_PERIODS[period] - 1) * DAY_MS, startOfMonth));
  const points = await usageSeries(deps.db, { applicationId, from, to: new Date(startOfToday + DAY_MS), bucket: 'day' });
  const month = points.filter((point) => point.start.getTime() >= startOfMonth).reduce((sum, point) => sum + point.count, 0);
  return { days: points.slice(-USAGE_PERIODS[period]), quotas: quotasOf(activePlans, points.at(-1)?.count ?? 0, month) };
}

export async function appUsage(deps: ServiceContext, developer: SignedInDeveloper, applicationId: string, period: UsagePeriod): Promise<AppUsage> {
  const view = await viewApp(deps, developer, applicationId);
  const activePlans = view.subscriptions.filter((subscription) => subscription.status === 'active' && subscription.plan).map((subscription) => subscription.plan!);
  return { application: view.application, membership: view.membership, ...(await applicationUsage(deps, applicationId, period, activePlans)) };
}

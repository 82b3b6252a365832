import type { GatewayPlan, RoutePolicy } from '../catalogue/catalogue.types.ts';
import type { LimitPeriod } from './limit-window.ts';

/*
 * Which limits a call is held to: its application's plan (rates per second and minute, quotas per
 * day and month) and its route's own rates, each a policy of its own with its own counter. A null
 * on the plan, or a rate the route does not set, means no such limit.
 */

/** One limit a call must be within. */
export interface LimitPolicy {
  /** How the RateLimit fields name it; unique among one call's policies. */
  name: string;
  /** A rate refuses for a moment (a second, a minute); a quota for the rest of a day or month. */
  kind: 'rate' | 'quota';
  period: LimitPeriod;
  /** Calls allowed in one window. */
  quota: number;
  /** Names its counter among the application's under one plan. */
  counter: string;
}

type PlanLimits = Pick<GatewayPlan, 'ratePerSecond' | 'ratePerMinute' | 'quotaPerDay' | 'quotaPerMonth'>;

interface Remembered {
  inputs: readonly unknown[];
  policies: readonly LimitPolicy[];
}

// Every call asks for its plan's and route's limits; the catalogue hands the same plan object to
// every call until it changes. The last answer per plan object and route is kept with the values
// it came from, and used only while they are the same.
const remembered = new WeakMap<object, Map<string, Remembered>>();

function inputsOf(plan: PlanLimits, routeLimits: RoutePolicy['limits']): readonly unknown[] {
  return [plan.ratePerSecond, plan.ratePerMinute, plan.quotaPerDay, plan.quotaPerMonth, routeLimits?.perSecond, routeLimits?.perMinute];
}

function sameInputs(remembered: Remembered, plan: PlanLimits, routeLimits: RoutePolicy['limits']): boolean {
  const [ratePerSecond, ratePerMinute, quotaPerDay, quotaPerMonth, perSecond, perMinute] = remembered.inputs;
  return ratePerSecond === plan.ratePerSecond && ratePerMinute === plan.ratePerMinute && quotaPerDay === plan.quotaPerDay && quotaPerMonth === plan.quotaPerMonth
    && perSecond === routeLimits?.perSecond && perMinute === routeLimits?.perMinute;
}

/**
 * The limits the plan and the route set, plan first, shortest period first. Throws a `RangeError`
 * for a limit that is not a whole number of calls, 0 or more (0 refuses every call).
 */
export function applicableLimits(plan: PlanLimits, routeId: string, routeLimits?: RoutePolicy['limits']): readonly LimitPolicy[] {
  let byRoute = remembered.get(plan);
  const known = byRoute?.get(routeId);
  if (known && sameInputs(known, plan, routeLimits)) return known.policies;
  const policies = Object.freeze(policiesOf(plan, routeId, routeLimits));
  if (!byRoute) remembered.set(plan, (byRoute = new Map()));
  byRoute.set(routeId, { inputs: inputsOf(plan, routeLimits), policies });
  return policies;
}

function policiesOf(plan: PlanLimits, routeId: string, routeLimits?: RoutePolicy['limits']): LimitPolicy[] {
  const candidates: Array<Omit<LimitPolicy, 'quota'> & { quota: number | null | undefined }> = [
    { name: 'per-second', kind: 'rate', period: 'second', quota: plan.ratePerSecond, counter: 'per-second' },
    { name: 'per-minute', kind: 'rate', period: 'minute', quota: plan.ratePerMinute, counter: 'per-minute' },
    { name: 'per-day', kind: 'quota', period: 'day', quota: plan.quotaPerDay, counter: 'per-day' },
    { name: 'per-month', kind: 'quota', period: 'month', quota: plan.quotaPerMonth, counter: 'per-month' },
    { name: 'route-per-second', kind: 'rate', period: 'second', quota: routeLimits?.perSecond, counter: `route:${routeId}:per-second` },
    { name: 'route-per-minute', kind: 'rate', period: 'minute', quota: routeLimits?.perMinute, counter: `route:${routeId}:per-minute` },
  ];
  const policies = candidates.filter((candidate): candidate is LimitPolicy => candidate.quota !== null && candidate.quota !== undefined);
  for (const policy of policies) {
    if (!Number.isSafeInteger(policy.quota) || policy.quota < 0) throw new RangeError(`limit ${policy.name} must be a whole number of calls, 0 or more (got ${policy.quota})`);
  }
  return policies;
}

import { randomInt, randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { addRollups } from '../../src/analytics/rollup.store.ts';

/*
 * Billing's test data: an organisation with an application subscribed to a priced plan, and calls
 * counted in the rollups as the gateway would have. On PostgreSQL every test file, and every run,
 * shares the store, and a run bills every application subscribed in its month: so each test run
 * takes a random past month of its own, and its subscriptions are ones cancelled after it (billed
 * by their calls in it, and in no later month) unless a test needs one active since. Active ones
 * are kept to 2018 and later, after every month the other files pick.
 */

/** A random month `YYYY-MM` between `from` and `to` (years), that no other test run is likely to have used. */
export function testBillingMonth(from = 1990, to = 2017): string {
  return `${from + randomInt(to - from + 1)}-${String(1 + randomInt(12)).padStart(2, '0')}`;
}

/** An instant `days` days (and an hour) into the month. */
export const inMonth = (month: string, days = 0) => new Date(Date.parse(`${month}-01T01:00:00Z`) + days * 86_400_000);

export interface BilledApplication {
  organisationId: string;
  organisationName: string;
  applicationId: string;
  applicationName: string;
}

/** A priced plan (monthly, GBP unless said) over a new API of its own. */
export async function addPricedPlan(db: Knex, fields: { priceMinorUnits: number | null; currency?: string; quotaPerMonth?: number; name?: string }): Promise<{ planId: string; planName: string; apiId: string }> {
  const apiId = `api-${randomUUID()}`;
  await db('gateway_apis').insert({ id: apiId, name: `billed-${randomUUID().slice(0, 8)}`, version: 'v1', base_path: `/billed-${randomUUID().slice(0, 8)}/v1`, auth_kind: 'api-key', lifecycle: 'published', upstreams: JSON.stringify([]), settings: JSON.stringify({}) });
  const planId = `plan-${randomUUID()}`;
  const planName = fields.name ?? `plan-${randomUUID().slice(0, 6)}`;
  await db('gateway_plans').insert({
    id: planId, name: planName, self_service: true, quota_per_month: fields.quotaPerMonth ?? null,
    price_minor_units: fields.priceMinorUnits, currency: fields.priceMinorUnits === null ? null : (fields.currency ?? 'GBP'),
  });
  await db('gateway_plan_apis').insert({ plan_id: planId, api_id: apiId });
  return { planId, planName, apiId };
}

/** An organisation and its application, subscribed to `planId` when given: active since `since`, or cancelled at `since`. */
export async function addBilledApplication(db: Knex, name: string, subscription?: { planId: string; since: Date; status?: 'active' | 'cancelled' }): Promise<BilledApplication> {
  const organisationId = `org-${randomUUID()}`;
  const applicationId = `app-${randomUUID()}`;
  const organisationName = `${name} Ltd`;
  await db('organisations').insert({ id: organisationId, name: organisationName });
  await db('applications').insert({ id: applicationId, organisation_id: organisationId, name });
  if (subscription) await subscribeSince(db, applicationId, subscription.planId, subscription.since, subscription.status);
  return { organisationId, organisationName, applicationId, applicationName: name };
}

/** A subscription whose latest change (to `status`, active by default) was at `since`. */
export async function subscribeSince(db: Knex, applicationId: string, planId: string, since: Date, status: 'active' | 'cancelled' = 'active'): Promise<void> {
  await db('subscriptions').insert({ id: `sub-${randomUUID()}`, application_id: applicationId, plan_id: planId, status, created_at: since, status_updated_at: since });
}

/** `count` calls answered `status` at `minute`, counted under the plan for its API, as the gateway's rollups hold them. */
export async function addCalls(db: Knex, call: { minute: Date; applicationId: string; planId: string; apiId: string; status?: number; count: number }): Promise<void> {
  const minute = new Date(Math.floor(call.minute.getTime() / 60_000) * 60_000);
  await addRollups(db, [{
    minute, api_id: call.apiId, route_id: '', application_id: call.applicationId, plan_id: call.planId, status: call.status ?? 200, api_name: 'billed', api_version: 'v1',
    route_method: null, route_template: null, count: call.count, request_bytes: 0, response_bytes: 0, total_ms: {}, upstream_ms: {}, gateway_ms: {},
  }]);
}

import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import type { EventBus } from '../../src/events/event-bus.ts';
import type { ApiSettings, AuthKind, Lifecycle, RoutePolicy } from '../../src/gateway/catalogue/catalogue.types.ts';

/*
 * Catalogue rows for gateway tests, written straight to the tables (the admin API's own tests
 * cover its service); each announces itself on the bus as the service would, so the running
 * gateway reloads.
 */

export interface TestApi {
  name?: string;
  version?: string;
  basePath: string;
  authKind: AuthKind;
  lifecycle?: Lifecycle;
  upstreams: Array<{ url: string; weight: number }>;
  routes: Array<{ method: string; path: string; policy?: RoutePolicy }>;
  settings?: ApiSettings;
  sunsetAt?: Date;
  deprecatedAt?: Date;
  successorApiId?: string;
}

export async function addTestApi(db: Knex, events: EventBus, api: TestApi): Promise<{ id: string; routeIds: string[] }> {
  const id = `api-${randomUUID()}`;
  await db('gateway_apis').insert({
    id, name: api.name ?? `test-${randomUUID()}`, version: api.version ?? 'v1', base_path: api.basePath, auth_kind: api.authKind, lifecycle: api.lifecycle ?? 'published',
    upstreams: JSON.stringify(api.upstreams), settings: JSON.stringify(api.settings ?? {}), sunset_at: api.sunsetAt ?? null, deprecated_at: api.deprecatedAt ?? null,
    successor_api_id: api.successorApiId ?? null,
  });
  const routeIds = api.routes.map(() => `route-${randomUUID()}`);
  if (api.routes.length) {
    await db('gateway_routes').insert(api.routes.map((route, index) => ({ id: routeIds[index], api_id: id, method: route.method, path_template: route.path, policy: JSON.stringify(route.policy ?? {}) })));
  }
  events.emit('api.changed', { apiId: id, change: 'created', actor: 'ops' });
  return { id, routeIds };
}

export async function setTestApiLifecycle(db: Knex, events: EventBus, apiId: string, lifecycle: Lifecycle): Promise<void> {
  await db('gateway_apis').where({ id: apiId }).update({ lifecycle });
  events.emit('api.changed', { apiId, change: 'updated', actor: 'ops' });
}

export async function addTestPlan(db: Knex, events: EventBus, plan: { apiIds: string[]; name?: string; ratePerSecond?: number; ratePerMinute?: number; quotaPerDay?: number; quotaPerMonth?: number; selfService?: boolean; priceMinorUnits?: number }): Promise<string> {
  const id = `plan-${randomUUID()}`;
  await db('gateway_plans').insert({
    id, name: plan.name ?? `plan-${randomUUID()}`, rate_per_second: plan.ratePerSecond ?? null, rate_per_minute: plan.ratePerMinute ?? null,
    quota_per_day: plan.quotaPerDay ?? null, quota_per_month: plan.quotaPerMonth ?? null, self_service: plan.selfService ?? true,
    ...(plan.priceMinorUnits ? { price_minor_units: plan.priceMinorUnits, currency: 'GBP' } : {}),
  });
  if (plan.apiIds.length) await db('gateway_plan_apis').insert(plan.apiIds.map((apiId) => ({ plan_id: id, api_id: apiId })));
  events.emit('plan.changed', { planId: id, change: 'created', actor: 'ops' });
  return id;
}

export async function subscribeTestApplication(db: Knex, events: EventBus, applicationId: string, planId: string): Promise<void> {
  const id = `sub-${randomUUID()}`;
  await db('subscriptions').insert({ id, application_id: applicationId, plan_id: planId, status: 'active' });
  events.emit('subscription.status_changed', { subscriptionId: id, applicationId, planId, status: 'active', actor: 'ops' });
}

/**
 * A base path for an Open Banking API of one test file's own, `/open-banking/v3.1/aisp-1a2b3c4d`:
 * base paths are unique in the catalogue, and on PostgreSQL every test file shares one, side by
 * side. The resource paths under it are the Read/Write API's, as the gateway reads them relative to
 * the base path.
 */
export function ownObBasePath(api: 'aisp' | 'pisp' | 'cbpii', version = 'v3.1'): string {
  return `/open-banking/${version}/${api}-${randomUUID().slice(0, 8)}`;
}

import type { Knex } from 'knex';

import type { CatalogueSnapshot, GatewayApi, GatewayPlan, GatewayRoute } from './catalogue.types.ts';

/* The catalogue's reads the gateway routes by. (Interim: the admin API's store replaces this file.) */

export async function loadCatalogue(db: Knex): Promise<CatalogueSnapshot> {
  const [apis, routes, plans, planApis] = await Promise.all([
    db('gateway_apis').select('*'),
    db('gateway_routes').select('*').orderBy('path_template'),
    db('gateway_plans').select('*'),
    db('gateway_plan_apis').select('*'),
  ]);
  const routesByApi = new Map<string, GatewayRoute[]>();
  for (const row of routes) {
    const route: GatewayRoute = { id: row.id, apiId: row.api_id, method: row.method, pathTemplate: row.path_template, policy: row.policy ?? {} };
    routesByApi.set(row.api_id, [...(routesByApi.get(row.api_id) ?? []), route]);
  }
  return {
    apis: apis.map((row): GatewayApi => ({
      id: row.id, name: row.name, version: row.version, basePath: row.base_path, authKind: row.auth_kind, lifecycle: row.lifecycle,
      upstreams: row.upstreams, openapi: row.openapi ?? null, sunsetAt: row.sunset_at ?? null, deprecatedAt: row.deprecated_at ?? null,
      successorApiId: row.successor_api_id ?? null, settings: row.settings ?? {}, routes: routesByApi.get(row.id) ?? [],
    })),
    plans: plans.map((row): GatewayPlan => ({
      id: row.id, name: row.name, ratePerSecond: row.rate_per_second, ratePerMinute: row.rate_per_minute,
      quotaPerDay: row.quota_per_day === null ? null : Number(row.quota_per_day), quotaPerMonth: row.quota_per_month === null ? null : Number(row.quota_per_month),
      selfService: row.self_service, priceMinorUnits: row.price_minor_units === null ? null : Number(row.price_minor_units), currency: row.currency,
      apiIds: planApis.filter((link) => link.plan_id === row.id).map((link) => link.api_id),
    })),
  };
}

export async function findActiveSubscriptionPlanIds(db: Knex, applicationId: string): Promise<string[]> {
  const rows = await db('subscriptions').select('plan_id').where({ application_id: applicationId, status: 'active' });
  return rows.map((row) => row.plan_id);
}

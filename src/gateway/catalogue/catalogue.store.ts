import type { Knex } from 'knex';

import type { PageRequest } from '../page.ts';
import type { ApiSettings, AuthKind, GatewayApi, GatewayPlan, GatewayRoute, HttpMethod, Lifecycle, RoutePolicy, Upstream } from './catalogue.types.ts';

/*
 * APIs with their routes, and plans with the APIs they cover, as rows. Only this file writes their
 * SQL (subscriptions have `subscription.store.ts`). An API is always read with its routes, in one
 * query (a JSON aggregate), ordered by path template then method so every reader sees one order.
 */

interface ApiRow {
  id: string;
  name: string;
  version: string;
  base_path: string;
  auth_kind: AuthKind;
  lifecycle: Lifecycle;
  upstreams: Upstream[];
  openapi: Record<string, unknown> | null;
  sunset_at: Date | null;
  deprecated_at: Date | null;
  successor_api_id: string | null;
  settings: ApiSettings;
  routes: Array<{ id: string; method: HttpMethod; path_template: string; policy: RoutePolicy }>;
}

interface PlanRow {
  id: string;
  name: string;
  rate_per_second: number | null;
  rate_per_minute: number | null;
  // bigint: PostgreSQL sends these as text.
  quota_per_day: string | number | null;
  quota_per_month: string | number | null;
  self_service: boolean;
  price_minor_units: string | number | null;
  currency: string | null;
  api_ids: string[];
}

/** An API's own columns, as the service writes them. */
export type ApiFields = Omit<GatewayApi, 'id' | 'routes' | 'lifecycle' | 'sunsetAt' | 'deprecatedAt' | 'successorApiId'>;

const ROUTES_JSON = `coalesce((select json_agg(json_build_object('id', r.id, 'method', r.method, 'path_template', r.path_template, 'policy', r.policy) order by r.path_template, r.method)
  from gateway_routes r where r.api_id = gateway_apis.id), '[]'::json) as routes`;
const API_IDS_JSON = `coalesce((select json_agg(pa.api_id order by pa.api_id) from gateway_plan_apis pa where pa.plan_id = gateway_plans.id), '[]'::json) as api_ids`;

const nullableNumber = (value: string | number | null) => (value === null ? null : Number(value));

function toApi(row: ApiRow): GatewayApi {
  return {
    id: row.id, name: row.name, version: row.version, basePath: row.base_path, authKind: row.auth_kind, lifecycle: row.lifecycle,
    upstreams: row.upstreams, openapi: row.openapi, sunsetAt: row.sunset_at === null ? null : new Date(row.sunset_at),
    deprecatedAt: row.deprecated_at === null ? null : new Date(row.deprecated_at), successorApiId: row.successor_api_id, settings: row.settings,
    routes: row.routes.map((route) => ({ id: route.id, apiId: row.id, method: route.method, pathTemplate: route.path_template, policy: route.policy })),
  };
}

function toPlan(row: PlanRow): GatewayPlan {
  return {
    id: row.id, name: row.name, ratePerSecond: row.rate_per_second, ratePerMinute: row.rate_per_minute,
    quotaPerDay: nullableNumber(row.quota_per_day), quotaPerMonth: nullableNumber(row.quota_per_month), selfService: row.self_service,
    priceMinorUnits: nullableNumber(row.price_minor_units), currency: row.currency, apiIds: row.api_ids,
  };
}

// jsonb columns are written as JSON text: the driver would turn a bare array into a PostgreSQL array.
function apiColumns(fields: ApiFields) {
  return {
    name: fields.name, version: fields.version, base_path: fields.basePath, auth_kind: fields.authKind,
    upstreams: JSON.stringify(fields.upstreams), openapi: fields.openapi === null ? null : JSON.stringify(fields.openapi), settings: JSON.stringify(fields.settings),
  };
}

/** Every API with its routes, by base path. */
export async function selectAllApis(db: Knex): Promise<GatewayApi[]> {
  const rows: ApiRow[] = await db('gateway_apis').select('gateway_apis.*', db.raw(ROUTES_JSON)).orderBy('base_path');
  return rows.map(toApi);
}

/** A page of APIs with their routes, by id; `limit + 1` rows so the caller can tell there is more. */
export async function selectApiPage(db: Knex, page: PageRequest): Promise<GatewayApi[]> {
  const query = db('gateway_apis').select('gateway_apis.*', db.raw(ROUTES_JSON)).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query.where('id', '>', page.after);
  return (await query as ApiRow[]).map(toApi);
}

/** The API with its routes; `lock` holds its row until the transaction ends (a lifecycle move reads, decides, writes). */
export async function selectApi(db: Knex, id: string, options: { lock?: boolean } = {}): Promise<GatewayApi | undefined> {
  const query = db('gateway_apis').first('gateway_apis.*', db.raw(ROUTES_JSON)).where({ id });
  if (options.lock) query.forUpdate();
  const row: ApiRow | undefined = await query;
  return row && toApi(row);
}

/** Every API's id and base path except `exceptId`'s, to keep base paths from nesting. */
export async function selectOtherBasePaths(db: Knex, exceptId: string): Promise<Array<{ id: string; basePath: string }>> {
  const rows: Array<{ id: string; base_path: string }> = await db('gateway_apis').select('id', 'base_path').whereNot({ id: exceptId });
  return rows.map((row) => ({ id: row.id, basePath: row.base_path }));
}

export async function insertApi(db: Knex, id: string, fields: ApiFields): Promise<void> {
  await db('gateway_apis').insert({ id, ...apiColumns(fields), lifecycle: 'draft' });
}

/** Replaces an API's own columns; false when there is no such API. */
export async function updateApi(db: Knex, id: string, fields: ApiFields): Promise<boolean> {
  return (await db('gateway_apis').where({ id }).update({ ...apiColumns(fields), updated_at: db.fn.now() })) > 0;
}

export async function updateApiLifecycle(db: Knex, id: string, state: { lifecycle: Lifecycle; sunsetAt: Date | null; successorApiId: string | null; deprecatedAt: Date | null }): Promise<void> {
  await db('gateway_apis').where({ id }).update({ lifecycle: state.lifecycle, sunset_at: state.sunsetAt, deprecated_at: state.deprecatedAt, successor_api_id: state.successorApiId, updated_at: db.fn.now() });
}

/** Deletes an API (its routes and plan memberships go with it); false when there is none. */
export async function deleteApi(db: Knex, id: string): Promise<boolean> {
  return (await db('gateway_apis').where({ id }).delete()) > 0;
}

/**
 * Makes an API's routes exactly `routes`: routes not among them are deleted, those whose id is
 * kept get their policy replaced, new ones are inserted. Deleting first frees their method and
 * template for a new route.
 */
export async function replaceRoutes(db: Knex, apiId: string, routes: readonly GatewayRoute[]): Promise<void> {
  await db('gateway_routes').where({ api_id: apiId }).whereNotIn('id', routes.map((route) => route.id)).delete();
  if (routes.length === 0) return;
  await db('gateway_routes')
    .insert(routes.map((route) => ({ id: route.id, api_id: apiId, method: route.method, path_template: route.pathTemplate, policy: JSON.stringify(route.policy) })))
    .onConflict('id').merge(['policy']);
}

/** The ids among `ids` that name no API. */
export async function selectMissingApiIds(db: Knex, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = new Set((await db('gateway_apis').select('id').whereIn('id', ids)).map((row: { id: string }) => row.id));
  return ids.filter((id) => !found.has(id));
}

/** Every plan with the APIs it covers, by name. */
export async function selectAllPlans(db: Knex): Promise<GatewayPlan[]> {
  const rows: PlanRow[] = await db('gateway_plans').select('gateway_plans.*', db.raw(API_IDS_JSON)).orderBy('name');
  return rows.map(toPlan);
}

/** A page of plans, by id, `limit + 1` rows. */
export async function selectPlanPage(db: Knex, page: PageRequest): Promise<GatewayPlan[]> {
  const query = db('gateway_plans').select('gateway_plans.*', db.raw(API_IDS_JSON)).orderBy('id').limit(page.limit + 1);
  if (page.after !== undefined) query.where('id', '>', page.after);
  return (await query as PlanRow[]).map(toPlan);
}

export async function selectPlan(db: Knex, id: string): Promise<GatewayPlan | undefined> {
  const row: PlanRow | undefined = await db('gateway_plans').first('gateway_plans.*', db.raw(API_IDS_JSON)).where({ id });
  return row && toPlan(row);
}

function planColumns(plan: Omit<GatewayPlan, 'id' | 'apiIds'>) {
  return {
    name: plan.name, rate_per_second: plan.ratePerSecond, rate_per_minute: plan.ratePerMinute, quota_per_day: plan.quotaPerDay, quota_per_month: plan.quotaPerMonth,
    self_service: plan.selfService, price_minor_units: plan.priceMinorUnits, currency: plan.currency,
  };
}

/** Writes a plan and the APIs it covers: inserted when new, replaced otherwise. */
export async function upsertPlan(db: Knex, plan: GatewayPlan): Promise<void> {
  await db('gateway_plans').insert({ id: plan.id, ...planColumns(plan) }).onConflict('id').merge();
  await db('gateway_plan_apis').where({ plan_id: plan.id }).delete();
  if (plan.apiIds.length > 0) await db('gateway_plan_apis').insert(plan.apiIds.map((apiId) => ({ plan_id: plan.id, api_id: apiId })));
}

/** Deletes a plan (its API list goes with it); false when there is none. */
export async function deletePlan(db: Knex, id: string): Promise<boolean> {
  return (await db('gateway_plans').where({ id }).delete()) > 0;
}

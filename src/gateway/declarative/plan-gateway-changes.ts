import canonicalize from 'canonicalize';

import { DELETABLE_LIFECYCLES, lifecyclePath } from '../catalogue/api-lifecycle.ts';
import { CatalogueConflict } from '../catalogue/catalogue-errors.ts';
import type { CatalogueSnapshot, GatewayApi, GatewayPlan, Lifecycle } from '../catalogue/catalogue.types.ts';
import { apiKey, type ApiRef, type DesiredApi, type DesiredPlan, type GatewayFile } from './gateway-file.schema.ts';

/*
 * What applying a file would change, entity by entity, like decK's diff: every API and plan of the
 * file against the catalogue, matched by natural key. Values are compared as RFC 8785 canonical
 * JSON, so the key order PostgreSQL gives jsonb back in is no change.
 */

/** One field that changes, with its value before and after. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** A route of an API, by method and template, that is added, removed or gets another policy. */
export interface RouteChange {
  action: 'create' | 'update' | 'delete';
  method: string;
  pathTemplate: string;
  fields: FieldChange[];
}

export type GatewayChange =
  | { entity: 'api'; action: 'create'; key: string; desired: DesiredApi; routes: RouteChange[] }
  | { entity: 'api'; action: 'update'; key: string; id: string; desired: DesiredApi; fields: FieldChange[]; routes: RouteChange[] }
  | { entity: 'api'; action: 'delete'; key: string; id: string; routes: RouteChange[] }
  /** `path`: the lifecycle moves that reach the file's state, in order. */
  | { entity: 'lifecycle'; key: string; from: Lifecycle; path: Lifecycle[]; sunsetAt: Date | undefined; successor: ApiRef | undefined }
  | { entity: 'plan'; action: 'create'; key: string; desired: DesiredPlan }
  | { entity: 'plan'; action: 'update'; key: string; id: string; desired: DesiredPlan; fields: FieldChange[] }
  | { entity: 'plan'; action: 'delete'; key: string; id: string };

export interface PlanOptions {
  /** Delete APIs and plans the file does not list (decK's `sync`); false only adds and changes (`--no-delete`). */
  delete: boolean;
}

const same = (a: unknown, b: unknown) => canonicalize(a ?? null) === canonicalize(b ?? null);

function fieldChanges(pairs: Array<[string, unknown, unknown]>): FieldChange[] {
  return pairs.filter(([, from, to]) => !same(from, to)).map(([field, from, to]) => ({ field, from, to }));
}

function routeChanges(current: GatewayApi | undefined, desired: DesiredApi | undefined): RouteChange[] {
  const before = new Map((current?.routes ?? []).map((route) => [`${route.method} ${route.pathTemplate}`, route]));
  const after = new Map((desired?.definition.routes ?? []).map((route) => [`${route.method} ${route.pathTemplate}`, route]));
  const changes: RouteChange[] = [];
  for (const [key, route] of after) {
    const existing = before.get(key);
    if (!existing) changes.push({ action: 'create', method: route.method, pathTemplate: route.pathTemplate, fields: [] });
    else if (!same(existing.policy, route.policy)) changes.push({ action: 'update', method: route.method, pathTemplate: route.pathTemplate, fields: [{ field: 'policy', from: existing.policy, to: route.policy }] });
  }
  for (const [key, route] of before) if (!after.has(key)) changes.push({ action: 'delete', method: route.method, pathTemplate: route.pathTemplate, fields: [] });
  return changes;
}

function lifecycleChange(key: string, current: GatewayApi | undefined, desired: DesiredApi, successorOf: (id: string | null) => string | undefined): GatewayChange | undefined {
  const from = current?.lifecycle ?? 'draft';
  const path = lifecyclePath(from, desired.lifecycle);
  if (!path) throw new CatalogueConflict(`API ${key} is ${from}; it can never become ${desired.lifecycle}`);
  const rescheduled = from === 'deprecated' && desired.lifecycle === 'deprecated'
    && (current!.sunsetAt?.getTime() !== desired.sunsetAt?.getTime() || successorOf(current!.successorApiId) !== (desired.successor && apiKey(desired.successor)));
  const moves = rescheduled ? ['deprecated' as const] : path;
  if (moves.length === 0) return undefined;
  return { entity: 'lifecycle', key, from, path: moves, sunsetAt: desired.sunsetAt, successor: desired.successor };
}

function planFields(plan: Omit<GatewayPlan, 'id' | 'apiIds'> | DesiredPlan['definition']) {
  return [plan.ratePerSecond, plan.ratePerMinute, plan.quotaPerDay, plan.quotaPerMonth, plan.selfService, plan.priceMinorUnits, plan.currency] as const;
}
const PLAN_FIELDS = ['ratePerSecond', 'ratePerMinute', 'quotaPerDay', 'quotaPerMonth', 'selfService', 'priceMinorUnits', 'currency'] as const;

/**
 * The changes that make the catalogue `current` hold what `desired` lists: APIs created, updated
 * (fields and routes) or deleted, lifecycle moves, plans created, updated or deleted. Empty when
 * there is nothing to do. Throws `CatalogueConflict` for what no apply could do: a lifecycle
 * move the table forbids, deleting an API that is still routed, a reference to an API that will
 * not exist.
 */
export function planGatewayChanges(current: CatalogueSnapshot, desired: GatewayFile, options: PlanOptions): GatewayChange[] {
  const byKey = new Map(current.apis.map((api) => [apiKey(api), api]));
  const keyOfId = new Map(current.apis.map((api) => [api.id, apiKey(api)]));
  const successorOf = (id: string | null) => (id === null ? undefined : keyOfId.get(id));
  const wanted = new Set(desired.apis.map((api) => apiKey(api.definition)));
  const willExist = new Set([...wanted, ...(options.delete ? [] : byKey.keys())]);
  const refuseMissing = (ref: ApiRef, where: string) => {
    if (!willExist.has(apiKey(ref))) throw new CatalogueConflict(`${where} names API ${apiKey(ref)}, which is not in the file${options.delete ? '' : ' nor the catalogue'}`);
  };

  const changes: GatewayChange[] = [];
  const moves: GatewayChange[] = [];
  for (const api of desired.apis) {
    const key = apiKey(api.definition);
    const existing = byKey.get(key);
    if (api.successor) refuseMissing(api.successor, `API ${key}'s successor`);
    const { name: _name, version: _version, routes: _routes, ...fields } = api.definition;
    if (!existing) changes.push({ entity: 'api', action: 'create', key, desired: api, routes: routeChanges(undefined, api) });
    else {
      const changed = fieldChanges((Object.keys(fields) as Array<keyof typeof fields>).map((field) => [field, existing[field], fields[field]]));
      const routes = routeChanges(existing, api);
      if (changed.length > 0 || routes.length > 0) changes.push({ entity: 'api', action: 'update', key, id: existing.id, desired: api, fields: changed, routes });
    }
    const move = lifecycleChange(key, existing, api, successorOf);
    if (move) moves.push(move);
  }
  changes.push(...moves);

  const plansByName = new Map(current.plans.map((plan) => [plan.name, plan]));
  for (const plan of desired.plans) {
    plan.apis.forEach((ref) => refuseMissing(ref, `plan ${plan.definition.name}`));
    const existing = plansByName.get(plan.definition.name);
    if (!existing) {
      changes.push({ entity: 'plan', action: 'create', key: plan.definition.name, desired: plan });
      continue;
    }
    const before = planFields(existing);
    const after = planFields(plan.definition);
    const fields = fieldChanges([
      ...PLAN_FIELDS.map((field, index): [string, unknown, unknown] => [field, before[index], after[index]]),
      ['apis', existing.apiIds.map((id) => keyOfId.get(id)).sort(), plan.apis.map(apiKey).sort()],
    ]);
    if (fields.length > 0) changes.push({ entity: 'plan', action: 'update', key: plan.definition.name, id: existing.id, desired: plan, fields });
  }

  if (options.delete) {
    const listedPlans = new Set(desired.plans.map((plan) => plan.definition.name));
    for (const plan of current.plans) if (!listedPlans.has(plan.name)) changes.push({ entity: 'plan', action: 'delete', key: plan.name, id: plan.id });
    for (const api of current.apis) {
      const key = apiKey(api);
      if (wanted.has(key)) continue;
      if (!DELETABLE_LIFECYCLES.includes(api.lifecycle)) throw new CatalogueConflict(`API ${key} is ${api.lifecycle} and not in the file: retire it first (lifecycle: retired), or apply with --no-delete`);
      changes.push({ entity: 'api', action: 'delete', key, id: api.id, routes: routeChanges(api, undefined) });
    }
  }
  return changes;
}

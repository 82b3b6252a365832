import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { pageOf, type Page, type PageRequest } from '../page.ts';
import { DELETABLE_LIFECYCLES } from './api-lifecycle.ts';
import { CatalogueConflict, CatalogueNotFound } from './catalogue-errors.ts';
import { inTransaction, type CatalogueContext } from './catalogue-transaction.ts';
import { apiInputSchema, parseInput, type ApiInput } from './catalogue.schema.ts';
import { deleteApi as deleteApiRow, insertApi, replaceRoutes, selectAllApis, selectAllPlans, selectApi, selectApiPage, selectOtherBasePaths, updateApi as updateApiRow } from './catalogue.store.ts';
import type { CatalogueSnapshot, GatewayApi, GatewayRoute } from './catalogue.types.ts';
import { selectActivePlanIds } from './subscription.store.ts';

/*
 * The catalogue's APIs, each written with its routes in one transaction, and what the gateway
 * reads of the catalogue. The admin API and declarative config both come through here, so an API
 * is checked the same way whoever writes it (`catalogue.schema.ts`); every change is announced
 * (`api.changed`) once committed. Lifecycle moves are `api-lifecycle.service.ts`'s.
 */

/**
 * Everything the gateway routes by: every API with its routes (by base path), every plan with the
 * APIs it covers (by name). Two queries; what an instance holds in memory and swaps on change.
 */
export async function loadCatalogue(db: Knex): Promise<CatalogueSnapshot> {
  const [apis, plans] = await Promise.all([selectAllApis(db), selectAllPlans(db)]);
  return { apis, plans };
}

/** The plans an application is actively subscribed to (requested, refused and cancelled ones are not). */
export async function findActiveSubscriptionPlanIds(db: Knex, applicationId: string): Promise<string[]> {
  return selectActivePlanIds(db, applicationId);
}

/** The API with its routes; throws `CatalogueNotFound`. */
export async function getApi(db: Knex, id: string): Promise<GatewayApi> {
  const api = await selectApi(db, id);
  if (!api) throw new CatalogueNotFound(`no API ${id}`);
  return api;
}

/** A page of APIs with their routes, by id. */
export async function listApis(db: Knex, page: PageRequest): Promise<Page<GatewayApi>> {
  return pageOf(await selectApiPage(db, page), page.limit);
}

// The gateway matches a request to the API whose base path prefixes it: two nested base paths
// (/clinics and /clinics/v2) would make which API a path belongs to depend on the matcher.
async function refuseNestedBasePath(db: Knex, id: string, basePath: string): Promise<void> {
  const nests = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  const clash = (await selectOtherBasePaths(db, id)).find((other) => nests(other.basePath, basePath));
  if (clash) throw new CatalogueConflict(clash.basePath === basePath ? 'another API has this base path' : `base path ${basePath} nests with ${clash.basePath} (API ${clash.id})`);
}

// A route keeps its id while its method and template stay (analytics and audit name routes by id).
function routesOf(apiId: string, input: ApiInput, existing: readonly GatewayRoute[]): GatewayRoute[] {
  const kept = new Map(existing.map((route) => [`${route.method} ${route.pathTemplate}`, route.id]));
  return input.routes.map((route) => ({
    id: kept.get(`${route.method} ${route.pathTemplate}`) ?? `route-${randomUUID()}`,
    apiId, method: route.method, pathTemplate: route.pathTemplate, policy: route.policy,
  }));
}

const fieldsOf = ({ routes: _routes, ...fields }: ApiInput) => fields;

/** Creates an API (in `draft`) with its routes. `input` is checked here; throws `CatalogueInvalid` or `CatalogueConflict`. */
export async function createApi(context: CatalogueContext, input: unknown): Promise<GatewayApi> {
  const api = parseInput(apiInputSchema, input);
  const id = `api-${randomUUID()}`;
  return inTransaction(context, async (trx, announce) => {
    await refuseNestedBasePath(trx, id, api.basePath);
    await insertApi(trx, id, fieldsOf(api));
    await replaceRoutes(trx, id, routesOf(id, api, []));
    announce('api.changed', { apiId: id, change: 'created', actor: context.actor });
    return (await selectApi(trx, id))!;
  });
}

/** Replaces an API's definition and routes (not its lifecycle). Throws `CatalogueNotFound`, `CatalogueInvalid` or `CatalogueConflict`. */
export async function updateApi(context: CatalogueContext, id: string, input: unknown): Promise<GatewayApi> {
  const api = parseInput(apiInputSchema, input);
  return inTransaction(context, async (trx, announce) => {
    const current = await selectApi(trx, id, { lock: true });
    if (!current) throw new CatalogueNotFound(`no API ${id}`);
    await refuseNestedBasePath(trx, id, api.basePath);
    await updateApiRow(trx, id, fieldsOf(api));
    await replaceRoutes(trx, id, routesOf(id, api, current.routes));
    announce('api.changed', { apiId: id, change: 'updated', actor: context.actor });
    return (await selectApi(trx, id))!;
  });
}

/** Deletes a `draft` or `retired` API; one that is routed must be deprecated and retired first (`api-lifecycle.ts`). */
export async function deleteApi(context: CatalogueContext, id: string): Promise<void> {
  await inTransaction(context, async (trx, announce) => {
    const current = await selectApi(trx, id, { lock: true });
    if (!current) throw new CatalogueNotFound(`no API ${id}`);
    if (!DELETABLE_LIFECYCLES.includes(current.lifecycle)) throw new CatalogueConflict(`API ${current.name} ${current.version} is ${current.lifecycle}: deprecate and retire it before deleting it`);
    await deleteApiRow(trx, id);
    announce('api.changed', { apiId: id, change: 'deleted', actor: context.actor });
  });
}

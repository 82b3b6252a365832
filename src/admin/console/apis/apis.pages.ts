import type { Context, Middleware } from 'koa';

import { CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { getApi, loadCatalogue } from '../../../gateway/catalogue/catalogue.service.ts';
import type { GatewayApi } from '../../../gateway/catalogue/catalogue.types.ts';
import { pageNotice } from '../../../shared/page-notice.ts';
import { mayDo } from '../../operators/operator-role.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { selectApiCallCounts, selectApiCallers } from './apis.store.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * The APIs section's pages to read: every version, grouped by API name, with its lifecycle and its
 * calls over the last 30 days (from the analytics rollups); one version's details, routes,
 * upstreams, its other versions, the lifecycle moves it may make, and, once deprecated, the
 * applications that still call it, with their organisations' owners to tell.
 */

/** How far back "recent calls" look. */
const RECENT_DAYS = 30;

const recentRange = (deps: ConsoleDependencies) => {
  const to = deps.clock.now();
  return { from: new Date(to.getTime() - RECENT_DAYS * 86_400_000), to };
};

const NOTICES: Readonly<Record<string, string>> = {
  created: 'The API has been created, as a draft: publish it when it is ready to be called.',
  saved: 'The API has been saved. Every gateway routes by it within a second.',
  published: 'The API is published: every gateway routes it within a second.',
  deprecated: 'The API is deprecated: its answers now carry Deprecation, Sunset and its successor\'s link. Tell the applications below.',
  retired: 'The API is retired: the gateway answers its calls with 410 Gone.',
  deleted: 'The API has been deleted.',
};

/** The version by the path's `apiId`; the console's 404 page when there is none. */
export async function apiOfPath(ctx: Context, deps: ConsoleDependencies): Promise<GatewayApi> {
  try {
    return await getApi(deps.db, ctx.params['apiId']!);
  } catch (error) {
    if (error instanceof CatalogueNotFound) return ctx.throw(404, 'There is no such API.');
    throw error;
  }
}

/** `GET /console/apis` */
export function showApis(deps: ConsoleDependencies): Middleware {
  return async function showApis(ctx) {
    const [{ apis }, calls] = await Promise.all([loadCatalogue(deps.db), selectApiCallCounts(deps.db, recentRange(deps))]);
    const names = [...new Set(apis.map((api) => api.name))].sort();
    const groups = names.map((name) => ({
      name,
      versions: apis.filter((api) => api.name === name).sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true })).map((api) => ({ ...api, calls: calls.get(api.id) ?? 0 })),
    }));
    await renderConsolePage(ctx, deps.csrfSecret, 'apis', {
      section: 'apis', groups, recentDays: RECENT_DAYS, mayChange: mayDo(ctx.state.operator!.role, 'operate'), notice: pageNotice(ctx, { deleted: NOTICES['deleted']! }),
    });
  };
}

/** `GET /console/apis/{apiId}` */
export function showApi(deps: ConsoleDependencies): Middleware {
  return async function showApi(ctx) {
    const api = await apiOfPath(ctx, deps);
    const range = recentRange(deps);
    const [{ apis }, calls, callers] = await Promise.all([
      loadCatalogue(deps.db), selectApiCallCounts(deps.db, range),
      api.lifecycle === 'deprecated' || api.lifecycle === 'retired' ? selectApiCallers(deps.db, api.id, range) : Promise.resolve(undefined),
    ]);
    await renderConsolePage(ctx, deps.csrfSecret, 'apis-version', {
      section: 'apis', api, calls: calls.get(api.id) ?? 0, callers, recentDays: RECENT_DAYS,
      otherVersions: apis.filter((other) => other.name === api.name && other.id !== api.id).sort((a, b) => a.version.localeCompare(b.version, 'en', { numeric: true })),
      successor: apis.find((other) => other.id === api.successorApiId),
      mayChange: mayDo(ctx.state.operator!.role, 'operate'), csrf: consoleFormToken(ctx, deps.csrfSecret),
      notice: pageNotice(ctx, NOTICES),
    });
  };
}

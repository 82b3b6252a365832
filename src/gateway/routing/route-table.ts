import type { CatalogueSnapshot, GatewayApi, GatewayPlan, GatewayRoute } from '../catalogue/catalogue.types.ts';
import { compilePathTemplate, type PathTemplate } from './path-template.ts';

/*
 * Step 1 of the pipeline, as data: which API a path belongs to (the longest base path that
 * prefixes it), and which of its routes the method and path match. Built once per catalogue
 * change and swapped whole, so a request sees one consistent catalogue from start to end.
 */

export type RouteMatch =
  | { found: { api: GatewayApi; route: GatewayRoute; params: Record<string, string>; upstreamPath: string } }
  /** No API has this path, or the API is a draft (not routed). */
  | { notFound: { api?: GatewayApi } }
  /** The path is a route's, not with this method: `Allow` lists the ones it has. */
  | { methodNotAllowed: { api: GatewayApi; allow: string[] } };

interface CompiledRoute {
  route: GatewayRoute;
  path: PathTemplate;
}

interface CompiledApi {
  api: GatewayApi;
  routes: CompiledRoute[];
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch;
  api(id: string): GatewayApi | undefined;
  plan(id: string): GatewayPlan | undefined;
  /** The plans that cover an API. */
  plansFor(apiId: string): readonly GatewayPlan[];
}

// OpenAPI's rule: a concrete path is matched before a templated one, segment by segment.
function bySpecificity(left: CompiledRoute, right: CompiledRoute): number {
  const a = left.route.pathTemplate.split('/');
  const b = right.route.pathTemplate.split('/');
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const aParam = a[index]!.startsWith('{');
    const bParam = b[index]!.startsWith('{');
    if (aParam !== bParam) return aParam ? 1 : -1;
  }
  return 0;
}

export function buildRouteTable(snapshot: CatalogueSnapshot): RouteTable {
  const byBasePath = new Map<string, CompiledApi>();
  const byId = new Map<string, GatewayApi>();
  for (const api of snapshot.apis) {
    byId.set(api.id, api);
    const routes = api.routes.map((route) => ({ route, path: compilePathTemplate(route.pathTemplate) }));
    byBasePath.set(api.basePath, { api, routes: routes.sort(bySpecificity) });
  }
  const plans = new Map(snapshot.plans.map((plan) => [plan.id, plan]));
  const plansByApi = new Map<string, GatewayPlan[]>();
  for (const plan of snapshot.plans) {
    for (const apiId of plan.apiIds) plansByApi.set(apiId, [...(plansByApi.get(apiId) ?? []), plan]);
  }

  const findApi = (path: string): { compiled: CompiledApi; rest: string } | undefined => {
    // Longest prefix first: /clinics/v2 before /clinics, and only on a segment boundary.
    for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
      const compiled = byBasePath.get(path.slice(0, end));
      if (compiled) return { compiled, rest: path.slice(end) || '/' };
    }
    return undefined;
  };

  return {
    match(method, path) {
      const located = findApi(path);
      if (!located || located.compiled.api.lifecycle === 'draft') return { notFound: {} };
      const { compiled, rest } = located;
      const allow = new Set<string>();
      for (const candidate of compiled.routes) {
        const params = candidate.path.match(rest);
        if (!params) continue;
        if (candidate.route.method === method || (method === 'HEAD' && candidate.route.method === 'GET')) {
          return { found: { api: compiled.api, route: candidate.route, params, upstreamPath: rest } };
        }
        allow.add(candidate.route.method);
        if (candidate.route.method === 'GET') allow.add('HEAD');
      }
      if (allow.size === 0) return { notFound: { api: compiled.api } };
      return { methodNotAllowed: { api: compiled.api, allow: [...allow].sort() } };
    },
    api: (id) => byId.get(id),
    plan: (id) => plans.get(id),
    plansFor: (apiId) => plansByApi.get(apiId) ?? [],
  };
}

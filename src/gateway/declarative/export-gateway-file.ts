import { stringify } from 'yaml';

import type { CatalogueSnapshot, GatewayApi, GatewayPlan } from '../catalogue/catalogue.types.ts';

/*
 * The catalogue as a declarative file (`gateway export`): what, applied back, changes nothing.
 * Ids are replaced by natural keys; members that hold their default (no settings, no OpenAPI
 * document, an empty policy, a null limit) are left out, so the file stays what a person writes.
 */

function exportApi(api: GatewayApi, keyOf: (id: string | null) => { name: string; version: string } | undefined) {
  const successor = keyOf(api.successorApiId);
  const keepsSunset = api.lifecycle === 'deprecated' || api.lifecycle === 'retired';
  return {
    name: api.name,
    version: api.version,
    basePath: api.basePath,
    authKind: api.authKind,
    lifecycle: api.lifecycle,
    ...(keepsSunset && api.sunsetAt ? { sunsetAt: api.sunsetAt.toISOString() } : {}),
    ...(keepsSunset && successor ? { successor } : {}),
    ...(api.upstreams.length > 0 ? { upstreams: api.upstreams } : {}),
    ...(Object.keys(api.settings).length > 0 ? { settings: api.settings } : {}),
    ...(api.openapi ? { openapi: api.openapi } : {}),
    routes: api.routes.map((route) => ({
      method: route.method,
      pathTemplate: route.pathTemplate,
      ...(Object.keys(route.policy).length > 0 ? { policy: route.policy } : {}),
    })),
  };
}

function exportPlan(plan: GatewayPlan, keyOf: (id: string | null) => { name: string; version: string } | undefined) {
  const { id: _id, apiIds, ...fields } = plan;
  const given = Object.entries(fields).filter(([field, value]) => value !== null && !(field === 'selfService' && value === false));
  const apis = apiIds.map((id) => keyOf(id)!).sort((a, b) => `${a.name} ${a.version}`.localeCompare(`${b.name} ${b.version}`));
  return { ...Object.fromEntries(given), ...(apis.length > 0 ? { apis } : {}) };
}

/** The catalogue as YAML, APIs by name and version, plans by name. */
export function exportGatewayFile(catalogue: CatalogueSnapshot): string {
  const byId = new Map(catalogue.apis.map((api) => [api.id, { name: api.name, version: api.version }]));
  const keyOf = (id: string | null) => (id === null ? undefined : byId.get(id));
  const apis = [...catalogue.apis].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const plans = [...catalogue.plans].sort((a, b) => a.name.localeCompare(b.name));
  return stringify({ apis: apis.map((api) => exportApi(api, keyOf)), plans: plans.map((plan) => exportPlan(plan, keyOf)) }, { lineWidth: 0, aliasDuplicateObjects: false });
}

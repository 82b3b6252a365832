import type { Middleware } from 'koa';

import { getApi } from '../gateway/catalogue/catalogue.service.ts';
import { renderView } from '../shared/render-view.ts';
import { findCatalogVersion, portalCatalog, type CatalogProduct, type CatalogVersion } from './portal-catalog.service.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { PortalPageError } from './portal-page-error.ts';

async function visibleVersion(deps: PortalDependencies, apiId: string): Promise<{ product: CatalogProduct; version: CatalogVersion }> {
  const found = findCatalogVersion(await portalCatalog(deps.db), apiId);
  if (!found) throw new PortalPageError(404, 'There is no such API, or it is no longer offered.');
  return found;
}

/** `GET /apis/{apiId}`: one version of a product: where to call it, how to authenticate, its operations. */
export function showApi(deps: PortalDependencies): Middleware {
  return async function showApi(ctx) {
    const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
    const baseUrl = `${version.authKind === 'fapi' ? deps.baseUrls.mtls : deps.baseUrls.gateway}${version.basePath}`;
    const successor = version.successorApiId ? product.versions.find((candidate) => candidate.apiId === version.successorApiId) : undefined;
    ctx.type = 'html';
    ctx.body = await renderView('portal/api', { section: 'apis', product, version, baseUrl, successor });
  };
}

/** `GET /apis/{apiId}/openapi.json`: the version's OpenAPI document, as a download. */
export function downloadOpenApi(deps: PortalDependencies): Middleware {
  return async function downloadOpenApi(ctx) {
    const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
    const { openapi } = await getApi(deps.db, version.apiId);
    if (!openapi) throw new PortalPageError(404, 'This API has no OpenAPI document.');
    ctx.set('Content-Disposition', `attachment; filename="${product.name}-${version.version}.openapi.json"`);
    ctx.body = openapi;
  };
}

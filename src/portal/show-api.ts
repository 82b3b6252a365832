import type { Middleware } from 'koa';

import { getApi } from '../gateway/catalogue/catalogue.service.ts';
import { findCatalogVersion, portalCatalog, type CatalogProduct, type CatalogVersion } from './portal-catalog.service.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { PortalPageError } from './portal-page-error.ts';
import { postmanCollection } from './postman/postman-conversion.ts';
import { renderPortalPage } from './render-portal-page.ts';

/** A version the catalog shows, with its product; a 404 page for a draft, a retired API or none. */
export async function visibleVersion(deps: Pick<PortalDependencies, 'catalog'>, apiId: string): Promise<{ product: CatalogProduct; version: CatalogVersion }> {
  const found = findCatalogVersion(portalCatalog(await deps.catalog.apis()), apiId);
  if (!found) throw new PortalPageError(404, 'There is no such API, or it is no longer offered.');
  return found;
}

/** Where partners call a version: Open Banking APIs on the mutual-TLS listener, every other API on the gateway's public one. */
export function baseUrlOf(deps: Pick<PortalDependencies, 'baseUrls'>, version: CatalogVersion): string {
  return `${version.authKind === 'fapi' ? deps.baseUrls.mtls : deps.baseUrls.gateway}${version.basePath}`;
}

/** `GET /apis/{apiId}`: one version of a product: where to call it, how to authenticate, its operations. */
export function showApi(deps: PortalDependencies): Middleware {
  return async function showApi(ctx) {
    const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
    const baseUrl = baseUrlOf(deps, version);
    const successor = version.successorApiId ? product.versions.find((candidate) => candidate.apiId === version.successorApiId) : undefined;
    await renderPortalPage(ctx, 'portal/api', { section: 'apis', product, version, baseUrl, successor });
  };
}

async function openApiOf(deps: PortalDependencies, version: CatalogVersion): Promise<Record<string, unknown>> {
  const { openapi } = await getApi(deps.db, version.apiId);
  if (!openapi) throw new PortalPageError(404, 'This API has no OpenAPI document.');
  return openapi;
}

/** `GET /apis/{apiId}/openapi.json`: the version's OpenAPI document, as a download. */
export function downloadOpenApi(deps: PortalDependencies): Middleware {
  return async function downloadOpenApi(ctx) {
    const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
    const openapi = await openApiOf(deps, version);
    ctx.set('Content-Disposition', `attachment; filename="${product.name}-${version.version}.openapi.json"`);
    ctx.body = openapi;
  };
}

/** `GET /apis/{apiId}/postman.json`: a Postman collection (v2.1) of the version's operations, aimed at its base URL. */
export function downloadPostmanCollection(deps: PortalDependencies): Middleware {
  return async function downloadPostmanCollection(ctx) {
    const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
    const collection = await postmanCollection(await openApiOf(deps, version), baseUrlOf(deps, version));
    ctx.set('Content-Disposition', `attachment; filename="${product.name}-${version.version}.postman_collection.json"`);
    ctx.type = 'json';
    ctx.body = collection;
  };
}

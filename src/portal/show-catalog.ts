import type { Middleware } from 'koa';

import { portalCatalog, searchCatalog } from './portal-catalog.service.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { PortalPageError } from './portal-page-error.ts';
import { renderPortalPage } from './render-portal-page.ts';

const QUERY_LIMIT = 100;

function readQuery(value: string | string[] | undefined): string {
  if (Array.isArray(value)) throw new PortalPageError(400, 'Search for one thing at a time.');
  const query = (value ?? '').trim();
  if (query.length > QUERY_LIMIT) throw new PortalPageError(400, `Search for at most ${QUERY_LIMIT} characters.`);
  return query;
}

/** `GET /apis[?q=words]`: the catalog, every product or those matching the search. */
export function showCatalog(deps: PortalDependencies): Middleware {
  return async function showCatalog(ctx) {
    const query = readQuery(ctx.query['q']);
    const all = portalCatalog(await deps.catalog.apis());
    const products = query ? searchCatalog(all, query) : all;
    await renderPortalPage(ctx, 'portal/catalog', { section: 'apis', products, query, total: all.length });
  };
}

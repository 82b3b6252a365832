import type { Middleware } from 'koa';

import { portalCatalog } from './portal-catalog.service.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { renderPortalPage } from './render-portal-page.ts';

/** `GET /`: what the platform offers and where to start, with its products. */
export function showHome(deps: PortalDependencies): Middleware {
  return async function showHome(ctx) {
    const products = portalCatalog(await deps.catalog.apis());
    await renderPortalPage(ctx, 'portal/home', { section: 'home', products, signUp: deps.accounts !== undefined, consoleOffered: deps.consoleOffered });
  };
}

import type { Middleware } from 'koa';

import { renderView } from '../shared/render-view.ts';
import { portalCatalog } from './portal-catalog.service.ts';
import type { PortalDependencies } from './portal.deps.ts';

/** `GET /`: what the platform offers and where to start, with its products. */
export function showHome(deps: PortalDependencies): Middleware {
  return async function showHome(ctx) {
    const products = portalCatalog(await deps.catalog.apis());
    ctx.type = 'html';
    ctx.body = await renderView('portal/home', { section: 'home', products, signUp: deps.accounts !== undefined });
  };
}

import Router from '@koa/router';

import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { downloadOpenApi, downloadPostmanCollection, showApi } from './show-api.ts';
import { showCatalog } from './show-catalog.ts';
import { showHome } from './show-home.ts';

/**
 * The developer portal, on the browser listener: server-rendered pages, no script.
 *
 * | path | methods |
 * | --- | --- |
 * | / | GET: home |
 * | /apis | GET: the catalog (`?q=` searches it) |
 * | /apis/{apiId} | GET: one API version |
 * | /apis/{apiId}/openapi.json | GET: its OpenAPI document |
 * | /apis/{apiId}/postman.json | GET: a Postman collection of it |
 */
export function portalRoutes(deps: PortalDependencies): Router {
  const router = new Router();
  // On each route, not the router: a path the portal does not serve goes on to the other roles, whose errors are theirs.
  const errors = renderBrowserErrors(deps.logger, 'portal/error');
  router.get('/', errors, showHome(deps));
  router.get('/apis', errors, showCatalog(deps));
  router.get('/apis/:apiId', errors, showApi(deps));
  router.get('/apis/:apiId/openapi.json', errors, downloadOpenApi(deps));
  router.get('/apis/:apiId/postman.json', errors, downloadPostmanCollection(deps));
  return router;
}

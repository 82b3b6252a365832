import Router from '@koa/router';

import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { downloadOpenApi, downloadPostmanCollection, showApi } from './show-api.ts';
import { showCatalog } from './show-catalog.ts';
import { showGuide, showGuides } from './show-guide.ts';
import { showHome } from './show-home.ts';
import { showProblem, showProblems } from './show-problems.ts';

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
 * | /guides[/{slug}] | GET: the guides |
 * | /docs/problems[/{slug}] | GET: the error reference, each problem type's page |
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
  router.get('/guides', errors, showGuides());
  router.get('/guides/:slug', errors, showGuide(deps));
  router.get('/docs/problems', errors, showProblems(deps));
  router.get('/docs/problems/:slug', errors, showProblem(deps));
  return router;
}

import Router from '@koa/router';
import type { Middleware } from 'koa';

import { noStore } from '../shared/no-store.ts';
import { parseForm } from '../shared/parse-form.ts';
import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import { checkPortalForm } from './accounts/portal-form-csrf.ts';
import { showCheckEmail, showOutbox, showSignUp, showVerifyEmail, submitSignUp, type AccountPagesDependencies } from './accounts/sign-up.pages.ts';
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
 * | /account/sign-up | GET, POST: a developer account (CSRF-checked form) |
 * | /account/check-email, /account/verify | GET: after signing up; the mailed link |
 * | /dev/outbox | GET: the mail sent, where it goes to the development outbox |
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
  if (deps.accounts) accountRoutes(router, deps.accounts, errors);
  return router;
}

function accountRoutes(router: Router, deps: AccountPagesDependencies, errors: Middleware): void {
  router.get('/account/sign-up', noStore, errors, showSignUp(deps));
  router.post('/account/sign-up', noStore, errors, parseForm, checkPortalForm(deps.csrfSecret), submitSignUp(deps));
  router.get('/account/check-email', noStore, errors, showCheckEmail(deps));
  router.get('/account/verify', noStore, errors, showVerifyEmail(deps));
  if (deps.outbox) router.get('/dev/outbox', noStore, errors, showOutbox(deps));
}

import Router from '@koa/router';

import { parseForm } from '../../shared/parse-form.ts';
import { noStore } from '../../shared/no-store.ts';
import { checkDashboardCsrf } from './check-dashboard-csrf.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';
import { requireCustomer } from './require-customer.ts';
import { loadDashboardSession } from './session-cookie.ts';
import { showConnectedApps } from './show-connected-apps.ts';
import { showRevoke } from './show-revoke.ts';
import { showSignIn } from './show-sign-in.ts';
import { signOut } from './sign-out.ts';
import { submitRevoke } from './submit-revoke.ts';
import { submitSignIn } from './submit-sign-in.ts';

/**
 * The customer's "Connected apps" dashboard, on the browser listener: which apps can see their
 * information, and stopping any of them. Plain HTML forms, no script.
 *
 * | path | methods |
 * | --- | --- |
 * | /connected-apps/sign-in | GET, POST |
 * | /connected-apps/sign-out | POST |
 * | /connected-apps | GET |
 * | /connected-apps/{ConsentId}/revoke | GET (confirm), POST (revoke) |
 *
 * Every POST checks its session-bound CSRF token before anything else happens; errors thrown here
 * are rendered by the browser app's error page.
 */
export function dashboardRoutes(deps: DashboardDependencies): Router {
  const router = new Router({ prefix: '/connected-apps' });
  const session = loadDashboardSession(deps.sessionSecret, deps.consents.clock);
  const csrf = checkDashboardCsrf(deps.csrfSecret);
  router.get('/sign-in', noStore, session, showSignIn(deps));
  router.post('/sign-in', noStore, parseForm, session, csrf, submitSignIn(deps));
  router.post('/sign-out', noStore, parseForm, session, requireCustomer, csrf, signOut);
  router.get('/', noStore, session, requireCustomer, showConnectedApps(deps));
  router.get('/:ConsentId/revoke', noStore, session, requireCustomer, showRevoke(deps));
  router.post('/:ConsentId/revoke', noStore, parseForm, session, requireCustomer, csrf, submitRevoke(deps));
  return router;
}

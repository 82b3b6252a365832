import Router from '@koa/router';
import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import { parseForm } from '../../shared/parse-form.ts';
import { renderBrowserErrors } from '../../shared/render-browser-errors.ts';
import type { ConsoleDependencies } from './console.deps.ts';
import { showEnrolment, submitEnrolment } from './console-enrolment.pages.ts';
import { checkConsoleForm } from './console-form-csrf.ts';
import { showConsoleHome } from './console-home.pages.ts';
import { showPlanRequests, submitPlanDecision } from './console-plan-requests.pages.ts';
import { showOperators, submitDisableOperator, submitNewOperator, submitOperatorRole } from './console-operators.pages.ts';
import { loadConsoleSession, requireOperator, requirePasswordStep } from './console-session-cookie.ts';
import { showConsoleCode, showConsoleSignIn, submitCodeStep, submitConsoleSignIn, submitConsoleSignOut } from './console-sign-in.pages.ts';

/**
 * The ops console's pages, on the browser listener under `/console`: server-rendered, no script.
 * Every page but sign-in needs an operator who passed both factors, and each names the right
 * (read, operate, administer) the operator's role must hold.
 *
 * | path | methods |
 * | --- | --- |
 * | /console | GET: home (read) |
 * | /console/sign-in | GET, POST: email and password (CSRF-checked form) |
 * | /console/sign-in/code | GET, POST: the code from the operator's authenticator app |
 * | /console/enrol | GET, POST: the first sign-in sets up the authenticator app (QR code, secret) and confirms it with a code |
 * | /console/sign-out | POST: ends the session |
 * | /console/operators | GET, POST: the operators, a new one (administer) |
 * | /console/operators/{operatorId}/role | POST: another role (administer) |
 * | /console/operators/{operatorId}/disable | POST: disabled, sessions ended (administer) |
 * | /console/plan-requests | GET: subscriptions asked for and waiting (read) |
 * | /console/plan-requests/{subscriptionId}/approve, /refuse | POST: the decision (operate), audited as the admin API's |
 *
 * Any other path under `/console` is the console's 404 page.
 */
export function consoleRoutes(deps: ConsoleDependencies): Middleware {
  const router = new Router({ prefix: '/console' });
  const form = [noStore, parseForm, checkConsoleForm(deps.csrfSecret)];
  router.use(renderBrowserErrors(deps.logger, 'admin/error'));
  router.use(loadConsoleSession(deps));
  router.get('/', noStore, requireOperator('read'), showConsoleHome(deps));
  router.get('/sign-in', noStore, showConsoleSignIn(deps));
  router.post('/sign-in', ...form, submitConsoleSignIn(deps));
  router.get('/sign-in/code', noStore, requirePasswordStep(true), showConsoleCode(deps));
  router.post('/sign-in/code', ...form, requirePasswordStep(true), submitCodeStep(deps, 'code', async () => ({})));
  router.get('/enrol', noStore, requirePasswordStep(false), showEnrolment(deps));
  router.post('/enrol', ...form, requirePasswordStep(false), submitEnrolment(deps));
  router.post('/sign-out', ...form, submitConsoleSignOut(deps));
  router.get('/operators', noStore, requireOperator('administer'), showOperators(deps));
  router.post('/operators', ...form, requireOperator('administer'), submitNewOperator(deps));
  router.post('/operators/:operatorId/role', ...form, requireOperator('administer'), submitOperatorRole(deps));
  router.post('/operators/:operatorId/disable', ...form, requireOperator('administer'), submitDisableOperator(deps));
  router.get('/plan-requests', noStore, requireOperator('read'), showPlanRequests(deps));
  router.post('/plan-requests/:subscriptionId/approve', ...form, requireOperator('operate'), ...submitPlanDecision(deps, 'approve'));
  router.post('/plan-requests/:subscriptionId/refuse', ...form, requireOperator('operate'), ...submitPlanDecision(deps, 'refuse'));
  router.all('/{*rest}', function consoleNotFound(ctx) {
    ctx.throw(404, 'There is no such page in the console.');
  });
  return router.routes() as Middleware;
}

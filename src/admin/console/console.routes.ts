import Router from '@koa/router';
import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import { parseForm } from '../../shared/parse-form.ts';
import { renderBrowserErrors } from '../../shared/render-browser-errors.ts';
import type { ConsoleDependencies } from './console.deps.ts';
import { showEnrolment, submitEnrolment } from './sign-in/enrolment.pages.ts';
import { checkConsoleForm } from './console-form-csrf.ts';
import { exportBillingMonthCsv, showBillingMonth, showBillingMonths } from './billing/billing.pages.ts';
import { submitBillingCustomer, submitCloseMonth, submitPushMonth, submitRunMonth } from './billing/billing-actions.pages.ts';
import { showConsoleHome } from './overview/overview.pages.ts';
import { showAnalytics } from './analytics/analytics.pages.ts';
import { showOpenBankingClient, showOpenBankingClients, submitOpenBankingClientRemoval, submitOpenBankingClientStatus } from './open-banking/open-banking.pages.ts';
import { showOpenBankingConsent, showOpenBankingConsents, submitConsentRevocation } from './open-banking/open-banking-consents.pages.ts';
import { showPlanRequests, submitPlanDecision } from './plans/plan-requests.pages.ts';
import { showOrganisation, showOrganisations } from './organisations/organisations.pages.ts';
import { showApplication, submitApplicationStatus, submitKeyRevocation } from './organisations/applications.pages.ts';
import { showOperators, submitDisableOperator, submitNewOperator, submitOperatorRole } from './operators/operators.pages.ts';
import { showApi, showApis } from './apis/apis.pages.ts';
import { showEditApi, showNewApi, submitDeleteApi, submitEditApi, submitNewApi } from './apis/api-edit.pages.ts';
import { showDeprecation, submitLifecycle } from './apis/api-lifecycle.pages.ts';
import { showNewPlan, showPlan, showPlans, submitDeletePlan, submitEditPlan, submitNewPlan } from './plans/plans.pages.ts';
import { parseUploadForm } from './console-upload-form.ts';
import { showAuditEntry, showAuditLog, showAuditVerification, submitAuditExport } from './audit/audit.pages.ts';
import { loadConsoleSession, requireOperator, requirePasswordStep } from './console-session-cookie.ts';
import { finishConsoleSso, startConsoleSso } from './sign-in/sso.pages.ts';
import { showAccount, submitNewToken, submitTokenRevocation } from './operators/account.pages.ts';
import { showConsoleCode, showConsoleSignIn, submitCodeStep, submitConsoleSignIn, submitConsoleSignOut } from './sign-in/sign-in.pages.ts';

/**
 * The ops console's pages, on the browser listener under `/console`: server-rendered, no script.
 * Every page but sign-in needs an operator who passed both factors, and each names the right
 * (read, operate, administer) the operator's role must hold.
 *
 * | path | methods |
 * | --- | --- |
 * | /console | GET: the overview: traffic of the last hour, day or 30 days, busiest APIs and applications, active consents, breakers this instance knows, the programme's figures (read); the figures of `GET /admin/v1/overview` |
 * | /console/analytics | GET: calls, errors, latency by API, route, application, status and period, a second period compared; `format=csv` exports it (read); the query and figures of `GET /admin/v1/analytics` |
 * | /console/sign-in | GET, POST: email and password (CSRF-checked form) |
 * | /console/sign-in/code | GET, POST: the code from the operator's authenticator app |
 * | /console/enrol | GET, POST: the first sign-in sets up the authenticator app (QR code, secret) and confirms it with a code |
 * | /console/sign-in/oidc | GET: off to the organisation's OpenID Connect provider (single sign-on, where set up) |
 * | /console/sign-in/oidc/callback | GET: the provider's answer: signed in (no TOTP step), or the sign-in page saying why not |
 * | /console/sign-out | POST: ends the session |
 * | /console/account | GET: who the operator is, their personal API tokens (read: every role) |
 * | /console/account/tokens | POST: a new personal token, shown once (read: a token carries only its operator's role), audited as the admin API's |
 * | /console/account/tokens/{tokenId}/revoke | POST: one of the operator's tokens revoked (read), audited as the admin API's |
 * | /console/operators | GET, POST: the operators, a new one (administer) |
 * | /console/operators/{operatorId}/role | POST: another role (administer) |
 * | /console/operators/{operatorId}/disable | POST: disabled, sessions ended (administer) |
 * | /console/plan-requests | GET: subscriptions asked for and waiting (read) |
 * | /console/plan-requests/{subscriptionId}/approve, /refuse | POST: the decision (operate), audited as the admin API's |
 * | /console/organisations | GET: search by organisation, application or member's email (read) |
 * | /console/organisations/{organisationId} | GET: members, applications and their subscriptions (read) |
 * | /console/applications/{applicationId} | GET: status, subscriptions, keys, Open Banking client, usage (read) |
 * | /console/applications/{applicationId}/suspend, /reactivate | POST: the status (operate), audited as the admin API's |
 * | /console/keys/{keyId}/revoke | POST: the key revoked (operate), audited as the admin API's |
 * | /console/apis | GET: every version by API name, lifecycle, calls in 30 days (read); POST: a new API, or an OpenAPI import (operate), audited as `POST /admin/v1/apis` |
 * | /console/apis/new | GET: the new API's form, with the OpenAPI document pasted or uploaded (operate) |
 * | /console/apis/{apiId} | GET: details, routes, upstreams, other versions, a deprecated one's callers (read); POST: edited (operate), audited as `PUT /admin/v1/apis/{apiId}` |
 * | /console/apis/{apiId}/edit | GET: the API's form (operate) |
 * | /console/apis/{apiId}/deprecate | GET: the sunset date and successor (operate) |
 * | /console/apis/{apiId}/lifecycle | POST: publish, deprecate, withdraw, retire (operate), audited as `POST /admin/v1/apis/{apiId}/lifecycle` |
 * | /console/apis/{apiId}/delete | POST: a draft or retired API deleted (operate), audited as `DELETE /admin/v1/apis/{apiId}` |
 * | /console/plans | GET: plans, limits, quotas, price, APIs, subscribers (read); POST: a new plan (operate), audited as `POST /admin/v1/plans` |
 * | /console/plans/new | GET: the new plan's form (operate) |
 * | /console/plans/{planId} | GET: the plan's form (operate); POST: edited (operate), audited as `PUT /admin/v1/plans/{planId}` |
 * | /console/plans/{planId}/delete | POST: deleted when nobody subscribes, else 409 (operate), audited as `DELETE /admin/v1/plans/{planId}` |
 * | /console/billing | GET: billing months with totals and status (read) |
 * | /console/billing/run | POST: run the month in the form (administer), audited as the admin API's |
 * | /console/billing/customers | POST: an organisation's customer id at the payment provider (administer), audited as the admin API's |
 * | /console/billing/{month} | GET: the month's lines per organisation, application and plan, totals per currency (read) |
 * | /console/billing/{month}/lines.csv | GET: the month's lines as CSV (read) |
 * | /console/billing/{month}/run, /close, /push | POST: run again, close, push to the payment provider (administer), audited as the admin API's |
 * | /console/open-banking | GET: the registered Open Banking clients, software ids, roles, certificate warnings (read) |
 * | /console/open-banking/clients/{clientId} | GET: software statement, roles, redirect URIs, certificates, consents (read) |
 * | /console/open-banking/clients/{clientId}/suspend, /reactivate | POST: the client's status (operate), audited as the admin API's |
 * | /console/open-banking/clients/{clientId}/remove | POST: consents revoked, registration deleted (operate), audited as `DELETE /admin/v1/openbanking/clients/{clientId}` |
 * | /console/open-banking/consents | GET: consents by customer, partner, kind, status and creation days (read) |
 * | /console/open-banking/consents/{consentId} | GET: the consent and its status history (read) |
 * | /console/open-banking/consents/{consentId}/revoke | POST: revoked with its tokens (operate), audited as the admin API's |
 * | /console/audit | GET: the audit log searched by actor, kind, API, application, client, customer, consent and time, newest first (read) |
 * | /console/audit/entries/{seq} | GET: an entry whole: who, what, before and after, captures, its hashes (read) |
 * | /console/audit/verification | GET: the hash chain verified, in parts of 100,000 entries (read: it changes nothing) |
 * | /console/audit/export | GET: the selection as JSON Lines for an auditor (read), audited as `GET /admin/v1/audit/export` |
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
  router.get('/sign-in/oidc', noStore, startConsoleSso(deps));
  router.get('/sign-in/oidc/callback', noStore, finishConsoleSso(deps));
  router.post('/sign-out', ...form, submitConsoleSignOut(deps));
  router.get('/account', noStore, requireOperator('read'), showAccount(deps));
  router.post('/account/tokens', ...form, requireOperator('read'), ...submitNewToken(deps));
  router.post('/account/tokens/:tokenId/revoke', ...form, requireOperator('read'), ...submitTokenRevocation(deps));
  router.get('/operators', noStore, requireOperator('administer'), showOperators(deps));
  router.post('/operators', ...form, requireOperator('administer'), submitNewOperator(deps));
  router.post('/operators/:operatorId/role', ...form, requireOperator('administer'), submitOperatorRole(deps));
  router.post('/operators/:operatorId/disable', ...form, requireOperator('administer'), submitDisableOperator(deps));
  router.get('/plan-requests', noStore, requireOperator('read'), showPlanRequests(deps));
  router.post('/plan-requests/:subscriptionId/approve', ...form, requireOperator('operate'), ...submitPlanDecision(deps, 'approve'));
  router.post('/plan-requests/:subscriptionId/refuse', ...form, requireOperator('operate'), ...submitPlanDecision(deps, 'refuse'));
  router.get('/organisations', noStore, requireOperator('read'), showOrganisations(deps));
  router.get('/organisations/:organisationId', noStore, requireOperator('read'), showOrganisation(deps));
  router.get('/applications/:applicationId', noStore, requireOperator('read'), showApplication(deps));
  router.post('/applications/:applicationId/suspend', ...form, requireOperator('operate'), ...submitApplicationStatus(deps, 'suspend'));
  router.post('/applications/:applicationId/reactivate', ...form, requireOperator('operate'), ...submitApplicationStatus(deps, 'reactivate'));
  router.post('/keys/:keyId/revoke', ...form, requireOperator('operate'), ...submitKeyRevocation(deps));
  const upload = [noStore, parseUploadForm, checkConsoleForm(deps.csrfSecret)];
  router.get('/apis', noStore, requireOperator('read'), showApis(deps));
  router.post('/apis', ...upload, requireOperator('operate'), ...submitNewApi(deps));
  router.get('/apis/new', noStore, requireOperator('operate'), showNewApi(deps));
  router.get('/apis/:apiId', noStore, requireOperator('read'), showApi(deps));
  router.post('/apis/:apiId', ...upload, requireOperator('operate'), ...submitEditApi(deps));
  router.get('/apis/:apiId/edit', noStore, requireOperator('operate'), showEditApi(deps));
  router.get('/apis/:apiId/deprecate', noStore, requireOperator('operate'), showDeprecation(deps));
  router.post('/apis/:apiId/lifecycle', ...form, requireOperator('operate'), ...submitLifecycle(deps));
  router.post('/apis/:apiId/delete', ...form, requireOperator('operate'), ...submitDeleteApi(deps));
  router.get('/plans', noStore, requireOperator('read'), showPlans(deps));
  router.post('/plans', ...form, requireOperator('operate'), ...submitNewPlan(deps));
  router.get('/plans/new', noStore, requireOperator('operate'), showNewPlan(deps));
  router.get('/plans/:planId', noStore, requireOperator('operate'), showPlan(deps));
  router.post('/plans/:planId', ...form, requireOperator('operate'), ...submitEditPlan(deps));
  router.post('/plans/:planId/delete', ...form, requireOperator('operate'), ...submitDeletePlan(deps));
  router.get('/billing', noStore, requireOperator('read'), showBillingMonths(deps));
  router.post('/billing/run', ...form, requireOperator('administer'), ...submitRunMonth(deps, 'form'));
  router.post('/billing/customers', ...form, requireOperator('administer'), ...submitBillingCustomer(deps));
  router.get('/billing/:month', noStore, requireOperator('read'), showBillingMonth(deps));
  router.get('/billing/:month/lines.csv', noStore, requireOperator('read'), exportBillingMonthCsv(deps));
  router.post('/billing/:month/run', ...form, requireOperator('administer'), ...submitRunMonth(deps, 'path'));
  router.post('/billing/:month/close', ...form, requireOperator('administer'), ...submitCloseMonth(deps));
  router.post('/billing/:month/push', ...form, requireOperator('administer'), ...submitPushMonth(deps));
  router.get('/open-banking', noStore, requireOperator('read'), showOpenBankingClients(deps));
  router.get('/open-banking/clients/:clientId', noStore, requireOperator('read'), showOpenBankingClient(deps));
  router.post('/open-banking/clients/:clientId/suspend', ...form, requireOperator('operate'), ...submitOpenBankingClientStatus(deps, 'suspend'));
  router.post('/open-banking/clients/:clientId/reactivate', ...form, requireOperator('operate'), ...submitOpenBankingClientStatus(deps, 'reactivate'));
  router.post('/open-banking/clients/:clientId/remove', ...form, requireOperator('operate'), ...submitOpenBankingClientRemoval(deps));
  router.get('/open-banking/consents', noStore, requireOperator('read'), showOpenBankingConsents(deps));
  router.get('/open-banking/consents/:consentId', noStore, requireOperator('read'), showOpenBankingConsent(deps));
  router.post('/open-banking/consents/:consentId/revoke', ...form, requireOperator('operate'), ...submitConsentRevocation(deps));
  router.get('/analytics', noStore, requireOperator('read'), showAnalytics(deps));
  router.get('/audit', noStore, requireOperator('read'), showAuditLog(deps));
  router.get('/audit/entries/:seq', noStore, requireOperator('read'), showAuditEntry(deps));
  router.get('/audit/verification', noStore, requireOperator('read'), showAuditVerification(deps));
  router.get('/audit/export', noStore, requireOperator('read'), submitAuditExport(deps));
  router.all('/{*rest}', function consoleNotFound(ctx) {
    ctx.throw(404, 'There is no such page in the console.');
  });
  return router.routes() as Middleware;
}

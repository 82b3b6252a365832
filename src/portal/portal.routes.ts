import Router from '@koa/router';

import { noStore } from '../shared/no-store.ts';
import { parseForm } from '../shared/parse-form.ts';
import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import { showAccount } from './accounts/account.pages.ts';
import { showForgotPassword, showResetPassword, submitForgotPassword, submitResetPassword } from './accounts/password-reset.pages.ts';
import { checkPortalForm } from './accounts/portal-form-csrf.ts';
import { showSignIn, submitSignIn, submitSignOut } from './accounts/sign-in.pages.ts';
import { showCheckEmail, showOutbox, showSignUp, showVerifyEmail, submitSignUp } from './accounts/sign-up.pages.ts';
import { submitIssueKey, submitRevokeKey, submitRotateKey } from './apps/api-key.pages.ts';
import type { AppPagesDependencies } from './apps/app-pages.deps.ts';
import { showApp, showNewApp, submitCancelSubscription, submitNewApp, submitSubscription } from './apps/app.pages.ts';
import { downloadBundle, showOpenBanking, submitRegistration, submitSoftwareStatement } from './openbanking/open-banking.pages.ts';
import type { OpenBankingPagesDependencies } from './openbanking/open-banking-pages.deps.ts';
import { showInvitation, submitAcceptInvitation } from './organisations/invitation.pages.ts';
import { showNewOrganisation, showOrganisation, submitInvitation, submitMemberChange, submitNewOrganisation, submitWithdrawInvitation } from './organisations/organisation.pages.ts';
import { showUsage } from './usage/usage.pages.ts';
import { gatewayCaller } from './reference/gateway-call.ts';
import { showOperation, submitTryIt } from './reference/operation.pages.ts';
import { tryItThrottle } from './reference/try-it-throttle.ts';
import { loadPortalSession, requireDeveloper } from './session/portal-session-cookie.ts';
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
 * | /apis/{apiId}/operations/{key} | GET: an operation's reference; POST: try it against the gateway (signed in, CSRF-checked) |
 * | /guides[/{slug}] | GET: the guides |
 * | /docs/problems[/{slug}] | GET: the error reference, each problem type's page |
 * | /account/sign-up | GET, POST: a developer account (CSRF-checked form) |
 * | /account/check-email, /account/verify | GET: after signing up; the mailed link |
 * | /account/sign-in, /account/sign-out | GET, POST; POST: a developer's session |
 * | /account/forgot-password, /account/reset-password | GET, POST: a password reset by mailed link |
 * | /account | GET: the signed-in developer's account and organisations |
 * | /account/invitation | GET (`?token=`), POST: a mailed invitation to an organisation, accepted |
 * | /organisations/new, /organisations | GET, POST: a new organisation |
 * | /organisations/{id} | GET: its members (owners: invitations, the invitation form) |
 * | /organisations/{id}/invitations[/{invitationId}/withdraw] | POST: invite; withdraw (owners) |
 * | /organisations/{id}/members/{developerId} | POST: another role, removal (owners), leaving |
 * | /organisations/{id}/apps/new, /organisations/{id}/apps | GET, POST: a new application |
 * | /apps/{id} | GET: an application's plans, keys and example calls |
 * | /apps/{id}/usage | GET: charts of its calls per day (`?period=7d|30d`) and its quotas used |
 * | /apps/{id}/subscriptions[/{subscriptionId}/cancel] | POST: subscribe (or ask to); cancel |
 * | /apps/{id}/keys, /apps/{id}/keys/{keyId}/rotate | POST: a new key, shown once (201) |
 * | /apps/{id}/keys/{keyId}/revoke | POST: the key stops working |
 * | /apps/{id}/open-banking | GET: its software statement at the sandbox directory, and registration |
 * | /apps/{id}/open-banking/software-statement | POST: a software statement (the organisation signed up at the directory first) |
 * | /apps/{id}/open-banking/bundle | GET: the statement's bundle (zip), with the registration once made |
 * | /apps/{id}/open-banking/registration | POST: register by DCR, the client linked to the application |
 * | /dev/outbox | GET: the mail sent, where it goes to the development outbox |
 */
export function portalRoutes(deps: PortalDependencies): Router {
  const router = new Router();
  // The router runs these only for a request one of its routes matches: a path the portal does not
  // serve goes on to the other roles, whose errors are theirs.
  router.use(renderBrowserErrors(deps.logger, 'portal/error'));
  // Every portal page knows who is signed in (for its navigation).
  if (deps.accounts) router.use(loadPortalSession(deps.accounts));
  router.get('/', showHome(deps));
  router.get('/apis', showCatalog(deps));
  router.get('/apis/:apiId', showApi(deps));
  router.get('/apis/:apiId/openapi.json', downloadOpenApi(deps));
  router.get('/apis/:apiId/postman.json', downloadPostmanCollection(deps));
  // Try it needs a signed-in developer, so it comes with the account pages.
  const tryIt = deps.accounts && { csrfSecret: deps.accounts.csrfSecret, callGateway: gatewayCaller(deps.serverCertificatePem), admitTryIt: tryItThrottle(deps.db) };
  router.get('/apis/:apiId/operations/:operationKey', noStore, showOperation({ ...deps, tryIt }));
  if (tryIt) router.post('/apis/:apiId/operations/:operationKey', noStore, parseForm, checkPortalForm(tryIt.csrfSecret), requireDeveloper, submitTryIt({ ...deps, tryIt }));
  router.get('/guides', showGuides());
  router.get('/guides/:slug', showGuide(deps));
  router.get('/docs/problems', showProblems(deps));
  router.get('/docs/problems/:slug', showProblem(deps));
  if (deps.accounts) accountRoutes(router, { ...deps.accounts, catalog: deps.catalog, gatewayBaseUrl: deps.baseUrls.gateway, openBanking: deps.openBanking });
  return router;
}

function accountRoutes(router: Router, deps: AppPagesDependencies & OpenBankingPagesDependencies): void {
  const form = [noStore, parseForm, checkPortalForm(deps.csrfSecret)];
  const signedInForm = [...form, requireDeveloper];
  router.get('/account/sign-up', noStore, showSignUp(deps));
  router.post('/account/sign-up', ...form, submitSignUp(deps));
  router.get('/account/check-email', noStore, showCheckEmail(deps));
  router.get('/account/verify', noStore, showVerifyEmail(deps));
  router.get('/account/sign-in', noStore, showSignIn(deps));
  router.post('/account/sign-in', ...form, submitSignIn(deps));
  router.post('/account/sign-out', ...form, submitSignOut(deps));
  router.get('/account/forgot-password', noStore, showForgotPassword(deps));
  router.post('/account/forgot-password', ...form, submitForgotPassword(deps));
  router.get('/account/reset-password', noStore, showResetPassword(deps));
  router.post('/account/reset-password', ...form, submitResetPassword(deps));
  router.get('/account', noStore, requireDeveloper, showAccount(deps));
  router.get('/account/invitation', noStore, showInvitation(deps));
  router.post('/account/invitation', ...signedInForm, submitAcceptInvitation(deps));
  router.get('/organisations/new', noStore, requireDeveloper, showNewOrganisation(deps));
  router.post('/organisations', ...signedInForm, submitNewOrganisation(deps));
  router.get('/organisations/:organisationId', noStore, requireDeveloper, showOrganisation(deps));
  router.post('/organisations/:organisationId/invitations', ...signedInForm, submitInvitation(deps));
  router.post('/organisations/:organisationId/invitations/:invitationId/withdraw', ...signedInForm, submitWithdrawInvitation(deps));
  router.post('/organisations/:organisationId/members/:developerId', ...signedInForm, submitMemberChange(deps));
  router.get('/organisations/:organisationId/apps/new', noStore, requireDeveloper, showNewApp(deps));
  router.post('/organisations/:organisationId/apps', ...signedInForm, submitNewApp(deps));
  router.get('/apps/:applicationId', noStore, requireDeveloper, showApp(deps));
  router.get('/apps/:applicationId/usage', noStore, requireDeveloper, showUsage(deps));
  router.post('/apps/:applicationId/subscriptions', ...signedInForm, submitSubscription(deps));
  router.post('/apps/:applicationId/subscriptions/:subscriptionId/cancel', ...signedInForm, submitCancelSubscription(deps));
  router.post('/apps/:applicationId/keys', ...signedInForm, submitIssueKey(deps));
  router.post('/apps/:applicationId/keys/:keyId/rotate', ...signedInForm, submitRotateKey(deps));
  router.post('/apps/:applicationId/keys/:keyId/revoke', ...signedInForm, submitRevokeKey(deps));
  router.get('/apps/:applicationId/open-banking', noStore, requireDeveloper, showOpenBanking(deps));
  router.post('/apps/:applicationId/open-banking/software-statement', ...signedInForm, submitSoftwareStatement(deps));
  router.get('/apps/:applicationId/open-banking/bundle', noStore, requireDeveloper, downloadBundle(deps));
  router.post('/apps/:applicationId/open-banking/registration', ...signedInForm, submitRegistration(deps));
  if (deps.outbox) router.get('/dev/outbox', noStore, showOutbox(deps));
}

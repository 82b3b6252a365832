import Koa, { type Middleware } from 'koa';
import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import type { Authenticator } from '../auth/interactions/authenticator.ts';
import type { LoginThrottle } from '../auth/interactions/login-throttle.ts';
import { interactionRoutes } from '../auth/interactions/interaction.routes.ts';
import type { CustomerAccounts } from '../consent/customer-accounts.ts';
import type { RevokeGrant } from '../consent/consent.service.ts';
import { dashboardRoutes } from '../consent/dashboard/dashboard.routes.ts';
import type { ConsentJourney } from '../consent/journey/consent-journey.ts';
import { healthRoutes } from '../observability/health.routes.ts';
import type { Logger } from '../observability/logger.ts';
import { fapiInteractionId } from '../shared/fapi-interaction-id.ts';
import { renderBrowserErrors } from '../shared/render-browser-errors.ts';
import { securityHeaders } from '../shared/security-headers.ts';
import { serveStylesheet } from '../shared/serve-stylesheet.ts';
import { stripUntrustedForwarding } from '../shared/strip-untrusted-forwarding.ts';
import { delegateToProvider } from './delegate-to-provider.ts';
import { browserErrorFamily } from './error-family.ts';
import { rejectMalformedInput } from './reject-malformed-input.ts';
import { requireHostHeader } from './require-host-header.ts';

export interface BrowserAppDependencies {
  provider: Provider;
  db: Knex;
  authenticator: Authenticator;
  /** Counts sign-in attempts in front of the authenticator. */
  loginThrottle: LoginThrottle;
  /** The consent side of the authorization journey. */
  consentJourney: ConsentJourney;
  csrfSecret: Buffer;
  /** The customer's accounts, as the Connected apps dashboard names them. */
  accounts: CustomerAccounts;
  /** Seals the Connected apps dashboard's session cookie. */
  dashboardSessionSecret: Buffer;
  /** Ends a grant with all its tokens. */
  revokeGrant: RevokeGrant;
  logger: Logger;
  trustedProxies: ReadonlySet<string>;
  clientCertHeader: string | undefined;
  /** Verifies software statements in front of the registration endpoint. */
  registration: Middleware;
}

/** The browser-facing listener: discovery, authorization, login and consent pages, Connected apps. */
export function browserApp(deps: BrowserAppDependencies): Koa {
  const app = new Koa();
  app.proxy = deps.trustedProxies.size > 0;
  // The address our trusted proxy appended, not whatever the client put in front of it.
  app.maxIpsCount = 1;
  app.silent = true;
  const health = healthRoutes(deps.db);
  const interactions = interactionRoutes(deps.provider, deps.authenticator, deps.loginThrottle, deps.consentJourney, deps.csrfSecret);
  app.use(stripUntrustedForwarding(deps.trustedProxies, deps.clientCertHeader));
  app.use(fapiInteractionId);
  app.use(securityHeaders);
  app.use(requireHostHeader(browserErrorFamily, deps.logger));
  app.use(rejectMalformedInput(browserErrorFamily, deps.logger));
  app.use(serveStylesheet);
  app.use(health.routes());
  app.use(renderBrowserErrors(deps.logger));
  app.use(interactions.routes());
  app.use(dashboardRoutes({ ...deps, sessionSecret: deps.dashboardSessionSecret }).routes());
  app.use(deps.registration);
  app.use(delegateToProvider(deps.provider));
  return app;
}

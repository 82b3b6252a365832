import type { Middleware } from 'koa';

import { firstUseCheck } from '../../auth/adapter/first-use-check.ts';
import { checkDpopNonceFirst } from '../../auth/dpop/check-dpop-nonce-first.ts';
import { ROUTES } from '../../auth/provider/routes.ts';
import { acceptSoftwareStatement } from '../../auth/registration/accept-software-statement.ts';
import { dashboardRoutes } from '../../consent/dashboard/dashboard.routes.ts';
import { authorizationJourneyRoutes } from '../../consent/journey/authorization-journey.routes.ts';
import { consentJourney } from '../../consent/journey/consent-journey.ts';
import { renderBrowserErrors } from '../../shared/render-browser-errors.ts';
import { delegateToProvider } from '../delegate-to-provider.ts';
import { partnerEndpointsOnly } from '../partner-endpoints-only.ts';
import { postOnlyEndpoints } from '../post-only-endpoints.ts';
import { underPrefix } from '../under-prefix.ts';
import type { Role } from './role.ts';

/**
 * The `auth` role: the FAPI authorization server (discovery, JWKS, authorization, token, PAR,
 * registration, introspection, revocation, userinfo), the customer's authorization journey (sign
 * in, consent) and the Connected apps dashboard on the browser listener; the partner endpoints
 * (`mtls_endpoint_aliases`) on the mutual-TLS listener.
 */
export const authRole: Role = async (context, { provider }) => {
  const { config, logger, bank, secrets } = context;
  const registration = acceptSoftwareStatement(ROUTES.registration, { directories: context.directories, issuer: config.issuer, isFirstUse: firstUseCheck(context.adapter('ReplayDetection'), context.clock, 'registration'), clock: context.clock }, logger);
  const dpopNonceFirst = checkDpopNonceFirst(secrets.dpopNonceSecret, logger);
  const journey = consentJourney(context.consents, bank.accounts, context.revokeGrant);
  const oauthEndpoints: Middleware[] = [registration, postOnlyEndpoints, dpopNonceFirst, delegateToProvider(provider)];
  return {
    browser: [
      ...(bank.sandboxRoutes ? [underPrefix(bank.sandboxRoutes.prefix, bank.sandboxRoutes.routes)] : []),
      renderBrowserErrors(logger),
      authorizationJourneyRoutes({ provider, authenticator: bank.authenticator, loginThrottle: context.loginThrottle, journey, csrfSecret: context.csrfSecret, clock: context.clock }).routes() as Middleware,
      dashboardRoutes({ consents: context.consents, provider, authenticator: bank.authenticator, loginThrottle: context.loginThrottle, accounts: bank.accounts, revokeGrant: context.revokeGrant, sessionSecret: context.dashboardSessionSecret, csrfSecret: context.csrfSecret, logger }).routes() as Middleware,
      ...oauthEndpoints,
    ],
    partner: [partnerEndpointsOnly, ...oauthEndpoints],
  };
};

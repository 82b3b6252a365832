import Router from '@koa/router';
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import { checkCsrf } from '../../auth/interactions/check-csrf.ts';
import { endUnmeetableAcr } from '../../auth/interactions/end-unmet-acr.ts';
import { loadInteraction } from '../../auth/interactions/load-interaction.ts';
import { showSignIn } from '../../auth/interactions/show-sign-in.ts';
import { submitCode } from '../../auth/interactions/submit-code.ts';
import { submitLogin } from '../../auth/interactions/submit-login.ts';
import type { Authenticator } from '../../auth/sign-in/authenticator.ts';
import type { LoginThrottle } from '../../auth/sign-in/login-throttle.ts';
import type { Clock } from '../../shared/clock.ts';
import { noStore } from '../../shared/no-store.ts';
import { parseForm } from '../../shared/parse-form.ts';
import { confirmConsent } from './confirm-consent.ts';
import type { ConsentJourney } from './consent-journey.ts';
import { denyConsent } from './deny-consent.ts';
import { renderConsentPage, type ConsentPageDependencies } from './render-consent-page.ts';
import { resolveConsent } from './resolve-consent.ts';

/** What the authorization journey's pages are built from. */
export interface AuthorizationJourneyDependencies {
  provider: Provider;
  authenticator: Authenticator;
  loginThrottle: LoginThrottle;
  journey: ConsentJourney;
  csrfSecret: Buffer;
  clock: Clock;
}

function showConsentPage(deps: ConsentPageDependencies): Middleware {
  return async function showConsentPage(ctx) {
    await renderConsentPage(ctx, deps);
  };
}

/**
 * The customer's pages during an authorization (oidc-provider's interaction): sign in (the
 * authorization server's steps: password, then one-time code), then approve or deny the consent
 * (this part's steps). Which consent it is for is settled before any page is shown.
 */
export function authorizationJourneyRoutes(deps: AuthorizationJourneyDependencies): Router {
  const { provider, authenticator, loginThrottle, journey, csrfSecret, clock } = deps;
  const router = new Router({ prefix: '/interaction/:uid' });
  const load = loadInteraction(provider);
  const csrf = checkCsrf(csrfSecret);
  const consent = resolveConsent(provider, journey);
  const page = { provider, journey, authenticator, csrfSecret, clock };
  router.get('/', noStore, load, endUnmeetableAcr(provider, authenticator), consent, showSignIn(provider, csrfSecret), showConsentPage(page));
  router.post('/login', noStore, parseForm, load, csrf, submitLogin(provider, authenticator, loginThrottle, csrfSecret, clock));
  router.post('/code', noStore, parseForm, load, csrf, submitCode(provider, authenticator, loginThrottle, csrfSecret));
  router.post('/confirm', noStore, parseForm, load, csrf, consent, confirmConsent(page));
  router.post('/deny', noStore, parseForm, load, csrf, consent, denyConsent(provider, journey));
  return router;
}

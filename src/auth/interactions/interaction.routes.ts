import Router from '@koa/router';
import type Provider from 'oidc-provider';

import type { ConsentJourney } from '../../consent/journey/consent-journey.ts';

import { noStore } from '../../shared/no-store.ts';
import type { Authenticator } from './authenticator.ts';
import { checkCsrf } from './check-csrf.ts';
import { confirmConsent } from './confirm-consent.ts';
import { denyConsent } from './deny-consent.ts';
import { endUnmeetableAcr } from './end-unmet-acr.ts';
import { loadInteraction } from './load-interaction.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { parseForm } from './parse-form.ts';
import { resolveConsent } from './resolve-consent.ts';
import { showInteraction } from './show-interaction.ts';
import { submitCode } from './submit-code.ts';
import { submitLogin } from './submit-login.ts';

/** The customer's pages during an authorization: sign in (password, then one-time code), then approve or deny. */
export function interactionRoutes(provider: Provider, authenticator: Authenticator, loginThrottle: LoginThrottle, journey: ConsentJourney, csrfSecret: Buffer): Router {
  const router = new Router({ prefix: '/interaction/:uid' });
  const load = loadInteraction(provider);
  const csrf = checkCsrf(csrfSecret);
  const consent = resolveConsent(provider, journey);
  const page = { provider, journey, authenticator, csrfSecret };
  router.get('/', noStore, load, endUnmeetableAcr(provider, authenticator), consent, showInteraction(page));
  router.post('/login', noStore, parseForm, load, csrf, submitLogin(provider, authenticator, loginThrottle, csrfSecret));
  router.post('/code', noStore, parseForm, load, csrf, submitCode(provider, authenticator, loginThrottle, csrfSecret));
  router.post('/confirm', noStore, parseForm, load, csrf, consent, confirmConsent(page));
  router.post('/deny', noStore, parseForm, load, csrf, consent, denyConsent(provider, journey));
  return router;
}

import Router from '@koa/router';
import type Provider from 'oidc-provider';

import { noStore } from '../../shared/no-store.ts';
import type { Authenticator } from './authenticator.ts';
import { checkCsrf } from './check-csrf.ts';
import { confirmConsent } from './confirm-consent.ts';
import { denyConsent } from './deny-consent.ts';
import { loadInteraction } from './load-interaction.ts';
import { parseForm } from './parse-form.ts';
import { showInteraction } from './show-interaction.ts';
import { submitLogin } from './submit-login.ts';

/** The customer's pages during an authorization: sign in, then approve or deny. */
export function interactionRoutes(provider: Provider, authenticator: Authenticator, csrfSecret: Buffer): Router {
  const router = new Router({ prefix: '/interaction/:uid' });
  const load = loadInteraction(provider);
  const csrf = checkCsrf(csrfSecret);
  router.get('/', noStore, load, showInteraction(provider, csrfSecret));
  router.post('/login', noStore, parseForm, load, csrf, submitLogin(provider, authenticator, csrfSecret));
  router.post('/confirm', noStore, parseForm, load, csrf, confirmConsent(provider));
  router.post('/deny', noStore, parseForm, load, csrf, denyConsent(provider));
  return router;
}

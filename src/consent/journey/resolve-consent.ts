import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import { ConsentRefused } from '../authorization/pending-consent.service.ts';
import type { ConsentJourney } from './consent-journey.ts';

/**
 * Works out which consent the authorization is for before any page is shown or any answer taken.
 * One the customer must never see (a wrong, foreign, expired or already decided intent id, bad
 * authorization details) ends the authorization here: the partner gets the error at its redirect
 * URI, as oidc-provider sends every authorization error (with `iss`, and JARM where registered).
 */
export function resolveConsent(provider: Provider, journey: ConsentJourney): Middleware {
  return async function resolveConsent(ctx, next) {
    try {
      ctx.state.pendingConsent = await journey.prepare(ctx.state.interaction!.params);
    } catch (error) {
      if (!(error instanceof ConsentRefused)) throw error;
      await provider.interactionFinished(ctx.req, ctx.res, { error: error.error, error_description: error.message }, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    await next();
  };
}

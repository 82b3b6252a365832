import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import { ConsentRefused } from '../authorization/pending-consent.service.ts';
import type { ConsentJourney } from './consent-journey.ts';

/**
 * The customer said no (at login or consent): the partner gets `access_denied` (RFC 6749
 * §4.1.2.1). A signed-in customer's refusal also makes the consent `Rejected`; a cancelled sign-in
 * does not, since whoever cancelled has not shown they are the customer.
 */
export function denyConsent(provider: Provider, journey: ConsentJourney): Middleware {
  return async function denyConsent(ctx) {
    const { pendingConsent, interaction } = ctx.state;
    if (pendingConsent && interaction!.prompt.name === 'consent') {
      // A consent withdrawn or expired meanwhile has nothing left to reject; the answer is the same.
      await journey.deny(pendingConsent, interaction!.session!.accountId).catch((error: unknown) => {
        if (!(error instanceof ConsentRefused)) throw error;
      });
    }
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: 'The customer did not authorise the request' },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
  };
}

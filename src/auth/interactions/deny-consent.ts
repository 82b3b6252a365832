import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

/** The customer said no (at login or consent): the partner gets `access_denied` (RFC 6749 §4.1.2.1). */
export function denyConsent(provider: Provider): Middleware {
  return async function denyConsent(ctx) {
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { error: 'access_denied', error_description: 'The customer did not authorise the request' },
      { mergeWithLastSubmission: false },
    );
    ctx.respond = false;
  };
}

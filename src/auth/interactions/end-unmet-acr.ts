import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';

import type { Authenticator } from '../sign-in/authenticator.ts';
import { meetsEssentialAcr } from './essential-acr.ts';

/**
 * Ends the authorization with `unmet_authentication_requirements` (OpenID Connect Core Error Code
 * unmet_authentication_requirements 1.0) at the partner's redirect URI, with `iss` and `state` as
 * every authorization error. OIDC Core §5.5.1.1: an essential acr that cannot be met is a failed
 * authentication. Left to itself, oidc-provider's login prompt would ask for a sign-in again,
 * since no sign-in the bank performs would ever satisfy it.
 */
export async function endWithUnmetAcr(provider: Provider, ctx: Context, description: string): Promise<void> {
  await provider.interactionFinished(ctx.req, ctx.res, { error: 'unmet_authentication_requirements', error_description: description }, { mergeWithLastSubmission: false });
  ctx.respond = false;
}

/**
 * Before the sign-in page: when the essential acr the request demands is none that an
 * authorization's sign-in (password, then the second factor) achieves, the customer is not asked
 * to sign in at all.
 */
export function endUnmeetableAcr(provider: Provider, authenticator: Authenticator): Middleware {
  return async function endUnmeetableAcr(ctx, next) {
    if (meetsEssentialAcr(ctx.state.interaction!, authenticator.secondFactor.acr)) return next();
    await endWithUnmetAcr(provider, ctx, 'the bank cannot authenticate the customer as the request demands (acr)');
  };
}

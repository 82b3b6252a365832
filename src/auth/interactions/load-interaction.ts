import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Loads the interaction the browser's cookie names, and insists it is the one in the URL: a page
 * left open in another tab must not act on a newer authorization.
 */
export function loadInteraction(provider: Provider): Middleware {
  return async function loadInteraction(ctx, next) {
    const interaction = await provider.interactionDetails(ctx.req, ctx.res);
    if (interaction.uid !== ctx.params['uid']) throw new errors.SessionNotFound('this sign-in page has expired; start again from the app');
    ctx.state.interaction = interaction;
    await next();
  };
}

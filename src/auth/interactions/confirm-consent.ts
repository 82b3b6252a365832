import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import { grantConsent } from './consent.service.ts';

/** The customer approved: record the grant and send them back to the partner with a code. */
export function confirmConsent(provider: Provider): Middleware {
  return async function confirmConsent(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'consent') throw new errors.InvalidRequest('sign in first');
    const grantId = await grantConsent(provider, interaction);
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    ctx.respond = false;
  };
}

import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

import { SelectionInvalid } from '../authorization/consent-selection.ts';
import { ConsentRefused } from '../authorization/pending-consent.service.ts';
import { grantConsent } from './grant-consent.service.ts';
import { renderConsentPage, type ConsentPageDependencies } from './render-consent-page.ts';

/**
 * The customer approved: record the grant (bound to the consent, with the accounts they chose)
 * and send them back to the partner with a code. A choice the page did not offer shows the page
 * again with the problem; a consent that can no longer be authorised ends the authorization.
 */
export function confirmConsent(deps: ConsentPageDependencies): Middleware {
  const { provider, journey } = deps;
  return async function confirmConsent(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'consent') throw new errors.InvalidRequest('sign in first');
    const pending = ctx.state.pendingConsent;
    let grantId: string | undefined;
    try {
      if (!pending) grantId = await grantConsent(provider, interaction, deps.clock.now());
      else {
        await journey.approve(pending, interaction.session!.accountId, ctx.state.form!, async (consent) => {
          grantId = await grantConsent(provider, interaction, deps.clock.now(), consent);
          return grantId;
        });
      }
    } catch (error) {
      if (error instanceof SelectionInvalid) {
        ctx.status = 400;
        return renderConsentPage(ctx, deps, error.message);
      }
      if (!(error instanceof ConsentRefused)) throw error;
      await provider.interactionFinished(ctx.req, ctx.res, { error: error.error, error_description: error.message }, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    await provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    ctx.respond = false;
  };
}

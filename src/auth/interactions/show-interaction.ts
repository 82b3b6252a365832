import type { Middleware } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { csrfTokenFor } from './csrf-token.ts';
import { describeClient, renderConsentPage, type ConsentPageDependencies } from './render-consent-page.ts';

/** Renders the page the interaction's prompt asks for: login first, then consent. */
export function showInteraction(deps: ConsentPageDependencies): Middleware {
  const { provider, csrfSecret } = deps;
  return async function showInteraction(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') return renderConsentPage(ctx, deps);
    ctx.type = 'html';
    ctx.body = await renderView('auth/login', {
      uid: interaction.uid,
      csrf: csrfTokenFor(csrfSecret, interaction.uid),
      ...(await describeClient(provider, interaction.params['client_id'] as string)),
      error: undefined,
      username: '',
    });
  };
}

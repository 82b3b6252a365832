import type { Middleware } from 'koa';

import { renderCodePage } from './render-code-page.ts';
import { renderConsentPage, type ConsentPageDependencies } from './render-consent-page.ts';
import { renderLoginPage } from './render-login-page.ts';
import { pendingSecondStep } from './second-step.ts';

/** Renders the page the interaction's prompt asks for: the password, then the one-time code, then consent. */
export function showInteraction(deps: ConsentPageDependencies): Middleware {
  const { provider, csrfSecret } = deps;
  return async function showInteraction(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') return renderConsentPage(ctx, deps);
    const pending = pendingSecondStep(interaction);
    if (pending) return renderCodePage(ctx, csrfSecret, pending);
    return renderLoginPage(ctx, provider, csrfSecret, { username: '' });
  };
}

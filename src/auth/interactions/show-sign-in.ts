import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import { renderCodePage } from './render-code-page.ts';
import { renderLoginPage } from './render-login-page.ts';
import { pendingSecondStep } from './second-step.ts';

/**
 * The sign-in page of an interaction whose prompt is `login`: the password, or the one-time code
 * once the password was right. Any other prompt is the next step's (the consent page).
 */
export function showSignIn(provider: Provider, csrfSecret: Buffer): Middleware {
  return async function showSignIn(ctx, next) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') return next();
    const pending = pendingSecondStep(interaction);
    if (pending) return renderCodePage(ctx, csrfSecret, pending);
    return renderLoginPage(ctx, provider, csrfSecret, { username: '' });
  };
}

import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import type { Authenticator } from '../sign-in/authenticator.ts';
import { checkBehindThrottle } from '../sign-in/check-behind-throttle.ts';
import { endWithUnmetAcr } from './end-unmet-acr.ts';
import { meetsEssentialAcr } from './essential-acr.ts';
import type { LoginThrottle } from '../sign-in/login-throttle.ts';
import { renderCodePage } from './render-code-page.ts';
import { pendingSecondStep } from './second-step.ts';

const WRONG_CODE = 'The code is not right, or it has expired. Check it and try again.';

/**
 * The one-time code step, after a right password. The code is checked behind the same throttle
 * as the password, under the username the customer typed, so wrong codes and wrong passwords
 * share one limit. A right code completes the sign-in with what the authenticator says it proved
 * (`acr`, `amr`), which oidc-provider keeps in the session and the ID token carries; unless that
 * misses an essential acr of the request, which ends the authorization instead (OIDC Core
 * §5.5.1.1) rather than sending the customer back to sign in again.
 */
export function submitCode(provider: Provider, authenticator: Authenticator, loginThrottle: LoginThrottle, csrfSecret: Buffer): Middleware {
  return async function submitCode(ctx) {
    const interaction = ctx.state.interaction!;
    const pending = interaction.prompt.name === 'login' ? pendingSecondStep(interaction) : undefined;
    if (!pending) throw new errors.InvalidRequest('sign in with your username and password first');
    // People copy codes with spaces, or type them in groups.
    const code = (ctx.state.form!['code'] ?? '').replace(/\s+/g, '');
    const result = code
      ? await checkBehindThrottle(loginThrottle, { username: pending.username, ip: ctx.ip }, () => authenticator.secondFactor.verify(pending.attempt, code), { completesSignIn: true })
      : ({ refused: 'wrong' } as const);
    if ('refused' in result) {
      if (result.refused === 'throttled') ctx.set('Retry-After', String(result.retryAfterSeconds));
      ctx.status = result.refused === 'throttled' ? 429 : 401;
      await renderCodePage(ctx, csrfSecret, pending, result.refused === 'wrong' ? { error: WRONG_CODE, invalid: true } : { error: result.message, invalid: false });
      return;
    }
    const { customer, acr, amr } = result.passed;
    if (!meetsEssentialAcr(interaction, acr)) {
      await endWithUnmetAcr(provider, ctx, 'the customer could not be authenticated as the request demands (acr)');
      return;
    }
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: customer.id, acr, amr } }, { mergeWithLastSubmission: false });
    ctx.respond = false;
  };
}

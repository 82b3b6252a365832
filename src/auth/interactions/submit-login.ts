import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import { epochSeconds, type Clock } from '../../shared/clock.ts';
import type { Authenticator } from '../sign-in/authenticator.ts';
import { checkCredentials } from '../sign-in/check-credentials.ts';
import type { LoginThrottle } from '../sign-in/login-throttle.ts';
import { renderLoginPage } from './render-login-page.ts';
import { startSecondStep } from './second-step.ts';

/**
 * The password step. Checks the credentials behind the login throttle; a miss re-renders the form
 * with one message for every cause, and a throttled attempt is refused before the authenticator
 * is asked, so it neither answers a guess nor costs a password hash. A right password is never
 * enough for an authorization: PSD2 (Art. 97(1)(b)) wants strong customer authentication whenever
 * a customer's account is reached through a third party, so the second factor is started and the
 * browser sent (303, POST/redirect/GET) to the code page.
 */
export function submitLogin(provider: Provider, authenticator: Authenticator, loginThrottle: LoginThrottle, csrfSecret: Buffer, clock: Clock): Middleware {
  return async function submitLogin(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') throw new errors.InvalidRequest('you are already signed in');
    const { username = '', password = '' } = ctx.state.form!;
    const check = await checkCredentials(authenticator, loginThrottle, { username, password, ip: ctx.ip });
    if ('refused' in check) {
      // RFC 6585 §4: 429 may say how long to wait, in seconds (RFC 9110 §10.2.3).
      if (check.refused === 'throttled') ctx.set('Retry-After', String(check.retryAfterSeconds));
      ctx.status = check.refused === 'throttled' ? 429 : 401;
      await renderLoginPage(ctx, provider, csrfSecret, { username, error: check.message, invalid: check.refused === 'wrong' });
      return;
    }
    const attempt = { firstFactor: check, interactionUid: interaction.uid, startedAt: epochSeconds(clock) };
    const challenge = await authenticator.secondFactor.challenge(attempt);
    await startSecondStep(provider, ctx, { username, attempt, challenge });
    ctx.redirect(`/interaction/${interaction.uid}`);
    ctx.status = 303;
  };
}

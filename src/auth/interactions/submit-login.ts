import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';

import { renderView } from '../../shared/render-view.ts';
import type { Authenticator } from './authenticator.ts';
import { checkCredentials } from './check-credentials.ts';
import { csrfTokenFor } from './csrf-token.ts';
import { describeClient } from './render-consent-page.ts';
import type { LoginThrottle } from './login-throttle.ts';

interface LoginRefusal {
  status: 401 | 429;
  error: string;
  /** The credentials were wrong (not merely throttled): both fields are marked invalid. */
  invalid: boolean;
}

/**
 * Checks the customer's credentials behind the login throttle. A miss re-renders the form with one
 * message for every cause. A throttled attempt is refused before the authenticator is asked, so
 * it neither answers a guess nor costs a password hash.
 */
export function submitLogin(provider: Provider, authenticator: Authenticator, loginThrottle: LoginThrottle, csrfSecret: Buffer): Middleware {
  async function refuse(ctx: Context, username: string, { status, error, invalid }: LoginRefusal): Promise<void> {
    const interaction = ctx.state.interaction!;
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = await renderView('auth/login', {
      uid: interaction.uid,
      csrf: csrfTokenFor(csrfSecret, interaction.uid),
      ...(await describeClient(provider, interaction.params['client_id'] as string)),
      error,
      invalid,
      username,
    });
  }

  return async function submitLogin(ctx) {
    const interaction = ctx.state.interaction!;
    if (interaction.prompt.name !== 'login') throw new errors.InvalidRequest('you are already signed in');
    const { username = '', password = '' } = ctx.state.form!;
    const check = await checkCredentials(authenticator, loginThrottle, { username, password, ip: ctx.ip });
    if ('refused' in check) {
      // RFC 6585 §4: 429 may say how long to wait, in seconds (RFC 9110 §10.2.3).
      if (check.refused === 'throttled') ctx.set('Retry-After', String(check.retryAfterSeconds));
      await refuse(ctx, username, { status: check.refused === 'throttled' ? 429 : 401, error: check.message, invalid: check.refused === 'wrong' });
      return;
    }
    const { customer } = check;
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: customer.id } }, { mergeWithLastSubmission: false });
    ctx.respond = false;
  };
}

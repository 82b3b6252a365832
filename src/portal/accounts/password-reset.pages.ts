import type { Middleware } from 'koa';

import { readForm } from '../../shared/read-form.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { clearSessionCookie } from '../../shared/sessions/session-cookie.ts';
import { PORTAL_SESSIONS } from '../session/portal-sessions.ts';
import type { AccountPagesDependencies } from './account-pages.deps.ts';
import { FORGOT_PASSWORD_FORM, RESET_PASSWORD_FORM } from './account-forms.ts';
import { requestPasswordReset, resetLinkIsLive, resetPassword } from './password-reset.service.ts';
import { portalFormToken } from './portal-form-csrf.ts';
import { SECRET_TOKEN } from '../../shared/secret-token.ts';
import { admitMailForm } from './sign-up.pages.ts';

/** `GET /account/forgot-password`: the form. */
export function showForgotPassword(deps: AccountPagesDependencies): Middleware {
  return async function showForgotPassword(ctx) {
    await renderPortalPage(ctx, 'portal/account/forgot-password', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: {}, errors: [] });
  };
}

/** `POST /account/forgot-password`: "check your email", whether or not the address has an account. */
export function submitForgotPassword(deps: AccountPagesDependencies): Middleware {
  return async function submitForgotPassword(ctx) {
    const form = ctx.state.form!;
    const read = readForm(FORGOT_PASSWORD_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderPortalPage(ctx, 'portal/account/forgot-password', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: { email: form['email'] ?? '' }, errors: read.errors, hasError: true });
    }
    await admitMailForm(deps, ctx.ip);
    await requestPasswordReset(deps, read.value.email);
    ctx.status = 303;
    ctx.redirect('/account/check-email?reset');
  };
}

const tokenOf = (value: unknown) => (typeof value === 'string' && SECRET_TOKEN.test(value) ? value : undefined);

async function renderReset(ctx: Parameters<Middleware>[0], deps: AccountPagesDependencies, token: string | undefined, errors: Array<{ field: string; message: string }>) {
  const live = token !== undefined && await resetLinkIsLive(deps, token);
  if (!live || errors.length) ctx.status = 400;
  await renderPortalPage(ctx, 'portal/account/reset-password', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), live, token, errors, hasError: !live || errors.length > 0 });
}

/** `GET /account/reset-password?token=`: the mailed link's form, or why it does not work. */
export function showResetPassword(deps: AccountPagesDependencies): Middleware {
  return async function showResetPassword(ctx) {
    // The token is in the address: keep it out of the Referer of anything this page links to.
    ctx.set('Referrer-Policy', 'no-referrer');
    await renderReset(ctx, deps, tokenOf(ctx.query['token']), []);
  };
}

/** `POST /account/reset-password`: the new password, then sign in with it. */
export function submitResetPassword(deps: AccountPagesDependencies): Middleware {
  return async function submitResetPassword(ctx) {
    const form = ctx.state.form!;
    const token = tokenOf(form['token']);
    const read = readForm(RESET_PASSWORD_FORM, form);
    if (!read.ok || !token) return renderReset(ctx, deps, token, read.ok ? [] : read.errors);
    if (!(await resetPassword(deps, token, read.value.password))) return renderReset(ctx, deps, undefined, []);
    clearSessionCookie(ctx, PORTAL_SESSIONS);
    ctx.status = 303;
    ctx.redirect('/account/sign-in?reset');
  };
}

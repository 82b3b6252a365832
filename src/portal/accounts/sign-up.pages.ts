import type { Middleware } from 'koa';

import { PortalPageError } from '../portal-page-error.ts';
import { readForm } from '../../shared/read-form.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { listOutbox } from '../mail/outbox.store.ts';
import type { AccountPagesDependencies } from './account-pages.deps.ts';
import { SIGN_UP_FORM } from './account-forms.ts';
import { portalFormToken } from './portal-form-csrf.ts';
import { SECRET_TOKEN } from '../../shared/secret-token.ts';
import { signUp, verifyEmail } from './sign-up.service.ts';

/** `GET /account/sign-up`: the form. */
export function showSignUp(deps: AccountPagesDependencies): Middleware {
  return async function showSignUp(ctx) {
    await renderPortalPage(ctx, 'portal/account/sign-up', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: {}, errors: [] });
  };
}

/** Counts a mail-sending form against its network; a network that sent too many gets 429 and how long to wait. */
export async function admitMailForm(deps: AccountPagesDependencies, ip: string): Promise<void> {
  const network = await deps.throttle.admitNetwork(ip);
  if (network.admitted) return;
  const minutes = Math.ceil(network.retryAfterSeconds / 60);
  throw new PortalPageError(429, `Too many requests have come from your network. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`, { 'Retry-After': String(network.retryAfterSeconds) });
}

/** `POST /account/sign-up`: the form again with its errors (400), or on to "check your email". */
export function submitSignUp(deps: AccountPagesDependencies): Middleware {
  return async function submitSignUp(ctx) {
    const form = ctx.state.form!;
    const read = readForm(SIGN_UP_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      await renderPortalPage(ctx, 'portal/account/sign-up', {
        section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: { email: form['email'] ?? '', name: form['name'] ?? '' }, errors: read.errors, hasError: true,
      });
      return;
    }
    await admitMailForm(deps, ctx.ip);
    await signUp(deps, read.value);
    ctx.status = 303;
    ctx.redirect('/account/check-email');
  };
}

/** `GET /account/check-email[?reset]`: what happens next. */
export function showCheckEmail(deps: AccountPagesDependencies): Middleware {
  return async function showCheckEmail(ctx) {
    await renderPortalPage(ctx, 'portal/account/check-email', { section: 'account', outbox: deps.outbox, reset: ctx.query['reset'] !== undefined });
  };
}

/** `GET /account/verify?token=`: the mailed link. */
export function showVerifyEmail(deps: AccountPagesDependencies): Middleware {
  return async function showVerifyEmail(ctx) {
    const token = ctx.query['token'];
    const verified = typeof token === 'string' && SECRET_TOKEN.test(token) && await verifyEmail(deps, token);
    if (!verified) ctx.status = 400;
    await renderPortalPage(ctx, 'portal/account/verified', { section: 'account', verified, hasError: !verified });
  };
}

/** `GET /dev/outbox`: the mail the portal would have sent, newest first (development only). */
export function showOutbox(deps: AccountPagesDependencies): Middleware {
  return async function showOutbox(ctx) {
    await renderPortalPage(ctx, 'portal/account/outbox', { section: 'account', mails: await listOutbox(deps.db, 50) });
  };
}

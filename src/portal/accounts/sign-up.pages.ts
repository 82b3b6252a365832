import type { Middleware } from 'koa';

import { renderView } from '../../shared/render-view.ts';
import { listOutbox } from '../mail/outbox.store.ts';
import { portalFormToken } from './portal-form-csrf.ts';
import { readSignUpForm } from './sign-up-form.ts';
import { signUp, verifyEmail, type AccountsDependencies } from './sign-up.service.ts';

export interface AccountPagesDependencies extends AccountsDependencies {
  csrfSecret: Buffer;
  /** The development outbox is where mail goes: the pages link to it. */
  outbox: boolean;
}

/** `GET /account/sign-up`: the form. */
export function showSignUp(deps: AccountPagesDependencies): Middleware {
  return async function showSignUp(ctx) {
    ctx.type = 'html';
    ctx.body = await renderView('portal/account/sign-up', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: {}, errors: [] });
  };
}

/** `POST /account/sign-up`: the form again with its errors (400), or on to "check your email". */
export function submitSignUp(deps: AccountPagesDependencies): Middleware {
  return async function submitSignUp(ctx) {
    const form = ctx.state.form as Record<string, string>;
    const read = readSignUpForm(form);
    if (!read.ok) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = await renderView('portal/account/sign-up', {
        section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: { email: form['email'] ?? '', name: form['name'] ?? '' }, errors: read.errors, hasError: true,
      });
      return;
    }
    const network = await deps.throttle.admitNetwork(ctx.ip);
    if (!network.admitted) {
      ctx.status = 429;
      ctx.set('Retry-After', String(network.retryAfterSeconds));
      ctx.type = 'html';
      ctx.body = await renderView('portal/error', { message: `Too many sign-ups have come from your network. Try again in ${Math.ceil(network.retryAfterSeconds / 60)} minutes.`, code: undefined });
      return;
    }
    await signUp(deps, read.value);
    ctx.status = 303;
    ctx.redirect('/account/check-email');
  };
}

/** `GET /account/check-email`: what happens next. */
export function showCheckEmail(deps: AccountPagesDependencies): Middleware {
  return async function showCheckEmail(ctx) {
    ctx.type = 'html';
    ctx.body = await renderView('portal/account/check-email', { section: 'account', outbox: deps.outbox });
  };
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** `GET /account/verify?token=`: the mailed link. */
export function showVerifyEmail(deps: AccountPagesDependencies): Middleware {
  return async function showVerifyEmail(ctx) {
    const token = ctx.query['token'];
    const verified = typeof token === 'string' && TOKEN.test(token) && await verifyEmail(deps, token);
    if (!verified) ctx.status = 400;
    ctx.type = 'html';
    ctx.body = await renderView('portal/account/verified', { section: 'account', verified, hasError: !verified });
  };
}

/** `GET /dev/outbox`: the mail the portal would have sent, newest first (development only). */
export function showOutbox(deps: AccountPagesDependencies): Middleware {
  return async function showOutbox(ctx) {
    ctx.type = 'html';
    ctx.body = await renderView('portal/account/outbox', { section: 'account', mails: await listOutbox(deps.db, 50) });
  };
}
